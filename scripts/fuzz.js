#!/usr/bin/env node
'use strict';
// npm run fuzz: a long run of test/support/fuzz-api.js, random seeded calls of the whole
// public API (test/16-fuzz.test.js runs a few thousand of them in CI).
//
//   FUZZ_ITERATIONS  calls per seed (default 200000)
//   FUZZ_SEED        first seed (default: from the clock, printed so a run can be replayed)
//   FUZZ_SEEDS       how many seeds, one after the other (default 1)
//   FUZZ_ONLY        replay one case of FUZZ_SEED: FUZZ_SEED=7 FUZZ_ONLY=1234 npm run fuzz
//
// A crash of the process names its last case on stderr (the case line is written before
// each case runs when FUZZ_TRACE=1). Exit code 1 when there are findings.
const fs = require('node:fs');
const { ApiFuzzer } = require('../test/support/fuzz-api');

const iterations = Number(process.env.FUZZ_ITERATIONS || 200000);
const firstSeed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const seeds = Number(process.env.FUZZ_SEEDS || 1);
const only = process.env.FUZZ_ONLY !== undefined ? Number(process.env.FUZZ_ONLY) : null;
const trace = process.env.FUZZ_TRACE === '1';

async function main() {
  let findings = 0;
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const fuzzer = new ApiFuzzer(seed, { maxFindings: 50 });
    const started = Date.now();
    console.log(`fuzz: seed ${seed}, ${only === null ? `${iterations} cases` : `case ${only} only`}`);
    const { findings: found, stats } = await fuzzer.run(only === null ? iterations : only + 1, {
      only,
      onCase: trace ? (i, scenario) => fs.writeSync(2, `case ${i} ${scenario}\n`) : null,
      onProgress: (done, f) => {
        if (done % 20000 === 0) {
          const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
          console.log(`  ${done} cases, ${f.stats.calls} calls, ${f.findings.length} findings, RSS ${rss} MiB`);
        }
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`  ${stats.calls} calls (${stats.async} async): ${stats.returned} returned, ${stats.threw} threw, ` +
      `${found.length} findings, ${seconds} s`);
    for (const finding of found) console.log(`  - ${finding}`);
    findings += found.length;
  }
  process.exitCode = findings > 0 ? 1 : 0;
}

main();
