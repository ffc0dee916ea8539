'use strict';
// Floating-point work of one recurrent forward, counted as 2*M*N*K for every GEMM the math
// needs (elementwise gate math ignored), per layer and direction:
//   input projection   rows x (G*H) x layerInput
//   recurrent GEMMs    rows x (G*H) x H_out        (summed over steps: rows in all)
//   LSTM projection    rows x H_out x H            (projSize > 0 only)
// rows = steps*batch for a padded batch, sum(lengths) for a packed one: a packed forward
// does only the real tokens' work, so GFLOP/s stay comparable between the two.

const GATES = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 };

/** spec: { mode, inputSize, hiddenSize, numLayers, bidirectional, projSize? }; rows: real tokens. */
function recurrentFlops(spec, rows) {
  const gateRows = GATES[spec.mode] * spec.hiddenSize;
  const outputSize = spec.projSize > 0 ? spec.projSize : spec.hiddenSize;
  const directions = spec.bidirectional ? 2 : 1;
  let flops = 0;
  for (let layer = 0; layer < spec.numLayers; layer++) {
    const layerInput = layer === 0 ? spec.inputSize : directions * outputSize;
    const perDirection =
      2 * rows * gateRows * layerInput +
      2 * rows * gateRows * outputSize +
      (spec.projSize > 0 ? 2 * rows * outputSize * spec.hiddenSize : 0);
    flops += directions * perDirection;
  }
  return flops;
}

/** GFLOP/s of an n x n x n sgemm that took `seconds`. */
function sgemmGflops(n, seconds) {
  return (2 * n ** 3) / seconds / 1e9;
}

module.exports = { recurrentFlops, sgemmGflops };
