'use strict';
// The benchmark: a table of trials. Every trial of bench/grid.js runs on our modules and on
// the peers that are present (onnxruntime-node from bench/.peers on the same weights and
// inputs, PyTorch through /usr/bin/python3 on the same shapes), at 1 and 2 threads, in this
// one process and run. Prints one table per thread count and writes bench/results/latest.json.
//
//   node bench/run.js                   full run (a few minutes on 2 cores)
//   BENCH_QUICK=1 node bench/run.js     smoke run: sequences 10x shorter, one or two calls each
//   BENCH_ONLY=lstm_batch64,lstm_varlen BENCH_THREADS=1 node bench/run.js   while developing
//
// Our times are for forward() alone: inputs are tensors built beforehand, and the packed
// trial's PackedSequence is packed once, outside the timing (torch's peer does the same).
const fs = require('fs');
const path = require('path');

const rnnBlas = require('..');
const binding = require('../build/Release/rnn_blas.node');
const { VARLEN_TRIAL, trialsFor, createModule, describeTrial } = require('./grid');
const { timeCalls, timeAlternating, budgetFromEnv } = require('./timing');
const { recurrentFlops, sgemmGflops } = require('./flops');
const { loadOnnxRuntime, createOrtRunner } = require('./peers/ort');
const { probeTorch, runTorchPeer, torchLabel } = require('./peers/torch');
const { describeMachine, measureOtherLoad } = require('./machine');

const PEAK_GEMM_SIZE = 2048;
const PACKED_TOLERANCE = 0.10; // packed may cost at most 10% more than padded x token ratio
const ORT_DIFF_WARNING = 1e-4; // float32 rounding gives ~1e-7..1e-6; more means the graph or our math is off
const RESULTS_FILE = path.join(__dirname, 'results', 'latest.json');

function settingsFromEnv(env = process.env) {
  const quick = env.BENCH_QUICK === '1';
  const list = (value) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : null);
  const threads = (list(env.BENCH_THREADS) || ['1', '2']).map(Number);
  if (threads.some((t) => !Number.isInteger(t) || t < 1)) throw new RangeError(`BENCH_THREADS: ${env.BENCH_THREADS}`);
  const command = ['BENCH_QUICK', 'BENCH_ONLY', 'BENCH_THREADS']
    .filter((name) => env[name] !== undefined)
    .map((name) => `${name}=${env[name]} `)
    .join('') + `node ${path.relative(process.cwd(), __filename) || 'bench/run.js'}`;
  return { quick, threads, only: list(env.BENCH_ONLY), budget: budgetFromEnv(env), command };
}

/**
 * The rows of the tables: each grid trial padded, and the varlen trial twice over one module
 * and one input, padded to its full length and packed (enforceSorted false).
 */
function prepareRows({ only, quick }) {
  const { trials, varlenTrial } = trialsFor({ quick });
  const wanted = (name) => !only || only.some((prefix) => name.startsWith(prefix));
  const rows = [];
  trials.forEach((trial, index) => {
    if (!wanted(trial.name)) return;
    rnnBlas.manualSeed(index + 1); // the trial's own seed: the same weights whatever BENCH_ONLY picks
    const module = createModule(rnnBlas, trial);
    const input = rnnBlas.randn([trial.steps, trial.batch, trial.inputSize]);
    rows.push({ name: trial.name, trial, module, input, feed: input, tokens: trial.steps * trial.batch });
  });
  if (wanted(varlenTrial.name)) {
    const trial = varlenTrial;
    rnnBlas.manualSeed(100);
    const module = createModule(rnnBlas, trial);
    const input = rnnBlas.randn([trial.steps, trial.batch, trial.inputSize]);
    const packed = rnnBlas.packPaddedSequence(input, trial.lengths, { enforceSorted: false });
    const realTokens = trial.lengths.reduce((a, b) => a + b, 0);
    rows.push({ name: `${trial.name}_padded`, trial, module, input, feed: input, tokens: trial.steps * trial.batch });
    rows.push({ name: `${trial.name}_packed`, trial, module, input, feed: packed, tokens: realTokens, lengths: trial.lengths });
  }
  for (const row of rows) {
    row.flops = recurrentFlops(row.trial, row.tokens);
    row.description = `${describeTrial(row.trial)}${row.lengths ? `, packed (${row.tokens} real tokens)` : ''}`;
  }
  return rows;
}

