// What a recurrent stack is: cell kind and sizes. Plain data shared by every part of the core.
#pragma once
#include <cstdint>

namespace rnnblas {

enum class CellKind : int32_t { RnnTanh = 0, RnnRelu = 1, Lstm = 2, Gru = 3 };

// Gates stacked in W_ih / W_hh: LSTM i|f|g|o, GRU r|z|n, plain RNN one.
inline int64_t gateCount(CellKind kind) {
  switch (kind) {
    case CellKind::Lstm: return 4;
    case CellKind::Gru: return 3;
    default: return 1;
  }
}

struct RecurrentSpec {
  CellKind kind = CellKind::Lstm;
  int64_t inputSize = 0;
  int64_t hiddenSize = 0;
  int64_t projSize = 0;  // LSTM only; 0 = no projection
  int64_t numLayers = 1;
  int64_t numDirections = 1;
  bool hasBias = true;

  int64_t gates() const { return gateCount(kind); }
  int64_t gateWidth() const { return gates() * hiddenSize; }
  // H_out: the size of h (and of each direction's output).
  int64_t outputSize() const { return projSize > 0 ? projSize : hiddenSize; }
  int64_t layerInputSize(int64_t layer) const {
    return layer == 0 ? inputSize : numDirections * outputSize();
  }
};

// One layer and direction's parameters: views into caller memory, in PyTorch's layout.
struct DirectionWeights {
  const float* inputWeights = nullptr;       // weight_ih: (gates*H, layerInput)
  const float* hiddenWeights = nullptr;      // weight_hh: (gates*H, H_out)
  const float* inputBias = nullptr;          // bias_ih: (gates*H) or null
  const float* hiddenBias = nullptr;         // bias_hh: (gates*H) or null
  const float* projectionWeights = nullptr;  // weight_hr: (H_out, H) or null
};

}  // namespace rnnblas
