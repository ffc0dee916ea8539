'use strict';
// Times one implementation on one trial (or two, in alternating blocks): warm-up first, then
// as many timed calls as fit a time budget (within [minRepeats, maxRepeats]); reports the
// median and the best call.
const { performance } = require('perf_hooks');

/**
 * Full runs: a couple of seconds per implementation and trial (at most 1000 calls: with
 * 100, a 2 ms trial got two alternating rounds, and its ratio moved by 0.1 between runs).
 * BENCH_QUICK=1: a smoke run.
 */
const FULL_BUDGET = { warmupMs: 200, budgetMs: 2000, minRepeats: 3, maxRepeats: 1000 };
const QUICK_BUDGET = { warmupMs: 0, budgetMs: 150, minRepeats: 1, maxRepeats: 3 };

function budgetFromEnv(env = process.env) {
  return env.BENCH_QUICK === '1' ? QUICK_BUDGET : FULL_BUDGET;
}

/** The timing of a list of samples, as timeCalls and timeAlternating return it. */
function summarize(samplesMs) {
  return { medianMs: median(samplesMs), bestMs: Math.min(...samplesMs), repeats: samplesMs.length, samplesMs };
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
  return summarize(samplesMs);
}

/**
 * Times two implementations of one trial in alternating rounds: in each round, a block of
 * timed calls of a, then of b, each block after untimed calls. Alternating makes a drift
 * in the machine's other load hit both alike; the untimed calls (settleMs at least) absorb
 * what the other implementation leaves running: onnxruntime's pool threads keep spinning
 * after a block of runs, and our 2-thread calls that followed were slowed for 40-60 ms
 * (LSTM 128->256 x2, 50 steps of 4: 5-10 ms instead of 2.5 for the first dozen calls),
 * which 20 ms of settling did not cover. Blocks last at least blockMs. Returns each one's timing as timeCalls does, and `ratio`:
 * the median over rounds of (b's median / a's median) within the round.
 */
async function timeAlternating(callA, callB, { warmupMs, budgetMs, minRepeats, maxRepeats }, blockMs = 150, settleMs = 100) {
  let msA = 0;
  let msB = 0;
  const warmupStart = performance.now();
  do {
    let start = performance.now();
    await callA();
    msA = performance.now() - start;
    start = performance.now();
    await callB();
    msB = performance.now() - start;
  } while (performance.now() - warmupStart < warmupMs);

  // Two implementations share the budget of two separate timings.
  const repeats = Math.max(minRepeats, Math.min(maxRepeats, Math.floor((2 * budgetMs) / Math.max(msA + msB, 1e-3))));
  const perBlock = Math.max(1, Math.min(repeats, Math.ceil(blockMs / Math.max(msA, msB, 1e-3))));
  const rounds = Math.max(1, Math.ceil(repeats / perBlock));
  const samplesA = [];
  const samplesB = [];
  const ratios = [];
  const block = async (call, samples) => {
    // Untimed calls, at least one and for settleMs: the other implementation's threads settle.
    const settleStart = performance.now();
    do await call();
    while (performance.now() - settleStart < settleMs);
    const mine = [];
    for (let i = 0; i < perBlock; i++) {
      const start = performance.now();
      await call();
      mine.push(performance.now() - start);
    }
    samples.push(...mine);
    return median(mine);
  };
  for (let round = 0; round < rounds; round++) {
    const a = await block(callA, samplesA);
    const b = await block(callB, samplesB);
    ratios.push(b / a);
  }
  return { a: summarize(samplesA), b: summarize(samplesB), ratio: median(ratios), rounds };
}

/**
 * Two synchronous calls in turn, call by call, for `budgetMs` (and at least `minPairs`
 * pairs): A/B comparisons of two variants of our own forward (two builds, cached and not),
 * whose threads leave nothing running between calls. Returns both medians and `ratio`, the
 * median over pairs of b's time / a's.
 */
function timeInTurn(callA, callB, budgetMs, minPairs = 6) {
  const times = [[], []];
  const start = Date.now();
  while (Date.now() - start < budgetMs || times[0].length < minPairs) {
    [callA, callB].forEach((call, i) => {
      const t0 = performance.now();
      call();
      times[i].push(performance.now() - t0);
    });
  }
  return {
    medianMsA: median(times[0]),
    medianMsB: median(times[1]),
    ratio: median(times[1].map((t, i) => t / times[0][i])),
    pairs: times[0].length,
  };
}

module.exports = { timeCalls, timeAlternating, timeInTurn, budgetFromEnv, median, FULL_BUDGET, QUICK_BUDGET };
