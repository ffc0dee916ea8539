'use strict';
// Times one implementation on one trial (or two, call by call in turn): warm-up first, then
// as many timed calls as fit a time budget (within [minRepeats, maxRepeats]); reports the
// median and the best call.
const { performance } = require('perf_hooks');

/** Full runs: a couple of seconds per implementation and trial. BENCH_QUICK=1: a smoke run. */
const FULL_BUDGET = { warmupMs: 200, budgetMs: 2000, minRepeats: 3, maxRepeats: 100 };
const QUICK_BUDGET = { warmupMs: 0, budgetMs: 150, minRepeats: 1, maxRepeats: 3 };

function budgetFromEnv(env = process.env) {
  return env.BENCH_QUICK === '1' ? QUICK_BUDGET : FULL_BUDGET;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `call` may return a Promise (onnxruntime's run does); it is awaited inside the timing.
 * Warm-up: at least one call, and more until `warmupMs` has passed (caches, thread pools,
 * lazily allocated workspaces). The last warm-up call sizes the number of timed repeats.
 */
async function timeCalls(call, { warmupMs, budgetMs, minRepeats, maxRepeats }) {
  let lastMs = 0;
  const warmupStart = performance.now();
  do {
    const start = performance.now();
    await call();
    lastMs = performance.now() - start;
  } while (performance.now() - warmupStart < warmupMs);

  const repeats = Math.max(minRepeats, Math.min(maxRepeats, Math.floor(budgetMs / Math.max(lastMs, 1e-3))));
  const samplesMs = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await call();
    samplesMs.push(performance.now() - start);
  }
  return { medianMs: median(samplesMs), bestMs: Math.min(...samplesMs), repeats, samplesMs };
}

/**
 * Times two implementations of one trial call by call in turn (a, b, a, b, ...), so that a
 * change in the machine's other load hits both alike: the budget covers the pairs. Returns
 * each one's timing as timeCalls does, and `ratio`, the median over pairs of b's time / a's.
 */
async function timeInterleaved(callA, callB, { warmupMs, budgetMs, minRepeats, maxRepeats }) {
  let pairMs = 0;
  const warmupStart = performance.now();
  do {
    const start = performance.now();
    await callA();
    await callB();
    pairMs = performance.now() - start;
  } while (performance.now() - warmupStart < warmupMs);

  // Two implementations share the budget of two separate timings.
  const repeats = Math.max(minRepeats, Math.min(maxRepeats, Math.floor((2 * budgetMs) / Math.max(pairMs, 1e-3))));
  const samplesA = [];
  const samplesB = [];
  const ratios = [];
  for (let i = 0; i < repeats; i++) {
    let start = performance.now();
    await callA();
    samplesA.push(performance.now() - start);
    start = performance.now();
    await callB();
    samplesB.push(performance.now() - start);
    ratios.push(samplesB[i] / samplesA[i]);
  }
  const timing = (samples) => ({ medianMs: median(samples), bestMs: Math.min(...samples), repeats, samplesMs: samples });
  return { a: timing(samplesA), b: timing(samplesB), ratio: median(ratios) };
}

module.exports = { timeCalls, timeInterleaved, budgetFromEnv, median, FULL_BUDGET, QUICK_BUDGET };
