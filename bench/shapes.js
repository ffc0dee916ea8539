'use strict';
// Ours against onnxruntime-node on shapes outside the grid: small batches, single steps,
// whatever a user asks about. Same machinery as run.js (ORT graph from our weights,
// alternating blocks of calls), one line per shape.
//
//   node bench/shapes.js                                  # the default list below
//   SHAPES='LSTM,128,256,2,10,4;GRU,80,256,1,1,8,bi' BENCH_THREADS=2 node bench/shapes.js
//
// A shape: see grid.js, trialFromText.
const rnnBlas = require('..');
const { createModule, describeTrial, trialFromText } = require('./grid');
const { timeAlternating, FULL_BUDGET } = require('./timing');
const { loadOnnxRuntime, createOrtRunner } = require('./peers/ort');

const DEFAULT_SHAPES = [
  'LSTM,128,256,2,1,1', 'LSTM,128,256,2,1,8', 'LSTM,128,256,2,2,8', 'LSTM,128,256,2,10,4',
  'LSTM,128,256,2,50,4', 'LSTM,128,256,2,100,2', 'GRU,128,256,1,1,1', 'LSTM,512,512,1,20,1',
].join(';');

async function main() {
  const onnxRuntime = loadOnnxRuntime();
  if (onnxRuntime.missing) throw new Error(onnxRuntime.missing);
  const threads = Number(process.env.BENCH_THREADS || 1);
  rnnBlas.setNumThreads(threads);
  const budget = { ...FULL_BUDGET, budgetMs: 1500, maxRepeats: 5000 };
  console.log(`ours against onnxruntime-node ${onnxRuntime.version} at ${threads} thread(s); ORT/ours > 1: we are faster`);
  for (const text of (process.env.SHAPES || DEFAULT_SHAPES).split(';')) {
    const trial = trialFromText(text);
    rnnBlas.manualSeed(1);
    const module = createModule(rnnBlas, trial);
    const input = rnnBlas.randn([trial.steps, trial.batch, trial.inputSize]);
    const runner = await createOrtRunner(onnxRuntime.ort, module, { threads });
    try {
      const timing = await timeAlternating(() => module.forward(input), () => runner.run(input), budget);
      console.log(`${describeTrial(trial).padEnd(36)} ours ${timing.a.medianMs.toFixed(3)} ms, ` +
        `ORT ${timing.b.medianMs.toFixed(3)} ms, ORT/ours ${timing.ratio.toFixed(2)}x`);
    } finally {
      await runner.release();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
