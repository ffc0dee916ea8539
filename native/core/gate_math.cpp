#include "gate_math.h"

#include "activations.h"

namespace rnnblas {

void rnnTanhRowScalar(const GateRow& row, float* hNext) {
  for (int64_t j = row.begin; j < row.end; ++j) {
    hNext[j] = tanhActivation(preactivation(row, j));
  }
}

void rnnReluRowScalar(const GateRow& row, float* hNext) {
  for (int64_t j = row.begin; j < row.end; ++j) {
    hNext[j] = reluActivation(preactivation(row, j));
  }
}

void lstmRowScalar(const GateRow& row, float* cell, float* hiddenOut) {
  const int64_t H = row.hiddenSize;
  for (int64_t j = row.begin; j < row.end; ++j) {
    const float inputGate = sigmoid(preactivation(row, j));
    const float forgetGate = sigmoid(preactivation(row, H + j));
    const float cellGate = tanhActivation(preactivation(row, 2 * H + j));
    const float outputGate = sigmoid(preactivation(row, 3 * H + j));
    const float c = forgetGate * cell[j] + inputGate * cellGate;
    cell[j] = c;
    hiddenOut[j] = outputGate * tanhActivation(c);
  }
}

void gruRowScalar(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext) {
  const int64_t H = row.hiddenSize;
  const float* x = row.inputGates;
  const float* h = row.hiddenGates;
  for (int64_t j = row.begin; j < row.end; ++j) {
    const float resetGate = sigmoid(x[j] + h[j]);
    const float updateGate = sigmoid(x[H + j] + h[H + j]);
    const float newGate = tanhActivation(x[2 * H + j] + resetGate * (h[2 * H + j] + hiddenNewBias[j]));
    hNext[j] = (1.0f - updateGate) * newGate + updateGate * hPrev[j];
  }
}

}  // namespace rnnblas
