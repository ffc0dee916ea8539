'use strict';
// The prebuild's smoke test. Run as a script (inside hide-openblas.sh) it reports, as JSON
// on stdout, whether the development build in build/Release still loads, which binary
// node-gyp-build picked with PREBUILDS_ONLY=1, the kernel table it chose, and the result of
// smokeForward through the package's own lib/. The mocha test runs smokeForward with the
// development build and compares. test/14 also runs it with the arm64 Node under qemu.
const path = require('node:path');

const root = path.join(__dirname, '..', '..');

/** A seeded 2-layer bidirectional LSTM, sync and async, with the thread team in use. */
async function smokeForward(rnn) {
  rnn.manualSeed(14);
  rnn.setNumThreads(2);
  const lstm = new rnn.LSTM(12, 48, { numLayers: 2, bidirectional: true }).eval();
  const input = rnn.randn([9, 4, 12]);
  const [output, [hN, cN]] = lstm.forward(input);
  const [asyncOutput] = await lstm.forwardAsync(input);
  const plain = (tensor) => ({ shape: [...tensor.shape], data: Array.from(tensor.data) });
  return { output: plain(output), hN: plain(hN), cN: plain(cN), asyncOutput: plain(asyncOutput) };
}

async function main() {
  const report = {};
  try {
    require(path.join(root, 'build', 'Release', 'rnn_blas.node'));
    report.devBuild = { loads: true };
  } catch (error) {
    report.devBuild = { loads: false, error: String(error.message).split('\n')[0] };
  }
  report.arch = process.arch;
  report.binary = require('node-gyp-build').resolve(root);
  report.kernelSet = require(root).kernelSet();
  report.result = await smokeForward(require(root));
  process.stdout.write(JSON.stringify(report));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { smokeForward };
