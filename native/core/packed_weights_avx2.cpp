#include "packed_weights_avx2.h"

#include <immintrin.h>

#include <algorithm>

namespace rnnblas::avx2 {

namespace {

// Inner-dimension chunk: 256 x 16 floats of a panel (16 KiB) stay in L1 while every row
// block of A passes over them.
constexpr int64_t kInnerChunk = 256;

// A block of up to 6 rows times one 16-wide panel: 12 accumulators, two FMAs per
// broadcast of A, the register blocking that keeps both FMA units busy. With
// `accumulate`, adds to what C holds (the later chunks of the inner dimension).
template <int Rows>
void rowBlockTimesPanel(const float* a, int64_t lda, const float* panel, int64_t inner, float* c, int64_t ldc,
                        int64_t width, bool accumulate = false) {
  __m256 low[Rows], high[Rows];
  for (int r = 0; r < Rows; ++r) {
    if (accumulate && width == kPanelWidth) {
      low[r] = _mm256_loadu_ps(c + r * ldc);
      high[r] = _mm256_loadu_ps(c + r * ldc + 8);
    } else if (accumulate) {
      alignas(32) float buffer[kPanelWidth] = {};
      std::copy(c + r * ldc, c + r * ldc + width, buffer);
      low[r] = _mm256_load_ps(buffer);
      high[r] = _mm256_load_ps(buffer + 8);
    } else {
      low[r] = high[r] = _mm256_setzero_ps();
    }
  }
  for (int64_t k = 0; k < inner; ++k) {
    const __m256 b0 = _mm256_loadu_ps(panel + k * kPanelWidth);
    const __m256 b1 = _mm256_loadu_ps(panel + k * kPanelWidth + 8);
    for (int r = 0; r < Rows; ++r) {
      const __m256 x = _mm256_broadcast_ss(a + r * lda + k);
      low[r] = _mm256_fmadd_ps(x, b0, low[r]);
      high[r] = _mm256_fmadd_ps(x, b1, high[r]);
    }
  }
  for (int r = 0; r < Rows; ++r) {
    if (width == kPanelWidth) {
      _mm256_storeu_ps(c + r * ldc, low[r]);
      _mm256_storeu_ps(c + r * ldc + 8, high[r]);
    } else {  // the last panel of a gate: only `width` units are real
      alignas(32) float buffer[kPanelWidth];
      _mm256_store_ps(buffer, low[r]);
      _mm256_store_ps(buffer + 8, high[r]);
      std::copy(buffer, buffer + width, c + r * ldc);
    }
  }
}

// One row (batch 1): four panels at a time so that eight independent accumulators hide
// the FMA latency; the product streams the weights once, so bandwidth is what counts.
void rowTimesPanels(const float* a, const float* panels, int64_t count, int64_t inner, float* c, int64_t lastWidth) {
  int64_t p = 0;
  for (; p + 4 <= count; p += 4) {
    __m256 acc[8];
    for (__m256& v : acc) v = _mm256_setzero_ps();
    const float* base = panels + p * kPanelWidth * inner;
    const int64_t stride = kPanelWidth * inner;
    for (int64_t k = 0; k < inner; ++k) {
      const __m256 x = _mm256_broadcast_ss(a + k);
      for (int q = 0; q < 4; ++q) {
        acc[2 * q] = _mm256_fmadd_ps(x, _mm256_loadu_ps(base + q * stride + k * kPanelWidth), acc[2 * q]);
        acc[2 * q + 1] = _mm256_fmadd_ps(x, _mm256_loadu_ps(base + q * stride + k * kPanelWidth + 8), acc[2 * q + 1]);
      }
    }
    for (int q = 0; q < 4; ++q) {
      const int64_t width = (p + q == count - 1) ? lastWidth : kPanelWidth;
      alignas(32) float buffer[kPanelWidth];
      _mm256_store_ps(buffer, acc[2 * q]);
      _mm256_store_ps(buffer + 8, acc[2 * q + 1]);
      std::copy(buffer, buffer + width, c + (p + q) * kPanelWidth);
    }
  }
  for (; p < count; ++p) {
    rowBlockTimesPanel<1>(a, 0, panels + p * kPanelWidth * inner, inner, c + p * kPanelWidth, 0,
                          p == count - 1 ? lastWidth : kPanelWidth);
  }
}

}  // namespace

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc) {
  const int64_t H = weights.units;
  const int64_t K = weights.inner;
  const int64_t firstPanel = unitBegin / kPanelWidth;
  const int64_t endPanel = (unitEnd + kPanelWidth - 1) / kPanelWidth;
  const int64_t lastWidth = unitEnd - (endPanel - 1) * kPanelWidth;
  for (int64_t g = 0; g < weights.gates; ++g) {
    float* gateOut = c + g * H;
    if (rows == 1) {
      rowTimesPanels(a, weights.panel(g, firstPanel), endPanel - firstPanel, K, gateOut + firstPanel * kPanelWidth,
                     lastWidth);
      continue;
    }
    for (int64_t q = firstPanel; q < endPanel; ++q) {
      const int64_t width = q == endPanel - 1 ? lastWidth : kPanelWidth;
      float* out = gateOut + q * kPanelWidth;
      for (int64_t k0 = 0; k0 < K; k0 += kInnerChunk) {
        const int64_t depth = std::min(kInnerChunk, K - k0);
        const float* panel = weights.panel(g, q) + k0 * kPanelWidth;
        const float* aChunk = a + k0;
        const bool accumulate = k0 > 0;
        int64_t r = 0;
        for (; r + 6 <= rows; r += 6) {
          rowBlockTimesPanel<6>(aChunk + r * lda, lda, panel, depth, out + r * ldc, ldc, width, accumulate);
        }
        const float* aRest = aChunk + r * lda;
        float* cRest = out + r * ldc;
        switch (rows - r) {
          case 5: rowBlockTimesPanel<5>(aRest, lda, panel, depth, cRest, ldc, width, accumulate); break;
          case 4: rowBlockTimesPanel<4>(aRest, lda, panel, depth, cRest, ldc, width, accumulate); break;
          case 3: rowBlockTimesPanel<3>(aRest, lda, panel, depth, cRest, ldc, width, accumulate); break;
          case 2: rowBlockTimesPanel<2>(aRest, lda, panel, depth, cRest, ldc, width, accumulate); break;
          case 1: rowBlockTimesPanel<1>(aRest, lda, panel, depth, cRest, ldc, width, accumulate); break;
          default: break;
        }
      }
    }
  }
}

}  // namespace rnnblas::avx2
