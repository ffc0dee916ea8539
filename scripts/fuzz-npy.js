#!/usr/bin/env node
'use strict';
// node scripts/fuzz-npy.js: a long run of test/support/fuzz-npy.js, mutated .npy/.npz files
// (test/40-npy.test.js runs 3000 in CI). FUZZ_ITERATIONS (default 200000), FUZZ_SEED.
const { fuzzNpy } = require('../test/support/fuzz-npy');

const runs = Number(process.env.FUZZ_ITERATIONS || 200000);
const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const started = Date.now();
const { loaded, refused } = fuzzNpy(runs, seed);
console.log(`fuzz-npy: seed ${seed}, ${runs} files: ${loaded} loaded, ${refused} refused with npy:/npz: Errors, ${((Date.now() - started) / 1000).toFixed(1)} s`);
