'use strict';
// onnxruntime-node as a peer: loaded from bench/.peers (bench/install-peers.sh), never a
// dependency of the package. The model is built from our module's weights, so its output
// is checked against ours as well as timed.
const path = require('path');
const { buildRecurrentModel } = require('../onnx/recurrent-graph');

const PEERS_DIR = path.join(__dirname, '..', '.peers', 'node_modules');

/** The onnxruntime-node module, or { missing: reason } when it is not installed. */
function loadOnnxRuntime() {
  try {
    const ort = require(path.join(PEERS_DIR, 'onnxruntime-node'));
    return { ort, version: ort.env.versions.node || ort.env.versions.common };
  } catch (error) {
    return { missing: `onnxruntime-node not found in bench/.peers (run bench/install-peers.sh): ${error.code || error.message}` };
  }
}

/**
 * A session computing `module` on `threads` intra-op threads, and a `run(input, lengths?)`
 * returning the output Float32Array ([seq, batch, D*hidden]). `lengths` makes it a padded
 * batch with ONNX sequence_lens (ONNX's variable-length form).
 */
async function createOrtRunner(ort, module, { threads, sequenceLens = false }) {
  const model = buildRecurrentModel(module, { sequenceLens });
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  });
  return {
    async run(input, lengths) {
      const feeds = { input: new ort.Tensor('float32', input.data, input.shape) };
      if (sequenceLens) feeds.sequence_lens = new ort.Tensor('int32', Int32Array.from(lengths), [lengths.length]);
      const { output } = await session.run(feeds);
      return output.data;
    },
    release: () => session.release(),
  };
}

module.exports = { loadOnnxRuntime, createOrtRunner };
