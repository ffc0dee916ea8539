#include "packed_weights.h"

#include <cstring>

#include "packed_weights_avx2.h"

namespace rnnblas {

PackedWeights packWeights(const float* weights, int64_t gates, int64_t units, int64_t inner, float* out) {
  PackedWeights packed;
  packed.data = out;
  packed.gates = gates;
  packed.units = units;
  packed.inner = inner;
  packed.panelsPerGate = (units + kPanelWidth - 1) / kPanelWidth;
  std::memset(out, 0, sizeof(float) * PackedWeights::floatsNeeded(gates, units, inner));
  for (int64_t g = 0; g < gates; ++g) {
    for (int64_t q = 0; q < packed.panelsPerGate; ++q) {
      float* panel = out + (g * packed.panelsPerGate + q) * kPanelWidth * inner;
      const int64_t width = units - q * kPanelWidth < kPanelWidth ? units - q * kPanelWidth : kPanelWidth;
      for (int64_t c = 0; c < width; ++c) {
        const float* row = weights + (g * units + q * kPanelWidth + c) * inner;
        for (int64_t k = 0; k < inner; ++k) panel[k * kPanelWidth + c] = row[k];
      }
    }
  }
  return packed;
}

bool packedKernelAvailable() {
  static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
}

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias) {
  avx2::multiplyPacked(a, lda, rows, weights, unitBegin, unitEnd, c, ldc, bias);
}

}  // namespace rnnblas
