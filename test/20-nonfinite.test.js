'use strict';
// NaN and infinities in inputs, weights and initial states travel through RNN, LSTM, GRU and
// their cells as they do in PyTorch: the same outputs are NaN, the same are +inf or -inf,
// and the finite ones agree to 1e-5. Nothing crashes or hangs. The reference is PyTorch's
// float32 forward (scripts/fixtures/make_nonfinite_fixtures.py).
const assert = require('node:assert/strict');
const rnn = require('../lib');
const { loadFixture } = require('./support/numeric');

const { Tensor } = rnn;

/** "NaN", "Infinity", "-Infinity" or a number, as a float32 tensor. */
function toTensor(encoded) {
  return encoded ? new Tensor(Float32Array.from(encoded.data, Number), encoded.shape) : null;
}

/** Same NaN positions, same infinities, finite values within 1e-5 (relative above 1). */
function assertSameNonFinite(actual, expected, label) {
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  const want = expected.data.map(Number);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const a = actual.data[i];
    const e = want[i];
    if (Number.isNaN(e) || Number.isNaN(a)) {
      assert.ok(Number.isNaN(a) && Number.isNaN(e), `${label}[${i}]: got ${a}, PyTorch has ${e}`);
    } else if (!Number.isFinite(e) || !Number.isFinite(a)) {
      assert.equal(a, e, `${label}[${i}]: got ${a}, PyTorch has ${e}`);
    } else {
      worst = Math.max(worst, Math.abs(a - e) / Math.max(1, Math.abs(e)));
    }
  }
  assert.ok(worst <= 1e-5, `${label}: finite values differ by ${worst}`);
}

function moduleOf(testCase) {
  const { inputSize, hiddenSize, ...options } = testCase.options;
  const module = new rnn[testCase.module](inputSize, hiddenSize, options).eval();
  module.loadStateDict(Object.fromEntries(testCase.parameters.map((p) => [p.name, toTensor(p)])));
  return module;
}

async function checkModuleCase(testCase) {
  const module = moduleOf(testCase);
  const input = toTensor(testCase.input);
  const h0 = toTensor(testCase.h0);
  const hx = h0 ? (testCase.module === 'LSTM' ? [h0, toTensor(testCase.c0)] : h0) : undefined;
  const run = async (forward) => {
    if (!testCase.lengths) return forward(input, hx);
    const [output, state] = await forward(rnn.packPaddedSequence(input, testCase.lengths), hx);
    return [rnn.padPackedSequence(output)[0], state];
  };
  for (const [how, forward] of [['forward', (x, h) => module.forward(x, h)], ['forwardAsync', (x, h) => module.forwardAsync(x, h)]]) {
    const [output, state] = await run(forward);
    const [hN, cN] = testCase.module === 'LSTM' ? state : [state, null];
    assertSameNonFinite(output, testCase.output, `${testCase.name}: ${how} output`);
    assertSameNonFinite(hN, testCase.hN, `${testCase.name}: ${how} hN`);
    if (cN) assertSameNonFinite(cN, testCase.cN, `${testCase.name}: ${how} cN`);
  }
}

function checkCellCase(testCase) {
  const module = moduleOf(testCase);
  const input = toTensor(testCase.input);
  const h = toTensor(testCase.h0);
  if (testCase.module === 'LSTMCell') {
    const [h1, c1] = module.forward(input, [h, toTensor(testCase.c0)]);
    assertSameNonFinite(h1, testCase.h1, `${testCase.name}: h1`);
    assertSameNonFinite(c1, testCase.c1, `${testCase.name}: c1`);
  } else {
    assertSameNonFinite(module.forward(input, h), testCase.h1, `${testCase.name}: h1`);
  }
}

// The fixture (2 MB of JSON) is read when these tests run, not while mocha loads the test
// files, and dropped after: it must not sit in the heap while test/12-memory measures RSS.
// So each test below loops over its cases and names the failing one.
describe('NaN and infinities propagate as in PyTorch', () => {
  let cases = [];
  before(() => {
    cases = loadFixture('nonfinite.json').cases;
  });
  after(() => {
    cases = [];
  });

  it('the fixture has non-finite results to compare (and finite ones)', () => {
    const values = cases.flatMap((c) => ['output', 'hN', 'cN', 'h1', 'c1'].flatMap((k) => (c[k] ? c[k].data : [])));
    assert.ok(values.filter((v) => v === 'NaN').length > 1000);
    assert.ok(values.filter((v) => v === 'Infinity' || v === '-Infinity').length > 10);
    assert.ok(values.filter((v) => typeof v === 'number').length > 1000);
  });

  for (const threads of [1, 2]) {
    it(`RNN, LSTM and GRU: every module case, forward and forwardAsync, ${threads} thread${threads > 1 ? 's' : ''}`, async () => {
      const before = rnn.getNumThreads();
      rnn.setNumThreads(threads);
      try {
        const moduleCases = cases.filter((c) => !c.module.endsWith('Cell'));
        assert.ok(moduleCases.length > 250);
        for (const testCase of moduleCases) await checkModuleCase(testCase);
      } finally {
        rnn.setNumThreads(before);
      }
    });
  }

  it('RNNCell, LSTMCell and GRUCell: every cell case', () => {
    const cellCases = cases.filter((c) => c.module.endsWith('Cell'));
    assert.ok(cellCases.length > 40);
    for (const testCase of cellCases) checkCellCase(testCase);
  });
});
