'use strict';
// What the packed-weight cache saves: one module that keeps its weights packed between
// calls against a twin with the same weights whose live tensors were handed out
// (parameters()), which packs per call. Calls in turn, in one process.
//
//   SHAPES='LSTM,128,256,2,1,8;LSTM,128,256,2,10,4' THREADS=1 MS=3000 node bench/cache-effect.js
//
// A shape: see grid.js, trialFromText. Prints both medians and the median over pairs of
// cached time / uncached.
const rnnBlas = require('..');
const { createModule, describeTrial, trialFromText } = require('./grid');
const { timeInTurn } = require('./timing');

const DEFAULT_SHAPES = [
  'LSTM,128,256,2,50,1', 'LSTM,128,256,2,1,8', 'LSTM,128,256,2,2,8', 'LSTM,128,256,2,10,4',
  'LSTM,128,256,2,50,4', 'LSTM,128,256,2,4,1', 'GRU,80,256,3,20,8,bi', 'LSTM,512,512,1,20,8',
].join(';');

const threads = Number(process.env.THREADS || 1);
const budgetMs = Number(process.env.MS || 3000);
rnnBlas.setNumThreads(threads);

for (const text of (process.env.SHAPES || DEFAULT_SHAPES).split(';')) {
  const trial = trialFromText(text);
  rnnBlas.manualSeed(1);
  const cached = createModule(rnnBlas, trial);
  const uncached = createModule(rnnBlas, trial);
  uncached.loadStateDict(cached.stateDict());
  uncached.parameters(); // lends the live tensors: no cache from here on
  const input = rnnBlas.randn([trial.steps, trial.batch, trial.inputSize]);
  const t = timeInTurn(() => uncached.forward(input), () => cached.forward(input), budgetMs);
  console.log(`${describeTrial(trial)}, ${threads}T, n=${t.pairs}: uncached ${t.medianMsA.toFixed(3)} ms, ` +
    `cached ${t.medianMsB.toFixed(3)} ms, cached/uncached ${t.ratio.toFixed(3)}`);
}
