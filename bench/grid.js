'use strict';
// The benchmark grid: the shapes every implementation is timed on (from the performance
// issue). mode is LSTM, GRU, RNN_TANH or RNN_RELU; steps = sequence length L; batch = N.
// The varlen trial is one module and one padded input timed twice, packed and padded.

const TRIALS = [
  { name: 'lstm_latency_b1', mode: 'LSTM', inputSize: 128, hiddenSize: 256, numLayers: 2, bidirectional: false, steps: 50, batch: 1 },
  { name: 'lstm_batch64', mode: 'LSTM', inputSize: 128, hiddenSize: 256, numLayers: 2, bidirectional: false, steps: 100, batch: 64 },
  { name: 'lstm_big_b128', mode: 'LSTM', inputSize: 512, hiddenSize: 1024, numLayers: 1, bidirectional: false, steps: 100, batch: 128 },
  { name: 'gru_bidir_speech', mode: 'GRU', inputSize: 80, hiddenSize: 256, numLayers: 3, bidirectional: true, steps: 200, batch: 32 },
  { name: 'rnn_tanh_small', mode: 'RNN_TANH', inputSize: 64, hiddenSize: 128, numLayers: 1, bidirectional: false, steps: 100, batch: 16 },
];

const VARLEN_LENGTHS_SEED = 20240607;
const QUICK_LENGTH_DIVISOR = 10;
const VARLEN_TRIAL = {
  name: 'lstm_varlen',
  mode: 'LSTM', inputSize: 128, hiddenSize: 256, numLayers: 2, bidirectional: false, steps: 100, batch: 64,
  lengths: uniformLengths(64, 10, 100, VARLEN_LENGTHS_SEED),
};

/** `count` integers uniform over [low, high], from a seeded mulberry32 stream (same every run). */
function uniformLengths(count, low, high, seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => low + Math.floor(next() * (high - low + 1)));
}

/**
 * The trials of a run. BENCH_QUICK (a smoke run of the whole machinery, not a measurement)
 * keeps every size and batch but cuts sequence lengths tenfold, varlen lengths included.
 */
function trialsFor({ quick = false } = {}) {
  const shorten = (steps) => (quick ? Math.ceil(steps / QUICK_LENGTH_DIVISOR) : steps);
  const shortened = (trial) => ({
    ...trial,
    steps: shorten(trial.steps),
    ...(trial.lengths ? { lengths: trial.lengths.map(shorten) } : {}),
  });
  return { trials: TRIALS.map(shortened), varlenTrial: shortened(VARLEN_TRIAL) };
}

/** Our module for a trial: RNN / LSTM / GRU with the trial's sizes, in eval mode. */
function createModule(rnnBlas, trial) {
  const options = { numLayers: trial.numLayers, bidirectional: trial.bidirectional };
  switch (trial.mode) {
    case 'LSTM': return new rnnBlas.LSTM(trial.inputSize, trial.hiddenSize, options).eval();
    case 'GRU': return new rnnBlas.GRU(trial.inputSize, trial.hiddenSize, options).eval();
    case 'RNN_TANH': return new rnnBlas.RNN(trial.inputSize, trial.hiddenSize, { ...options, nonlinearity: 'tanh' }).eval();
    case 'RNN_RELU': return new rnnBlas.RNN(trial.inputSize, trial.hiddenSize, { ...options, nonlinearity: 'relu' }).eval();
    default: throw new Error(`unknown mode ${trial.mode}`);
  }
}

/**
 * A trial from text, for the scripts that take shapes from the command line (shapes.js,
 * compare-builds.js): mode (LSTM, GRU, RNN_TANH, RNN_RELU), input, hidden, layers, steps,
 * batch, and `bi` last for a bidirectional module. "LSTM,128,256,2,10,4"
 */
function trialFromText(text) {
  const [mode, inputSize, hiddenSize, numLayers, steps, batch, bi] = text.split(',').map((s) => s.trim());
  const numbers = [inputSize, hiddenSize, numLayers, steps, batch].map(Number);
  if (!['LSTM', 'GRU', 'RNN_TANH', 'RNN_RELU'].includes(mode) || numbers.some((n) => !Number.isInteger(n) || n < 1) ||
      (bi !== undefined && bi !== 'bi')) {
    throw new RangeError(`bad shape "${text}": mode,input,hidden,layers,steps,batch[,bi]`);
  }
  return {
    name: text, mode, inputSize: numbers[0], hiddenSize: numbers[1], numLayers: numbers[2],
    steps: numbers[3], batch: numbers[4], bidirectional: bi === 'bi',
  };
}

/** "LSTM 128->256 x2, L=50 N=1" */
function describeTrial(trial) {
  const mode = { LSTM: 'LSTM', GRU: 'GRU', RNN_TANH: 'RNN(tanh)', RNN_RELU: 'RNN(relu)' }[trial.mode];
  return `${mode} ${trial.inputSize}->${trial.hiddenSize} x${trial.numLayers}${trial.bidirectional ? ' bidir' : ''}, L=${trial.steps} N=${trial.batch}`;
}

module.exports = { TRIALS, VARLEN_TRIAL, trialsFor, createModule, describeTrial, trialFromText, uniformLengths };
