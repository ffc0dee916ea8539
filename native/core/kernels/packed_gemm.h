// The micro-kernels of multiplyPacked (packed_weights.h), written once over a vector
// layer V. A panel is two registers wide (kPanelWidth = 2 * V::kLanes: 16 floats on AVX2,
// 32 on AVX-512, 8 on NEON). Row blocking, packing A and the prefetch plan are ISA-neutral
// and live in packed_weights.cpp.
#pragma once
#include <cstdint>

#include "../kernel_tuning.h"

namespace rnnblas::vectorized {

// Stores (or, with `accumulate`, adds to C) one row of a panel's results, `width` of them
// real. `bias` (only read where a result starts) is added when given and not accumulating.
template <class V>
inline void storeRow(float* c, typename V::Reg low, typename V::Reg high, int64_t width, bool accumulate,
                     const float* bias) {
  constexpr int64_t L = V::kLanes;
  if (width == 2 * L) {
    if (bias && !accumulate) {
      low = V::add(low, V::load(bias));
      high = V::add(high, V::load(bias + L));
    }
    if (accumulate) {
      low = V::add(low, V::load(c));
      high = V::add(high, V::load(c + L));
    }
    V::store(c, low);
    V::store(c + L, high);
    return;
  }
  // A gate's last panel: only `width` results (and bias entries) exist.
  const int64_t lowWidth = width < L ? width : L;
  const int64_t highWidth = width - lowWidth;
  const auto lowPart = [&](const float* p) { return lowWidth == L ? V::load(p) : V::loadFirst(p, lowWidth); };
  if (bias && !accumulate) {
    low = V::add(low, lowPart(bias));
    if (highWidth > 0) high = V::add(high, V::loadFirst(bias + L, highWidth));
  }
  if (accumulate) {
    low = V::add(low, lowPart(c));
    if (highWidth > 0) high = V::add(high, V::loadFirst(c + L, highWidth));
  }
  if (lowWidth == L) {
    V::store(c, low);
  } else {
    V::storeFirst(c, low, lowWidth);
  }
  if (highWidth > 0) V::storeFirst(c + L, high, highWidth);
}

// Where rows of A are read: packed k-major (Height values per k, missing rows zero-padded
// by packRows), or as stored, `lda` apart. A group short of Height rows reads its last real
// row again in place of the missing ones (their results are never stored), so nothing past
// A is read.
template <int Height>
struct PackedRowsOfA {
  const float* values;
  const float* at(int64_t k, int r) const { return values + k * Height + r; }
};
template <int Height>
struct StoredRowsOfA {
  const float* row[Height];
  StoredRowsOfA(const float* a, int64_t lda, int64_t rows) {
    for (int r = 0; r < Height; ++r) row[r] = a + (r < rows ? r : rows - 1) * lda;
  }
  const float* at(int64_t k, int r) const { return row[r] + k; }
};

// Height rows of A (Height 6 or 4) times one panel, two FMAs per broadcast. Stores the
// first `rows` rows of the result. Six rows give 12 accumulators, four rows 8: either is
// enough independent FMAs to keep both units busy. The accumulators are named (the unused
// ones optimised away): kept in an array, GCC spills them to the stack at every k, which
// halves the speed.
template <class V, int Height, class RowsOfA>
void rowsOfATimesPanel(const RowsOfA& x, const float* panel, int64_t depth, float* c, int64_t ldc, int64_t width,
                       bool accumulate, int64_t rows, const float* bias) {
  static_assert(Height == 4 || Height == 6, "groups of 4 or 6 rows");
  constexpr int64_t L = V::kLanes;
  constexpr int64_t kPanel = 2 * L;
  auto c00 = V::zero(), c01 = V::zero(), c10 = V::zero(), c11 = V::zero();
  auto c20 = V::zero(), c21 = V::zero(), c30 = V::zero(), c31 = V::zero();
  auto c40 = V::zero(), c41 = V::zero(), c50 = V::zero(), c51 = V::zero();
  // C's rows lie ldc apart and may sit in L3: ask for them now, so the stores at the end do
  // not wait.
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t f = 0; f < kPanel; f += kFloatsPerCacheLine) __builtin_prefetch(c + r * ldc + f, 1, 3);
    __builtin_prefetch(c + r * ldc + kPanel - 1, 1, 3);
  }
  // Unrolled: the loop counter and branch otherwise take issue slots from the FMAs.
#pragma GCC unroll 4
  for (int64_t k = 0; k < depth; ++k) {
    const auto b0 = V::load(panel + k * kPanel);
    const auto b1 = V::load(panel + k * kPanel + L);
    // Row r's two accumulators += A[r][k] * the panel's row k.
    const auto addRow = [&](auto& low, auto& high, int r) {
      const auto v = V::broadcast(x.at(k, r));
      low = V::fma(v, b0, low);
      high = V::fma(v, b1, high);
    };
    addRow(c00, c01, 0);
    addRow(c10, c11, 1);
    addRow(c20, c21, 2);
    addRow(c30, c31, 3);
    if constexpr (Height == 6) {
      addRow(c40, c41, 4);
      addRow(c50, c51, 5);
    }
  }
  if (rows > 0) storeRow<V>(c, c00, c01, width, accumulate, bias);
  if (rows > 1) storeRow<V>(c + ldc, c10, c11, width, accumulate, bias);
  if (rows > 2) storeRow<V>(c + 2 * ldc, c20, c21, width, accumulate, bias);
  if (rows > 3) storeRow<V>(c + 3 * ldc, c30, c31, width, accumulate, bias);
  if constexpr (Height == 6) {
    if (rows > 4) storeRow<V>(c + 4 * ldc, c40, c41, width, accumulate, bias);
    if (rows > 5) storeRow<V>(c + 5 * ldc, c50, c51, width, accumulate, bias);
  }
}

