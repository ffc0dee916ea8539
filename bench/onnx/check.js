'use strict';
// Checks the ONNX graph builder: onnxruntime, fed the graph built from one of our modules,
// must reproduce that module's output. Tiny cases, one per op and layout. Needs
// onnxruntime-node in bench/.peers (bench/install-peers.sh).
//
//   node bench/onnx/check.js
const { LSTM, GRU, RNN, manualSeed, randn, packPaddedSequence, padPackedSequence } = require('../..');
const { loadOnnxRuntime, createOrtRunner } = require('../peers/ort');

const TOLERANCE = 1e-5;

const CASES = [
  { name: 'LSTM, 1 layer', make: () => new LSTM(5, 7), steps: 6, batch: 3 },
  { name: 'LSTM, 3 layers, bidirectional', make: () => new LSTM(4, 6, { numLayers: 3, bidirectional: true }), steps: 5, batch: 2 },
  { name: 'GRU, bidirectional', make: () => new GRU(5, 8, { bidirectional: true }), steps: 7, batch: 3 },
  { name: 'GRU, 2 layers', make: () => new GRU(3, 4, 2), steps: 4, batch: 2 },
  { name: 'RNN tanh', make: () => new RNN(6, 5), steps: 5, batch: 4 },
  { name: 'RNN relu, 2 layers, bidirectional', make: () => new RNN(3, 4, { numLayers: 2, nonlinearity: 'relu', bidirectional: true }), steps: 4, batch: 2 },
  { name: 'LSTM, no bias', make: () => new LSTM(4, 5, { bias: false }), steps: 3, batch: 2 },
  { name: 'LSTM, 2 layers, variable lengths', make: () => new LSTM(4, 6, 2), steps: 6, batch: 3, lengths: [6, 2, 4] },
  { name: 'GRU bidirectional, variable lengths', make: () => new GRU(4, 5, { bidirectional: true }), steps: 5, batch: 3, lengths: [3, 5, 1] },
];

function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function main() {
  const loaded = loadOnnxRuntime();
  if (loaded.missing) {
    console.error(loaded.missing);
    process.exit(1);
  }
  let failed = 0;
  for (const testCase of CASES) {
    manualSeed(1234);
    const module = testCase.make().eval();
    const input = randn([testCase.steps, testCase.batch, module.inputSize]);
    let ours;
    if (testCase.lengths) {
      const packed = packPaddedSequence(input, testCase.lengths, { enforceSorted: false });
      ours = padPackedSequence(module.forward(packed)[0], { totalLength: testCase.steps })[0].data;
    } else {
      ours = module.forward(input)[0].data;
    }
    const runner = await createOrtRunner(loaded.ort, module, { threads: 1, sequenceLens: Boolean(testCase.lengths) });
    const theirs = await runner.run(input, testCase.lengths);
    await runner.release();
    const diff = maxAbsDiff(ours, theirs);
    const ok = diff <= TOLERANCE;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${testCase.name}: max |ours - onnxruntime| = ${diff.toExponential(2)}`);
  }
  console.log(`${CASES.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
