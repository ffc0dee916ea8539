#include "gate_math.h"

#include "activations.h"

namespace rnnblas {

void rnnTanhRowScalar(const GateRow& row, float* hNext) {
  for (int64_t j = row.begin; j < row.end; ++j) {
    hNext[j] = tanhActivation(row.inputGates[j] + row.hiddenGates[j]);
  }
}

void rnnReluRowScalar(const GateRow& row, float* hNext) {
  for (int64_t j = row.begin; j < row.end; ++j) {
    hNext[j] = reluActivation(row.inputGates[j] + row.hiddenGates[j]);
  }
}

void lstmRowScalar(const GateRow& row, float* cell, float* hiddenOut) {
  const int64_t H = row.hiddenSize;
  const float* x = row.inputGates;
  const float* h = row.hiddenGates;
  for (int64_t j = row.begin; j < row.end; ++j) {
    const float inputGate = sigmoid(x[j] + h[j]);
    const float forgetGate = sigmoid(x[H + j] + h[H + j]);
    const float cellGate = tanhActivation(x[2 * H + j] + h[2 * H + j]);
    const float outputGate = sigmoid(x[3 * H + j] + h[3 * H + j]);
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
