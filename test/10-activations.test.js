'use strict';
// The vectorised activations (the kernel table's) stay within 1e-6 of libm and let
// NaN and infinities through as PyTorch does. A one-step layer with input weights of 1
// computes act(x_b) in every hidden unit of batch row b: 19 units cover whole vectors
// and the scalar tail.
const assert = require('node:assert/strict');
const { RNN, LSTM, Tensor } = require('../lib');

const range = [];
for (let v = -20; v <= 20; v += 1 / 256) range.push(v);
const specials = [0, -0, 1e-8, -1e-8, 1e-4, -3e-3, 0.6249, 0.625, 0.6251, 9, 44, 88, 89, 100, -100, 1e30, -1e30,
  Infinity, -Infinity, NaN];
const points = Float32Array.from([...range, ...specials]);

const UNITS = 19;
const input = new Tensor(points, [1, points.length, 1]);

function oneStep(Module, options, configure) {
  const module = new Module(1, UNITS, { bias: true, ...options }).eval();
  const sd = module.stateDict();
  for (const t of Object.values(sd)) t.data.fill(0);
  configure(sd);
  module.loadStateDict(sd);
  return module;
}

function assertWithin(actual, expected, label) {
  let worst = 0;
  for (let b = 0; b < points.length; b++) {
    const e = expected(points[b]);
    for (let j = 0; j < UNITS; j++) {
      const a = actual[b * UNITS + j];
      if (Number.isNaN(e)) assert.ok(Number.isNaN(a), `${label}(${points[b]}) should be NaN, got ${a}`);
      else if (a !== e) worst = Math.max(worst, Math.abs(a - e));
    }
  }
  assert.ok(worst <= 1e-6, `${label}: max abs error ${worst}`);
}

describe('activations match libm within 1e-6', () => {
  it('tanh (RNN)', () => {
    const rnn = oneStep(RNN, {}, (sd) => sd.weight_ih_l0.data.fill(1));
    const [output] = rnn.forward(input);
    assertWithin(output.data, Math.tanh, 'tanh');
  });

  it('relu (RNN)', () => {
    const rnn = oneStep(RNN, { nonlinearity: 'relu' }, (sd) => sd.weight_ih_l0.data.fill(1));
    const [output] = rnn.forward(input);
    assertWithin(output.data, (v) => (Number.isNaN(v) ? NaN : Math.max(v, 0)), 'relu');
  });

  // Infinite inputs would make 0-weight gates inf * 0 = NaN, so this one takes finite points.
  it('sigmoid (LSTM input gate: c = sigmoid(v) * tanh(20))', () => {
    const lstm = oneStep(LSTM, {}, (sd) => {
      sd.weight_ih_l0.data.fill(1, 0, UNITS); // i gate
      sd.bias_ih_l0.data.fill(20, 2 * UNITS, 3 * UNITS); // g = tanh(20) = 1 in float32
    });
    const [, [, cN]] = lstm.forward(input);
    assertWithin(cN.data, (v) => (Number.isFinite(v) ? 1 / (1 + Math.exp(-v)) : NaN), 'sigmoid');
  });
});
