// Run by scripts/check-package.sh in a project that installed the rnn-blas tarball: the
// package through ESM import. Node finds the named exports of the CommonJS build itself.
import assert from 'node:assert/strict';
import { LSTM, GRU, PackedSequence, packSequence, randn, manualSeed, safetensors, tensor } from 'rnn-blas';
import rnnBlas from 'rnn-blas';

assert.equal(rnnBlas.LSTM, LSTM, 'the default import is the CommonJS exports object');

manualSeed(0);
const lstm = new LSTM(10, 20, { numLayers: 2, batchFirst: true }).eval();
const [output, [hN, cN]] = await lstm.forwardAsync(randn([3, 5, 10]));
assert.deepEqual([...output.shape], [3, 5, 20]);
assert.deepEqual([...hN.shape], [2, 3, 20]);
assert.deepEqual([...cN.shape], [2, 3, 20]);

const gru = new GRU(2, 3);
const packed = packSequence([tensor([[1, 2], [3, 4], [5, 6]]), tensor([[7, 8]])]);
const [packedOutput] = gru.forward(packed);
assert.ok(packedOutput instanceof PackedSequence);
assert.equal(Object.keys(safetensors.load(safetensors.save(gru.stateDict()))).length, 4);
console.log('import: LSTM output', output.shape, 'packed GRU output', packedOutput.data.shape);
