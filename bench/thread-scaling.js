'use strict';
// What the second thread buys: each shape timed at 1 and at N threads call by call in turn,
// on the same module and input, so that the machine's drifting load hits both alike.
// Prints the medians and the median over pairs of t(1) / t(N).
//
//   SHAPES='LSTM,128,256,2,100,64;LSTM,512,1024,1,100,128' THREADS=2 MS=6000 node bench/thread-scaling.js
//
// A shape: see grid.js, trialFromText. The default is the grid's lstm_batch64 and lstm_big_b128.
const rnnBlas = require('..');
const { trialFromText, createModule, describeTrial } = require('./grid');
const { timeInTurn } = require('./timing');

const threads = Number(process.env.THREADS || 2);
const budgetMs = Number(process.env.MS || 6000);
const shapes = (process.env.SHAPES || 'LSTM,128,256,2,100,64;LSTM,512,1024,1,100,128').split(';');

console.log(`kernels: ${rnnBlas.kernelSet()}; 1 thread against ${threads}, in turn for ${budgetMs} ms a shape`);
for (const shape of shapes) {
  const trial = trialFromText(shape);
  rnnBlas.manualSeed(1);
  const module = createModule(rnnBlas, trial);
  const input = rnnBlas.randn([trial.steps, trial.batch, trial.inputSize]);
  const at = (count) => () => {
    rnnBlas.setNumThreads(count);
    module.forward(input);
  };
  at(threads)(); // fills the packed-weight cache
  const { medianMsA, medianMsB, ratio, pairs } = timeInTurn(at(1), at(threads), budgetMs);
  console.log(`${describeTrial(trial)}: 1T ${medianMsA.toFixed(1)} ms, ${threads}T ${medianMsB.toFixed(1)} ms, ` +
    `speed-up ${(1 / ratio).toFixed(2)}x (n=${pairs})`);
}
