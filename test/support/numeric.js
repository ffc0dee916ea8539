'use strict';
// Numeric comparison against PyTorch fixtures.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures');

/** Parsed JSON fixture from test/fixtures (written by scripts/fixtures/make_*.py). */
function loadFixture(name) {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, name), 'utf8'));
}

/**
 * Largest relative error of `actual` against `expected`, with the denominator floored at 1
 * so that values near zero are judged by absolute error (float32 sums of a few hundred terms
 * carry ~1e-7 absolute noise whatever the size of the result).
 */
function maxRelativeError(actual, expected) {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!Number.isFinite(e) && a === e) continue;
    const err = Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

/** Asserts shape equality and max relative error <= tolerance (default 1e-5). */
function assertTensorClose(actual, expected, label, tolerance = 1e-5) {
  assert.deepEqual([...actual.shape], expected.shape, `${label}: shape`);
  assert.equal(actual.data.length, expected.data.length, `${label}: element count`);
  const err = maxRelativeError(actual.data, expected.data);
  assert.ok(err <= tolerance, `${label}: max relative error ${err} > ${tolerance}`);
}

module.exports = { loadFixture, maxRelativeError, assertTensorClose, FIXTURE_DIR };
