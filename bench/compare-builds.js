'use strict';
// Two builds of the addon in one process, call by call in turn on the same module and
// input: how a change to the native code moves the time, with the machine's drifting load
// hitting both alike. Each build gets its own copy of lib/ (RNN_BLAS_BINARY is read when
// lib/ is first required).
//
//   BINS=/tmp/before.node,build/Release/rnn_blas.node \
//   SHAPES='LSTM,128,256,2,50,1;GRU,80,256,3,20,8,bi' THREADS=1 MS=4000 node bench/compare-builds.js
//
// ROOTS=/tmp/old-checkout,. compares two whole checkouts instead (each its own lib/ and
// build), for an A that predates a change of the binding's call object.
//
// A shape: see grid.js, trialFromText. Prints both medians, the median over pairs of B's
// time / A's, and the largest |A - B| over the output (float rounding when a change
// reorders sums).
const path = require('path');
const { createModule, describeTrial, trialFromText } = require('./grid');
const { timeInTurn } = require('./timing');

const libDir = path.join(__dirname, '..', 'lib');
const listed = (name) => (process.env[name] || '').split(',').filter(Boolean).map((entry) => path.resolve(entry));
const bins = listed('BINS');
const roots = listed('ROOTS');
if (bins.length !== 2 && roots.length !== 2) throw new Error('BINS=a.node,b.node (two builds of the addon) or ROOTS=a,b (two checkouts)');

const libs = roots.length === 2 ? roots.map((root) => require(root)) : bins.map((binary) => {
  for (const key of Object.keys(require.cache)) if (key.startsWith(libDir)) delete require.cache[key];
  process.env.RNN_BLAS_BINARY = binary;
  return require(libDir);
});

const threads = Number(process.env.THREADS || 1);
const budgetMs = Number(process.env.MS || 4000);

for (const shape of (process.env.SHAPES || 'LSTM,128,256,2,100,64').split(';')) {
  const trial = trialFromText(shape);
  const modules = libs.map((lib) => {
    lib.setNumThreads(threads);
    lib.manualSeed(1);
    return createModule(lib, trial);
  });
  // The same weights in both, whatever either build's initialisation draws. stateDict()
  // copies and loadStateDict() copies in: namedParameters() would lend the live tensors,
  // and a module that lent them packs its weights on every call (no cache).
  const weightsOfA = modules[0].stateDict();
  modules[1].loadStateDict(Object.fromEntries(Object.entries(weightsOfA).map(([name, weight]) => [name, libs[1].tensor(Array.from(weight.data), weight.shape)])));
  libs[0].manualSeed(2);
  const source = libs[0].randn([trial.steps, trial.batch, trial.inputSize]);
  const inputs = libs.map((lib) => lib.tensor(Array.from(source.data), source.shape));
  const [outA, outB] = modules.map((module, i) => module.forward(inputs[i])[0].data);
  let maxDiff = 0;
  for (let i = 0; i < outA.length; i++) maxDiff = Math.max(maxDiff, Math.abs(outA[i] - outB[i]));

  const t = timeInTurn(() => modules[0].forward(inputs[0]), () => modules[1].forward(inputs[1]), budgetMs);
  console.log(`${describeTrial(trial)}, ${threads}T, n=${t.pairs}: A ${t.medianMsA.toFixed(3)} ms, ` +
    `B ${t.medianMsB.toFixed(3)} ms, B/A ${t.ratio.toFixed(3)}, max|A-B| ${maxDiff.toExponential(1)}`);
}
