#include "gate_math.h"

#include "activations.h"

namespace rnnblas {

void rnnTanhRow(const float* inputGates, const float* hiddenGates, const float* bias, float* h,
                int64_t hiddenSize) {
  for (int64_t j = 0; j < hiddenSize; ++j) {
    h[j] = tanhActivation(inputGates[j] + hiddenGates[j] + bias[j]);
  }
}

void rnnReluRow(const float* inputGates, const float* hiddenGates, const float* bias, float* h,
                int64_t hiddenSize) {
  for (int64_t j = 0; j < hiddenSize; ++j) {
    h[j] = reluActivation(inputGates[j] + hiddenGates[j] + bias[j]);
  }
}

void lstmRow(const float* inputGates, const float* hiddenGates, const float* bias, float* c,
             float* hiddenOut, int64_t hiddenSize) {
  const int64_t H = hiddenSize;
  for (int64_t j = 0; j < H; ++j) {
    const float inputGate = sigmoid(inputGates[j] + hiddenGates[j] + bias[j]);
    const float forgetGate = sigmoid(inputGates[H + j] + hiddenGates[H + j] + bias[H + j]);
    const float cellGate = tanhActivation(inputGates[2 * H + j] + hiddenGates[2 * H + j] + bias[2 * H + j]);
    const float outputGate = sigmoid(inputGates[3 * H + j] + hiddenGates[3 * H + j] + bias[3 * H + j]);
    const float cell = forgetGate * c[j] + inputGate * cellGate;
    c[j] = cell;
    hiddenOut[j] = outputGate * tanhActivation(cell);
  }
}

void gruRow(const float* inputGates, const float* hiddenGates, const float* bias,
            const float* hiddenNewBias, float* h, int64_t hiddenSize) {
  const int64_t H = hiddenSize;
  for (int64_t j = 0; j < H; ++j) {
    const float resetGate = sigmoid(inputGates[j] + hiddenGates[j] + bias[j]);
    const float updateGate = sigmoid(inputGates[H + j] + hiddenGates[H + j] + bias[H + j]);
    const float newGate = tanhActivation(inputGates[2 * H + j] + bias[2 * H + j] +
                                         resetGate * (hiddenGates[2 * H + j] + hiddenNewBias[j]));
    h[j] = (1.0f - updateGate) * newGate + updateGate * h[j];
  }
}

}  // namespace rnnblas