/** Our forward's output as a padded (L, N, D*H) Float32Array, for the check against ORT. */
function oursPadded(row) {
  const [output] = row.module.forward(row.feed);
  if (!row.lengths) return output.data;
  return rnnBlas.padPackedSequence(output, { totalLength: row.trial.steps })[0].data;
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/**
 * Ours and ORT on one row, in alternating blocks of calls (timing.js: timeAlternating).
 * `ort.ratio` is the median over rounds of ORT's time / ours: the machine's other load
 * drifts, and a round's two blocks see about the same.
 */
async function timeAgainstOrt(ort, row, threads, budget, expected) {
  const runner = await createOrtRunner(ort, row.module, { threads, sequenceLens: Boolean(row.lengths) });
  try {
    const output = await runner.run(row.input, row.lengths);
    const maxDiff = maxAbsDiff(expected, output);
    const timing = await timeAlternating(() => row.module.forward(row.feed), () => runner.run(row.input, row.lengths), budget);
    return { ours: timing.a, ort: { ...timing.b, ratio: timing.ratio, maxAbsDiff: maxDiff } };
  } finally {
    await runner.release();
  }
}

// ---- formatting ----

function ms(value) {
  if (value === undefined || value === null) return '-';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function ratio(value) {
  return value === undefined || value === null || !Number.isFinite(value) ? '-' : `${value.toFixed(2)}x`;
}

function renderTable(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i].length)));
  const format = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)].join('\n');
}

function tableFor(threads, results, peak, labels) {
  const header = ['trial', 'ours median ms', 'ours best ms', 'GFLOP/s', '% peak',
    'ORT median ms', 'ORT/ours', 'ORT max|diff|', `${labels.torch} median ms`, 'torch/ours'];
  const lines = results.map((r) => [
    r.name,
    ms(r.ours.medianMs),
    ms(r.ours.bestMs),
    r.gflops.toFixed(1),
    `${r.peakPercent.toFixed(1)}%`,
    ms(r.ort && r.ort.medianMs),
    ratio(r.ort && r.ort.ratio),
    r.ort ? r.ort.maxAbsDiff.toExponential(1) : '-',
    ms(r.torch && r.torch.medianMs),
    ratio(r.torch && r.torch.ratio),
  ]);
  return `${threads} thread${threads > 1 ? 's' : ''} (sgemm peak ${peak.gflops.toFixed(1)} GFLOP/s)\n${renderTable(header, lines)}`;
}

/** Packed vs padded on the varlen trial: does packing save the padding's work? */
/**
 * Packed against padded on the same module, in alternating blocks as ours and ORT are: a
 * drift in the machine's load between the two rows' own timings (seconds apart) moved
 * their ratio of medians by up to 0.05, as much as the tolerance.
 */
async function timeVarlenPair(rows, budget) {
  const padded = rows.find((row) => row.name === `${VARLEN_TRIAL.name}_padded`);
  const packed = rows.find((row) => row.name === `${VARLEN_TRIAL.name}_packed`);
  if (!padded || !packed) return null;
  const timing = await timeAlternating(() => padded.module.forward(padded.feed), () => packed.module.forward(packed.feed), budget);
  return timing.ratio;
}

function varlenSummary(results, alternatingRatio) {
  const padded = results.find((r) => r.name === `${VARLEN_TRIAL.name}_padded`);
  const packed = results.find((r) => r.name === `${VARLEN_TRIAL.name}_packed`);
  if (!padded || !packed || alternatingRatio === null) return null;
  const tokenRatio = packed.tokens / padded.tokens;
  const limit = tokenRatio * (1 + PACKED_TOLERANCE);
  return {
    paddedShape: [padded.steps, padded.batch],
    lengths: packed.lengths,
    tokenRatio,
    packedOverPadded: alternatingRatio,
    ofSeparateMedians: packed.ours.medianMs / padded.ours.medianMs,
    limit,
    withinTolerance: alternatingRatio <= limit,
  };
}

function describeVarlen(summary) {
  return `${VARLEN_TRIAL.name}: packed/padded time ${summary.packedOverPadded.toFixed(3)} (alternating blocks; ` +
    `${summary.ofSeparateMedians.toFixed(3)} from the rows' own medians), real tokens ` +
    `${summary.tokenRatio.toFixed(3)} of ${summary.paddedShape.join('x')}; within 10% of padded x ` +
    `token ratio (<= ${summary.limit.toFixed(3)}): ${summary.withinTolerance ? 'yes' : 'NO'}`;
}

