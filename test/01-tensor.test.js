'use strict';
// Tensor, tensor(), zeros(), randn() and manualSeed() behave as the contract says.
const assert = require('node:assert/strict');
const { Tensor, tensor, zeros, randn, manualSeed } = require('../lib');

describe('Tensor', () => {
  it('wraps data with a shape, row-major', () => {
    const t = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
    assert.equal(t.dim(), 2);
    assert.deepEqual(t.size(), [2, 3]);
    assert.equal(t.size(-1), 3);
    assert.equal(t.numel(), 6);
    assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  });

  it('reshape shares data and infers one -1', () => {
    const t = zeros([2, 3]);
    const r = t.reshape(3, -1);
    assert.deepEqual(r.shape, [3, 2]);
    r.data[0] = 9;
    assert.equal(t.data[0], 9);
    assert.throws(() => t.reshape(4, -1), { name: 'RangeError', message: "shape '[4, -1]' is invalid for input of size 6" });
  });

  it('clone copies data', () => {
    const t = tensor([1, 2]);
    const c = t.clone();
    c.data[0] = 5;
    assert.equal(t.data[0], 1);
  });

  it('tensor() infers shapes from nested arrays', () => {
    assert.deepEqual(tensor([[[1], [2]], [[3], [4]]]).shape, [2, 2, 1]);
    assert.deepEqual(tensor([1, 2, 3, 4], [2, 2]).toArray(), [[1, 2], [3, 4]]);
  });

  it('tensor(nested, shape): the nesting\'s values reshaped, as tensor(nested).reshape(shape)', () => {
    assert.deepEqual(tensor([[1, 2], [3, 4]], [2, 2]).toArray(), [[1, 2], [3, 4]]);
    assert.deepEqual(tensor([[1, 2], [3, 4]], [4]).toArray(), [1, 2, 3, 4]);
    assert.deepEqual(tensor([[1, 2], [3, 4]], [4], { dtype: 'int32' }).dtype, 'int32');
    assert.throws(() => tensor([[1, 2], [3, 4]], [3]), { name: 'RangeError', message: "shape '[3]' is invalid for input of size 4" });
  });

  it('size() rejects dims out of range with torch wording', () => {
    assert.throws(() => zeros([2, 3]).size(2), {
      name: 'RangeError',
      message: 'Dimension out of range (expected to be in range of [-2, 1], but got 2)',
    });
  });

  it('randn is seeded by manualSeed and standard normal', () => {
    manualSeed(7);
    const a = randn([20000]);
    manualSeed(7);
    const b = randn([20000]);
    assert.deepEqual(a.data, b.data);
    const mean = a.data.reduce((s, v) => s + v, 0) / a.numel();
    const variance = a.data.reduce((s, v) => s + (v - mean) ** 2, 0) / a.numel();
    assert.ok(Math.abs(mean) < 0.03, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  });
});

describe('Tensor integrity', () => {
  it('is frozen: data and shape cannot be swapped after construction', () => {
    'use strict';
    const t = zeros([2, 3]);
    assert.throws(() => { t.data = new Float32Array(1); }, TypeError);
    assert.throws(() => { t.shape = [1]; }, TypeError);
    assert.throws(() => { t.shape[0] = 7; }, TypeError);
    assert.equal(t.numel(), 6);
  });
});
