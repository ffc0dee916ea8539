'use strict';
// Run by scripts/check-package.sh in a project that installed the rnn-blas tarball:
//   node use-require.cjs REFERENCE_JSON prebuild|source
// Uses the package through require() and checks it loaded the expected binary and
// computes what the repository's own build computed (REFERENCE_JSON).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const [referencePath, expectedBinary] = process.argv.slice(2);
const rnn = require('rnn-blas');
const packageDir = path.dirname(require.resolve('rnn-blas/package.json'));
assert.ok(packageDir.includes(`${path.sep}node_modules${path.sep}`), `rnn-blas resolved to ${packageDir}`);

const binary = require('node-gyp-build').resolve(packageDir);
const expectedDir = expectedBinary === 'prebuild' ? 'prebuilds' : 'build';
assert.equal(path.relative(packageDir, binary).split(path.sep)[0], expectedDir, `loaded ${binary}`);
console.log(`rnn-blas ${require('rnn-blas/package.json').version} from ${packageDir}, binary ${path.relative(packageDir, binary)}`);

async function main() {
  for (const name of ['LSTM', 'GRU', 'RNN', 'LSTMCell', 'Tensor', 'tensor', 'randn', 'manualSeed',
    'packSequence', 'padPackedSequence', 'setNumThreads']) {
    assert.equal(typeof rnn[name], 'function', `export ${name}`);
  }
  assert.equal(typeof rnn.safetensors.loadFile, 'function');

  // The same seeded LSTM as test/support/prebuild-smoke.js's smokeForward.
  rnn.manualSeed(14);
  rnn.setNumThreads(2);
  const lstm = new rnn.LSTM(12, 48, { numLayers: 2, bidirectional: true }).eval();
  const input = rnn.randn([9, 4, 12]);
  const [output, [hN, cN]] = lstm.forward(input);
  const [asyncOutput] = await lstm.forwardAsync(input);
  const reference = JSON.parse(fs.readFileSync(referencePath, 'utf8'));
  const results = { output, hN, cN, asyncOutput };
  for (const [key, tensor] of Object.entries(results)) {
    assert.deepEqual([...tensor.shape], reference[key].shape, `${key} shape`);
    let worst = 0;
    tensor.data.forEach((value, i) => {
      worst = Math.max(worst, Math.abs(value - reference[key].data[i]) / Math.max(1, Math.abs(reference[key].data[i])));
    });
    assert.ok(worst <= 1e-6, `${key}: max relative error ${worst} against the repository's build`);
  }

  // Errors keep their types and PyTorch's wording through the package boundary.
  assert.throws(() => lstm.forward(rnn.randn([9, 4, 5])), {
    name: 'RangeError',
    message: /input.size\(-1\) must be equal to input_size. Expected 12, got 5/,
  });
  const bytes = rnn.safetensors.save(lstm.stateDict());
  const again = rnn.LSTM.fromStateDict(rnn.safetensors.load(bytes)).eval();
  assert.deepEqual(again.forward(input)[0].data, output.data);
  console.log('require: LSTM output', output.shape, 'matches the repository build');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