/** "37% of 2 cores busy with other work" */
function busy(fraction, cores) {
  return `${(100 * fraction).toFixed(0)}% of ${cores} cores busy with other work`;
}

// ---- the run ----

/**
 * The sgemm peak at `threads`: the best of `repeats` n=2048 products. Measured before and
 * after that thread count's trials, and the faster of the two kept: on a shared machine one
 * measurement alone may land in a busy moment and flatter the % peak.
 */
function measurePeak(threads, repeats) {
  const seconds = binding.sgemmBenchmark(PEAK_GEMM_SIZE, threads, repeats);
  return { seconds, gflops: sgemmGflops(PEAK_GEMM_SIZE, seconds) };
}

function bestPeak(before, after) {
  const best = before.seconds <= after.seconds ? before : after;
  return { ...best, beforeGflops: before.gflops, afterGflops: after.gflops };
}

/** Each row at `threads`: ours and ORT in alternating blocks, so drifting load hits both. */
async function runTrials(rows, threads, { budget, onnxRuntime }) {
  rnnBlas.setNumThreads(threads);
  const results = [];
  for (const row of rows) {
    process.stderr.write(`  ${threads}T ${row.name} ...`);
    const expected = oursPadded(row);
    let ours = null;
    let ort = null;
    let ortError = null;
    if (!onnxRuntime.missing) {
      try {
        ({ ours, ort } = await timeAgainstOrt(onnxRuntime.ort, row, threads, budget, expected));
      } catch (error) {
        ortError = error.message;
      }
    }
    if (!ours) ours = await timeCalls(() => row.module.forward(row.feed), budget);
    const gflops = row.flops / (ours.medianMs / 1000) / 1e9;
    const result = {
      name: row.name,
      description: row.description,
      steps: row.trial.steps,
      batch: row.trial.batch,
      tokens: row.tokens,
      lengths: row.lengths || null,
      gflop: row.flops / 1e9,
      ours,
      gflops,
      peakPercent: null, // once the peak after the trials is known
      ort,
      torch: null,
    };
    if (ortError) result.ortError = ortError;
    process.stderr.write(` ours ${ms(ours.medianMs)} ms${result.ort ? `, ORT ${ms(result.ort.medianMs)} ms` : ''}\n`);
    results.push(result);
  }
  return results;
}

/** Fills result.torch in every row from one torch subprocess; returns a note when it could not. */
function attachTorch(rows, results, settings, torch, label) {
  if (torch.missing) return `PyTorch skipped: ${torch.missing}`;
  const trials = rows.map((row) => ({ ...row.trial, name: row.name, lengths: row.lengths || null }));
  try {
    process.stderr.write(`  ${label} subprocess ...\n`);
    const peer = runTorchPeer({ trials, threads: settings.threads, budget: settings.budget });
    for (const threads of settings.threads) {
      for (const result of results[threads]) {
        const timing = peer.results[String(threads)][result.name];
        result.torch = { ...timing, ratio: timing.medianMs / result.ours.medianMs };
      }
    }
    return null;
  } catch (error) {
    return error.message;
  }
}

