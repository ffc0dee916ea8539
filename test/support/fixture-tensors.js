'use strict';
// Tensors as make_model_fixtures.py writes them: {shape, dtype, data}, non-finite floats as
// 'nan' / 'inf' / '-inf', int64 as numbers (every fixture value is below 2^53 unless noted).
const { tensor } = require('../../lib');

const SPECIAL = { nan: NaN, inf: Infinity, '-inf': -Infinity };

function fromFixture(encoded) {
  const { shape, dtype, data } = encoded;
  let values = data.map((v) => (typeof v === 'string' ? SPECIAL[v] : v));
  if (dtype === 'int64') values = BigInt64Array.from(data.map((v) => BigInt(v)));
  else if (dtype === 'bool') values = values.map((v) => (v ? 1 : 0));
  return tensor(values, shape, { dtype });
}

/** Exact comparison of shape, dtype and every element (floats as float32/float64 bits). */
function assertTensorEqual(assert, actual, expected, label) {
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  const want = fromFixture(expected);
  assert.deepEqual([...actual.data], [...want.data], `${label}: data`);
}

/** Shape and dtype exact, values within `tolerance` (absolute + relative). */
function assertTensorClose(assert, actual, expected, tolerance, label) {
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  const want = fromFixture(expected).data;
  actual.data.forEach((value, i) => {
    const w = Number(want[i]);
    const ok = Number.isNaN(w) ? Number.isNaN(value) : Math.abs(Number(value) - w) <= tolerance * (1 + Math.abs(w));
    assert.ok(ok, `${label}: element ${i}: ${value} vs torch ${w}`);
  });
}

module.exports = { fromFixture, assertTensorEqual, assertTensorClose };
