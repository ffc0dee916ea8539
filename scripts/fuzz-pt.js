#!/usr/bin/env node
'use strict';
// npm run fuzz:pt: a long mutation run of the torch.save reader (test/support/fuzz-pt.js);
// test/24-pt.test.js runs a short one in CI.
//
//   FUZZ_ITERATIONS  cases (default 100000)
//   FUZZ_SEED        seed (default: from the clock, printed so a run can be replayed)
//   FUZZ_ONLY        replay one case of FUZZ_SEED: FUZZ_SEED=7 FUZZ_ONLY=1234 npm run fuzz:pt
//
// Exit code 1 when there are findings.
const { runPtFuzz } = require('../test/support/fuzz-pt');

const iterations = Number(process.env.FUZZ_ITERATIONS || 100000);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const only = process.env.FUZZ_ONLY !== undefined ? Number(process.env.FUZZ_ONLY) : null;

const started = Date.now();
console.log(`fuzz:pt: seed ${seed}, ${only === null ? `${iterations} cases` : `case ${only} only`}`);
const { findings, stats } = runPtFuzz(seed, only === null ? iterations : only + 1, {
  only,
  onProgress: (done, s, f) => {
    const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
    console.log(`  ${done} cases: ${s.loaded} loaded, ${s.refused} refused, ${f.length} findings, slowest ${s.slowestMs.toFixed(1)} ms, RSS ${rss} MiB`);
  },
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`  ${stats.cases} cases: ${stats.loaded} loaded, ${stats.refused} refused, ${findings.length} findings, ` +
  `slowest ${stats.slowestMs.toFixed(1)} ms, ${seconds} s`);
for (const finding of findings.slice(0, 50)) console.log(`  - ${finding}`);
process.exitCode = findings.length > 0 ? 1 : 0;