async function main() {
  const settings = settingsFromEnv();
  const machine = describeMachine();
  machine.otherLoadAtStart = await measureOtherLoad();
  console.log(`rnn-blas benchmark: ${settings.command}`);
  if (settings.quick) console.log('BENCH_QUICK: sequences 10x shorter, 1-3 timed calls each: a smoke run, not a measurement');
  console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}, node ${machine.node}`);
  machine.kernels = binding.machineInfo();
  const { kernelSet, panelWidth, l1dBytes, l2Bytes, openblasCore } = machine.kernels;
  console.log(`kernels: ${kernelSet} (panels of ${panelWidth}), L1d ${l1dBytes >> 10} KiB, L2 ${l2Bytes >> 10} KiB per core, OpenBLAS core ${openblasCore}`);
  console.log(`other load before the run: ${busy(machine.otherLoadAtStart, machine.cores)}`);

  const onnxRuntime = loadOnnxRuntime();
  const torch = probeTorch();
  const labels = {
    ort: onnxRuntime.missing ? null : `onnxruntime-node ${onnxRuntime.version}`,
    torch: torch.missing ? 'PyTorch' : torchLabel(torch.version),
  };
  console.log(`peers: ${labels.ort || `ORT skipped (${onnxRuntime.missing})`}; ` +
    (torch.missing ? `PyTorch skipped (${torch.missing})` : `${labels.torch} (${torch.version}, /usr/bin/python3, subprocess after ours)`));

  const rows = prepareRows(settings);
  const nameWidth = Math.max(...rows.map((row) => row.name.length));
  console.log('trials:');
  for (const row of rows) console.log(`  ${row.name.padEnd(nameWidth)}  ${row.description}, ${(row.flops / 1e9).toFixed(2)} GFLOP`);

  const results = {};
  const varlenRatios = {};
  const peak = { gemmSize: PEAK_GEMM_SIZE, repeats: settings.quick ? 2 : 5, byThreads: {} };
  for (const threads of settings.threads) {
    const before = measurePeak(threads, peak.repeats);
    results[threads] = await runTrials(rows, threads, { budget: settings.budget, onnxRuntime });
    varlenRatios[threads] = await timeVarlenPair(rows, settings.budget);
    peak.byThreads[threads] = bestPeak(before, measurePeak(threads, peak.repeats));
    for (const result of results[threads]) result.peakPercent = (100 * result.gflops) / peak.byThreads[threads].gflops;
  }
  console.log(`peak: sgemm ${PEAK_GEMM_SIZE}^3, best of ${peak.repeats} before and ${peak.repeats} after each ` +
    'thread count\'s trials: ' + settings.threads.map((t) => {
    const p = peak.byThreads[t];
    return `${p.gflops.toFixed(1)} GFLOP/s at ${t} thread${t > 1 ? 's' : ''} (before ${p.beforeGflops.toFixed(1)}, after ${p.afterGflops.toFixed(1)})`;
  }).join('; '));
  const torchNote = attachTorch(rows, results, settings, torch, labels.torch);

  console.log('');
  const varlen = {};
  for (const threads of settings.threads) {
    console.log(tableFor(threads, results[threads], peak.byThreads[threads], labels));
    const summary = varlenSummary(results[threads], varlenRatios[threads]);
    if (summary) {
      varlen[threads] = summary;
      console.log(describeVarlen(summary));
    }
    console.log('');
  }
  console.log('Times are medians (and best) of forward() in ms; GFLOP/s = GEMM work (2*M*N*K: input projections, ' +
    'recurrent GEMMs, per layer and direction) / our median; % peak is of the sgemm peak at the same thread count. ' +
    'ORT and ours run in alternating blocks of calls; ORT/ours is the median over rounds of ORT time / ours. ' +
    'ORT/ours and torch/ours > 1 mean we are faster. ORT max|diff| is the largest |ours - ORT| over the output ' +
    '(same weights and inputs); ORT runs the packed trial as padded input with sequence_lens.');
  if (onnxRuntime.missing) console.log(`ORT skipped: ${onnxRuntime.missing}`);
  const allResults = Object.values(results).flat();
  for (const r of allResults.filter((r) => r.ortError)) console.log(`ORT failed on ${r.name}: ${r.ortError}`);
  for (const r of allResults.filter((r) => r.ort && r.ort.maxAbsDiff > ORT_DIFF_WARNING)) {
    console.log(`WARNING: ${r.name}: ours and ORT differ by ${r.ort.maxAbsDiff.toExponential(2)} (> ${ORT_DIFF_WARNING})`);
  }
  if (torchNote) console.log(torchNote);
  machine.otherLoadAtEnd = await measureOtherLoad();
  console.log(`other load after the run: ${busy(machine.otherLoadAtEnd, machine.cores)}` +
    (Math.max(machine.otherLoadAtStart, machine.otherLoadAtEnd) > 0.1 ? ' (the cores were shared: expect noise, most at 2 threads)' : ''));
  console.log(`command: ${settings.command}`);

  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  const json = {
    date: new Date().toISOString(),
    command: settings.command,
    quick: settings.quick,
    machine,
    peak,
    peers: { ort: labels.ort || { missing: onnxRuntime.missing }, torch: torch.missing ? { missing: torchNote } : torch.version },
    budget: settings.budget,
    results,
    varlen: Object.keys(varlen).length ? varlen : null,
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`results: ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
