'use strict';
// The README's server example: concurrent requests of different lengths are batched into
// one packed forwardAsync, and each gets the answer it would get alone.
const assert = require('node:assert/strict');
const { Tensor } = require('../lib');
const { infer } = require('../examples/server/batching-server');

describe('the batching server example', () => {
  it('answers each request with its own slice of the batch', async () => {
    const sequences = Array.from({ length: 24 }, (_, i) =>
      new Tensor(Float32Array.from({ length: 4 * (1 + (i % 6)) }, (_, j) => Math.sin(i + j)), [1 + (i % 6), 4]));
    const answers = await Promise.all(sequences.map(infer));
    const { LSTM, manualSeed } = require('../lib');
    manualSeed(0);
    const model = new LSTM(4, 16).eval(); // the example's model: same seed, same weights
    sequences.forEach((sequence, i) => {
      const [, [hN]] = model.forward(sequence);
      assert.equal(answers[i].length, 16);
      answers[i].forEach((value, j) => assert.ok(Math.abs(value - hN.data[j]) < 1e-6, `request ${i} unit ${j}`));
    });
  });
});
