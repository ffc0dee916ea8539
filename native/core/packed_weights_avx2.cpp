#include "packed_weights_avx2.h"

#include <immintrin.h>

#include <algorithm>

namespace rnnblas::avx2 {

namespace {

// Inner-dimension chunk: 256 x 16 floats of a panel (16 KiB) stay in L1 while every row
// block of A passes over them.
constexpr int64_t kInnerChunk = 256;
// Rows per block: 192 rows x 256 floats of A = 192 KiB, inside a 512 KiB L2.
constexpr int64_t kRowBlock = 192;

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

// Stores (or, with `accumulate`, adds to C) one row of 16 results, `width` of them real.
inline void storeRow(float* c, __m256 low, __m256 high, int64_t width, bool accumulate) {
  if (width == kPanelWidth) {
    if (accumulate) {
      low = _mm256_add_ps(low, _mm256_loadu_ps(c));
      high = _mm256_add_ps(high, _mm256_loadu_ps(c + 8));
    }
    _mm256_storeu_ps(c, low);
    _mm256_storeu_ps(c + 8, high);
    return;
  }
  alignas(32) float buffer[kPanelWidth];
  _mm256_store_ps(buffer, low);
  _mm256_store_ps(buffer + 8, high);
  for (int64_t j = 0; j < width; ++j) c[j] = accumulate ? c[j] + buffer[j] : buffer[j];
}

// The main case, six rows, written out: with the accumulators in an array GCC spills
// them to the stack at every step of k, which halves the kernel's speed.
void sixRowsTimesPanel(const float* a, int64_t lda, const float* panel, int64_t inner, float* c, int64_t ldc,
                       int64_t width, bool accumulate) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  const float* a0 = a;
  const float* a1 = a + lda;
  const float* a2 = a + 2 * lda;
  const float* a3 = a + 3 * lda;
  const float* a4 = a + 4 * lda;
  const float* a5 = a + 5 * lda;
  for (int64_t k = 0; k < inner; ++k) {
    const __m256 b0 = _mm256_loadu_ps(panel + k * kPanelWidth);
    const __m256 b1 = _mm256_loadu_ps(panel + k * kPanelWidth + 8);
    __m256 x = _mm256_broadcast_ss(a0 + k);
    c00 = _mm256_fmadd_ps(x, b0, c00);
    c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a1 + k);
    c10 = _mm256_fmadd_ps(x, b0, c10);
    c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a2 + k);
    c20 = _mm256_fmadd_ps(x, b0, c20);
    c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a3 + k);
    c30 = _mm256_fmadd_ps(x, b0, c30);
    c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a4 + k);
    c40 = _mm256_fmadd_ps(x, b0, c40);
    c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a5 + k);
    c50 = _mm256_fmadd_ps(x, b0, c50);
    c51 = _mm256_fmadd_ps(x, b1, c51);
  }
  storeRow(c, c00, c01, width, accumulate);
  storeRow(c + ldc, c10, c11, width, accumulate);
  storeRow(c + 2 * ldc, c20, c21, width, accumulate);
  storeRow(c + 3 * ldc, c30, c31, width, accumulate);
  storeRow(c + 4 * ldc, c40, c41, width, accumulate);
  storeRow(c + 5 * ldc, c50, c51, width, accumulate);
}

}  // namespace

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc) {
  const int64_t H = weights.units;
  const int64_t K = weights.inner;
  const int64_t firstPanel = unitBegin / kPanelWidth;
  const int64_t endPanel = (unitEnd + kPanelWidth - 1) / kPanelWidth;
  const int64_t lastWidth = unitEnd - (endPanel - 1) * kPanelWidth;
  if (rows == 1) {
    for (int64_t g = 0; g < weights.gates; ++g) {
      rowTimesPanels(a, weights.panel(g, firstPanel), endPanel - firstPanel, K, c + g * H + firstPanel * kPanelWidth,
                     lastWidth);
    }
    return;
  }
  // Blocks of rows whose slice of A (rows x one inner chunk) stays in L2 while every
  // panel passes; within a block, each 16 KiB panel chunk stays in L1 for all 6-row groups.
  for (int64_t rowBegin = 0; rowBegin < rows; rowBegin += kRowBlock) {
    const int64_t rowEnd = std::min(rows, rowBegin + kRowBlock);
    for (int64_t k0 = 0; k0 < K; k0 += kInnerChunk) {
      const int64_t depth = std::min(kInnerChunk, K - k0);
      const bool accumulate = k0 > 0;
      for (int64_t g = 0; g < weights.gates; ++g) {
        for (int64_t q = firstPanel; q < endPanel; ++q) {
          const int64_t width = q == endPanel - 1 ? lastWidth : kPanelWidth;
          const float* panel = weights.panel(g, q) + k0 * kPanelWidth;
          float* out = c + g * H + q * kPanelWidth;
          int64_t r = rowBegin;
          for (; r + 6 <= rowEnd; r += 6) {
            sixRowsTimesPanel(a + r * lda + k0, lda, panel, depth, out + r * ldc, ldc, width, accumulate);
          }
          const float* aRest = a + r * lda + k0;
          float* cRest = out + r * ldc;
          switch (rowEnd - r) {
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
}

}  // namespace rnnblas::avx2
