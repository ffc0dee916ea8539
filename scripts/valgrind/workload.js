'use strict';
// A small workload for scripts/valgrind.sh: every native path once or twice, small enough to
// finish in a minute or two under memcheck. Exits non-zero if a result is wrong.
const assert = require('node:assert/strict');
const rnn = require('../../lib');

async function main() {
  rnn.manualSeed(5);
  rnn.setNumThreads(2); // the thread team too, not only the calling thread
  const lstm = new rnn.LSTM(6, 8, { numLayers: 2, bidirectional: true, projSize: 4 }).eval();
  const gru = new rnn.GRU(6, 10).eval();
  const relu = new rnn.RNN(6, 9, { nonlinearity: 'relu', batchFirst: true }).eval();
  const input = rnn.randn([5, 3, 6]);

  const [lstmOut, [hN, cN]] = lstm.forward(input);
  assert.deepEqual(lstmOut.shape, [5, 3, 8]);
  assert.deepEqual([hN.shape, cN.shape], [[4, 3, 4], [4, 3, 8]]);
  const [gruOut] = gru.forward(input, rnn.randn([1, 3, 10]));
  const [reluOut] = relu.forward(rnn.randn([3, 5, 6]));
  assert.deepEqual([gruOut.shape, reluOut.shape], [[5, 3, 10], [3, 5, 9]]);
  lstm.forward(rnn.randn([4, 6])); // unbatched: a single row, sgemv

  // Async: results equal the synchronous ones.
  const [asyncOut] = await lstm.forwardAsync(input);
  assert.deepEqual(asyncOut.data, lstmOut.data);
  await Promise.all([gru.forwardAsync(input), relu.forwardAsync(rnn.randn([2, 4, 6])), lstm.forwardAsync(input)]);

  // Packed input, unsorted.
  const sequences = [rnn.randn([4, 6]), rnn.randn([2, 6]), rnn.randn([5, 6])];
  const packed = rnn.packSequence(sequences, { enforceSorted: false });
  const [packedOut] = lstm.forward(packed);
  const [asyncPacked] = await lstm.forwardAsync(packed);
  assert.deepEqual(asyncPacked.data.data, packedOut.data.data);
  assert.deepEqual(rnn.unpackSequence(packedOut).map((t) => t.shape[0]), [4, 2, 5]);

  // Cells, Linear, Embedding.
  new rnn.LSTMCell(6, 7).forward(rnn.randn([3, 6]));
  await new rnn.GRUCell(6, 7).forwardAsync(rnn.randn([2, 6]));
  new rnn.Linear(6, 4).forward(rnn.randn([3, 6]));
  new rnn.Embedding(10, 4).forward([[1, 2], [3, 9]]);

  // safetensors round trip, and a checkpoint loaded into a new module.
  const bytes = rnn.safetensors.save(lstm.stateDict(), { format: 'pt' });
  const again = rnn.LSTM.fromStateDict(rnn.safetensors.load(bytes)).eval();
  assert.deepEqual(again.forward(input)[0].data, lstmOut.data);

  // Refused calls unwind cleanly: a TS check, a native check, a failure inside async work.
  assert.throws(() => lstm.forward(rnn.randn([5, 3, 7])), RangeError);
  const { native } = require('../../lib/native');
  assert.throws(() => native.recurrentForward({ kind: 2 }), TypeError);
  const call = { kind: 3, inputSize: 1, hiddenSize: 1, projSize: 0, numLayers: 1, bidirectional: false, bias: false,
    weights: [new Float32Array(3), new Float32Array(3)], steps: 1, batch: 1, batchFirst: false, batchSizes: null,
    input: new Float32Array(1), h0: null, c0: null, output: new Float32Array(1), hN: new Float32Array(1), cN: null,
    dropoutMasks: null, failInWorker: true };
  await assert.rejects(native.recurrentForwardAsync(call), /simulated failure/);
  // A worker_thread loads the addon, computes, and exits: its per-load state and thread team
  // are freed with it.
  const { Worker } = require('node:worker_threads');
  const code = `const rnn = require(${JSON.stringify(require.resolve('../../lib'))});
    rnn.setNumThreads(2);
    const m = new rnn.GRU(4, 6).eval();
    m.forwardAsync(rnn.randn([3, 2, 4])).then(([out]) => require('node:worker_threads').parentPort.postMessage(out.shape));`;
  const shape = await new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.deepEqual(shape, [3, 2, 6]);
  console.log('valgrind workload: ok');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
