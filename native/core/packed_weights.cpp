#include "packed_weights.h"

#include <algorithm>

#include "cpu_features.h"
#include "packed_weights_avx2.h"

namespace rnnblas {

void packGates(const float* weights, int64_t units, int64_t inner, int64_t gateBegin, int64_t gateEnd, float* out) {
  const int64_t panels = PackedWeights::panelsFor(units);
  for (int64_t g = gateBegin; g < gateEnd; ++g) {
    for (int64_t q = 0; q < panels; ++q) {
      float* panel = out + (g * panels + q) * kPanelWidth * inner;
      const float* rows = weights + (g * units + q * kPanelWidth) * inner;
      // Only a gate's last panel has columns past H: they are zeroed (the kernel reads them).
      const int64_t width = std::min(kPanelWidth, units - q * kPanelWidth);
      if (hasAvx2Fma()) {
        avx2::packPanel(rows, width, inner, panel, weights + gateEnd * units * inner);
        continue;
      }
      for (int64_t k = 0; k < inner; ++k) {
        for (int64_t c = 0; c < kPanelWidth; ++c) panel[k * kPanelWidth + c] = c < width ? rows[c * inner + k] : 0.0f;
      }
    }
  }
}

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias) {
  avx2::multiplyPacked(a, lda, rows, weights, unitBegin, unitEnd, c, ldc, bias);
}

}  // namespace rnnblas