// The table's entries: A packed by packRows, or read where it is stored.
template <class V, int Height>
void rowsTimesPanel(const float* packedA, const float* panel, int64_t depth, float* c, int64_t ldc, int64_t width,
                    bool accumulate, int64_t rows, const float* bias) {
  rowsOfATimesPanel<V, Height>(PackedRowsOfA<Height>{packedA}, panel, depth, c, ldc, width, accumulate, rows, bias);
}
template <class V, int Height>
void storedRowsTimesPanel(const float* a, int64_t lda, const float* panel, int64_t depth, float* c, int64_t ldc,
                          int64_t width, bool accumulate, int64_t rows, const float* bias) {
  rowsOfATimesPanel<V, Height>(StoredRowsOfA<Height>(a, lda, rows), panel, depth, c, ldc, width, accumulate, rows,
                               bias);
}

// One row of A (batch 1) times `count` consecutive panels: four panels at a time so that
// eight independent accumulators hide the FMA latency; the product streams the weights
// once, so bandwidth is what counts. C gets count panels' results, the last `lastWidth`
// wide.
template <class V>
void rowTimesPanels(const float* a, const float* panels, int64_t count, int64_t inner, float* c, int64_t lastWidth,
                    const float* bias) {
  constexpr int64_t L = V::kLanes;
  constexpr int64_t kPanel = 2 * L;
  // The weights come from L3 once per step: ask for them a fixed number of bytes ahead.
  constexpr int64_t kRowsAhead = kPackedRowPrefetchBytes / (kPanel * int64_t(sizeof(float)));
  const int64_t stride = kPanel * inner;
  auto panelBias = [&](int64_t p) { return bias ? bias + p * kPanel : nullptr; };
  auto widthOf = [&](int64_t p) { return p == count - 1 ? lastWidth : kPanel; };
  int64_t p = 0;
  for (; p + 4 <= count; p += 4) {
    auto a0 = V::zero(), a1 = V::zero(), a2 = V::zero(), a3 = V::zero();
    auto a4 = V::zero(), a5 = V::zero(), a6 = V::zero(), a7 = V::zero();
    const float* w0 = panels + p * stride;
    const float* w1 = w0 + stride;
    const float* w2 = w1 + stride;
    const float* w3 = w2 + stride;
    for (int64_t k = 0; k < inner; ++k) {
      const int64_t ahead = (k + kRowsAhead) * kPanel;
      for (int64_t f = 0; f < kPanel; f += kFloatsPerCacheLine) {
        __builtin_prefetch(w0 + ahead + f, 0, 3);
        __builtin_prefetch(w1 + ahead + f, 0, 3);
        __builtin_prefetch(w2 + ahead + f, 0, 3);
        __builtin_prefetch(w3 + ahead + f, 0, 3);
      }
      const auto x = V::broadcast(a + k);
      const int64_t o = k * kPanel;
      a0 = V::fma(x, V::load(w0 + o), a0);
      a1 = V::fma(x, V::load(w0 + o + L), a1);
      a2 = V::fma(x, V::load(w1 + o), a2);
      a3 = V::fma(x, V::load(w1 + o + L), a3);
      a4 = V::fma(x, V::load(w2 + o), a4);
      a5 = V::fma(x, V::load(w2 + o + L), a5);
      a6 = V::fma(x, V::load(w3 + o), a6);
      a7 = V::fma(x, V::load(w3 + o + L), a7);
    }
    storeRow<V>(c + p * kPanel, a0, a1, widthOf(p), false, panelBias(p));
    storeRow<V>(c + (p + 1) * kPanel, a2, a3, widthOf(p + 1), false, panelBias(p + 1));
    storeRow<V>(c + (p + 2) * kPanel, a4, a5, widthOf(p + 2), false, panelBias(p + 2));
    storeRow<V>(c + (p + 3) * kPanel, a6, a7, widthOf(p + 3), false, panelBias(p + 3));
  }
  for (; p < count; ++p) {
    const float* panel = panels + p * stride;
    auto low = V::zero(), high = V::zero();
    for (int64_t k = 0; k < inner; ++k) {
      const auto x = V::broadcast(a + k);
      low = V::fma(x, V::load(panel + k * kPanel), low);
      high = V::fma(x, V::load(panel + k * kPanel + L), high);
    }
    storeRow<V>(c + p * kPanel, low, high, widthOf(p), false, panelBias(p));
  }
}

}  // namespace rnnblas::vectorized
