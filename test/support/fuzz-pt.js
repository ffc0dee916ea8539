'use strict';
// Mutation fuzzing of lib/pt: random damage to valid torch.save files (and to their data.pkl,
// re-zipped with a correct CRC so that the damage reaches the unpickler), fed to pt.load and
// pt.loadObject. Every case must load or throw an Error whose message starts with "pt: ",
// within a time bound; anything else (another error, a crash, a hang) is a finding.
const fs = require('node:fs');
const path = require('node:path');
const { pt } = require('../../lib');
const { ZipArchive } = require('../../lib/pt/zip');
const { MemorySource } = require('../../lib/pt/source');
const { zipOf } = require('./pt-files');

const DIR = path.join(__dirname, '..', 'fixtures', 'pt');
/** A case slower than this is a finding (the largest seed loads in well under a millisecond). */
const SLOW_CASE_MS = 2000;

/** xorshift32: seeded, so a finding replays with the same seed and case number. */
function generator(seed) {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return { next, below: (n) => next() % n, chance: (p) => next() / 2 ** 32 < p };
}

/** Valid files, and for zips their records, so a mutated data.pkl can be re-zipped intact. */
function loadSeeds() {
  const seeds = [];
  const files = fs.readdirSync(DIR).filter((name) => /\.pth?$/.test(name)).map((name) => path.join(DIR, name));
  for (const name of fs.readdirSync(path.join(DIR, 'hostile'))) files.push(path.join(DIR, 'hostile', name));
  for (const file of files) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    let records = null;
    if (bytes[0] === 0x50) {
      const zip = new ZipArchive(new MemorySource(bytes));
      records = [...zip.entries.values()].map((entry) => [entry.name, zip.read(entry).slice()]);
    }
    seeds.push({ name: path.basename(file), bytes, records });
  }
  return seeds;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x2e, 0x28, 0x71, 0x68, 0x52, 0x62, 0x8a, 0x58];

function mutate(random, bytes) {
  let out = bytes.slice();
  const rounds = 1 + random.below(4);
  for (let r = 0; r < rounds; r++) {
    if (out.length === 0) break;
    const at = random.below(out.length);
    switch (random.below(7)) {
      case 0: // flip a bit
        out[at] ^= 1 << random.below(8);
        break;
      case 1: // an interesting byte
        out[at] = INTERESTING[random.below(INTERESTING.length)];
        break;
      case 2: // a random byte
        out[at] = random.below(256);
        break;
      case 3: // truncate
        out = out.slice(0, at);
        break;
      case 4: { // delete a run
        const length = 1 + random.below(16);
        out = Uint8Array.from([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + length))]);
        break;
      }
      case 5: { // duplicate a run elsewhere
        const length = 1 + random.below(32);
        const chunk = out.subarray(at, Math.min(out.length, at + length));
        const to = random.below(out.length);
        out = Uint8Array.from([...out.subarray(0, to), ...chunk, ...out.subarray(to)]);
        break;
      }
      default: { // a 32-bit little-endian field set to an edge value
        const values = [0, 1, 0x7fffffff, 0xffffffff, 0x80000000, out.length, 0xffff];
        const value = values[random.below(values.length)];
        for (let b = 0; b < 4 && at + b < out.length; b++) out[at + b] = (value >>> (8 * b)) & 0xff;
      }
    }
  }
  return out;
}

/** One case: a damaged whole file, or a damaged record (data.pkl most often) re-zipped. */
function makeCase(random, seeds) {
  const seed = seeds[random.below(seeds.length)];
  if (seed.records !== null && random.chance(0.6)) {
    const records = seed.records.map(([name, data]) => [name, data]);
    const pickleIndex = records.findIndex(([name]) => name.endsWith('/data.pkl'));
    const index = pickleIndex >= 0 && random.chance(0.8) ? pickleIndex : random.below(records.length);
    records[index] = [records[index][0], mutate(random, records[index][1])];
    return { label: `${seed.name} record ${records[index][0]}`, bytes: zipOf(records) };
  }
  return { label: `${seed.name} whole file`, bytes: mutate(random, seed.bytes) };
}

function check(call) {
  try {
    call();
    return null;
  } catch (error) {
    if (error instanceof Error && error.name === 'Error' && error.message.startsWith('pt: ')) return null;
    return `${error instanceof Error ? `${error.name}: ${error.message}` : `non-Error ${String(error)}`}`.slice(0, 300);
  }
}

/** Runs `iterations` cases from `seed`; returns the findings and what the cases did. */
function runPtFuzz(seed, iterations, { only = null, onProgress = null } = {}) {
  const seeds = loadSeeds();
  const random = generator(seed);
  const findings = [];
  const stats = { cases: 0, loaded: 0, refused: 0, slowestMs: 0 };
  for (let i = 0; i < iterations; i++) {
    const testCase = makeCase(random, seeds);
    if (only !== null && i !== only) continue;
    const started = process.hrtime.bigint();
    let loaded = false;
    const problem =
      check(() => {
        pt.load(testCase.bytes);
        loaded = true;
      }) ?? check(() => pt.loadObject(testCase.bytes));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    stats.cases++;
    stats.slowestMs = Math.max(stats.slowestMs, ms);
    if (loaded) stats.loaded++;
    else stats.refused++;
    if (problem !== null) findings.push(`case ${i} (${testCase.label}): ${problem}`);
    else if (ms > SLOW_CASE_MS) findings.push(`case ${i} (${testCase.label}): took ${ms.toFixed(0)} ms`);
    if (onProgress !== null && (i + 1) % 10000 === 0) onProgress(i + 1, stats, findings);
  }
  return { findings, stats };
}

module.exports = { runPtFuzz };
