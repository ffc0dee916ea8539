#include "packed_weights_avx2.h"

#include <immintrin.h>

#include <algorithm>
#include <vector>

namespace rnnblas::avx2 {

namespace {

// Inner-dimension chunk: 256 x 16 floats of a panel (16 KiB) stay in L1 while every row
// block of A passes over them.
constexpr int64_t kInnerChunk = 256;
// A's slice per row block and inner chunk: at most 64 Ki floats (256 KiB, half of a 512 KiB
// L2), and at most 192 rows.
constexpr int64_t kL2BudgetFloats = 64 * 1024;
constexpr int64_t kMaxRowBlock = 192;
// Weights above this size come from DRAM at every call (or step): multiplyPacked then
// prefetches each panel chunk while the one before it is in use. Smaller weights stay in
// L2 or L3, where the prefetches only take L1 from the panel in use (measured: 10 steps
// of batch 4 at H=256 took 1.2x the time with them).
constexpr int64_t kStreamedWeightBytes = 2 << 20;

// Stores (or, with `accumulate`, adds to C) one row of 16 results, `width` of them real.
// `bias` (16 floats, only read where a store starts a result) is added when given.
inline void storeRow(float* c, __m256 low, __m256 high, int64_t width, bool accumulate, const float* bias = nullptr) {
  if (bias && !accumulate && width == kPanelWidth) {
    low = _mm256_add_ps(low, _mm256_loadu_ps(bias));
    high = _mm256_add_ps(high, _mm256_loadu_ps(bias + 8));
  } else if (bias && !accumulate) {  // a partial panel: bias has only `width` entries
    alignas(32) float padded[kPanelWidth] = {};
    std::copy(bias, bias + width, padded);
    low = _mm256_add_ps(low, _mm256_load_ps(padded));
    high = _mm256_add_ps(high, _mm256_load_ps(padded + 8));
  }
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

// One row (batch 1): four panels at a time so that eight independent accumulators hide
// the FMA latency; the product streams the weights once, so bandwidth is what counts.
void rowTimesPanels(const float* a, const float* panels, int64_t count, int64_t inner, float* c, int64_t lastWidth,
                    const float* bias) {
  int64_t p = 0;
  const int64_t stride = kPanelWidth * inner;
  for (; p + 4 <= count; p += 4) {
    // Named accumulators: an array of them is spilled to the stack by GCC.
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    __m256 a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps(), a6 = _mm256_setzero_ps(), a7 = _mm256_setzero_ps();
    const float* w0 = panels + p * stride;
    const float* w1 = w0 + stride;
    const float* w2 = w1 + stride;
    const float* w3 = w2 + stride;
    for (int64_t k = 0; k < inner; ++k) {
      // The weights come from L3 once per step: ask for them 32 rows (2 KiB) ahead.
      const int64_t ahead = (k + 32) * kPanelWidth;
      _mm_prefetch(reinterpret_cast<const char*>(w0 + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w1 + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w2 + ahead), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(w3 + ahead), _MM_HINT_T0);
      const __m256 x = _mm256_broadcast_ss(a + k);
      const int64_t o = k * kPanelWidth;
      a0 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w0 + o), a0);
      a1 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w0 + o + 8), a1);
      a2 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w1 + o), a2);
      a3 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w1 + o + 8), a3);
      a4 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w2 + o), a4);
      a5 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w2 + o + 8), a5);
      a6 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w3 + o), a6);
      a7 = _mm256_fmadd_ps(x, _mm256_loadu_ps(w3 + o + 8), a7);
    }
    const __m256 results[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int q = 0; q < 4; ++q) {
      const int64_t width = (p + q == count - 1) ? lastWidth : kPanelWidth;
      storeRow(c + (p + q) * kPanelWidth, results[2 * q], results[2 * q + 1], width, false,
               bias ? bias + (p + q) * kPanelWidth : nullptr);
    }
  }
  for (; p < count; ++p) {
    const float* panel = panels + p * kPanelWidth * inner;
    __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
    for (int64_t k = 0; k < inner; ++k) {
      const __m256 x = _mm256_broadcast_ss(a + k);
      low = _mm256_fmadd_ps(x, _mm256_loadu_ps(panel + k * kPanelWidth), low);
      high = _mm256_fmadd_ps(x, _mm256_loadu_ps(panel + k * kPanelWidth + 8), high);
    }
    storeRow(c + p * kPanelWidth, low, high, p == count - 1 ? lastWidth : kPanelWidth, false,
             bias ? bias + p * kPanelWidth : nullptr);
  }
}

// Height rows of A (packed: k-major, Height values per k; Height 6 or 4) times one 16-wide
// panel, two FMAs per broadcast. Stores the first `rows` rows of the result. Six rows give
// 12 accumulators, four rows 8: either is enough independent FMAs to keep both units busy.
// The accumulators are named (the unused ones optimised away): kept in an array, GCC
// spills them to the stack at every k, which halves the speed.
template <int Height>
void rowsTimesPanel(const float* packedA, const float* panel, int64_t depth, float* c, int64_t ldc, int64_t width,
                    bool accumulate, int64_t rows, const float* bias) {
  static_assert(Height == 4 || Height == 6, "groups of 4 or 6 rows");
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps(), c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  // C's rows lie ldc apart (often a multiple of 4 KiB, one L1 set) and may sit in L3: ask for
  // them now, so the stores at the end do not wait.
  for (int64_t r = 0; r < rows; ++r) {
    __builtin_prefetch(c + r * ldc, 1, 3);
    __builtin_prefetch(c + r * ldc + kPanelWidth - 1, 1, 3);
  }
  // Unrolled: the loop counter and branch otherwise take issue slots from the FMAs
  // (measured: the 6400 x 1024 x 128 projection went from 0.98x to 0.85x of OpenBLAS time).
#pragma GCC unroll 4
  for (int64_t k = 0; k < depth; ++k) {
    const __m256 b0 = _mm256_loadu_ps(panel + k * kPanelWidth);
    const __m256 b1 = _mm256_loadu_ps(panel + k * kPanelWidth + 8);
    const float* x = packedA + k * Height;
    __m256 v = _mm256_broadcast_ss(x);
    c00 = _mm256_fmadd_ps(v, b0, c00);
    c01 = _mm256_fmadd_ps(v, b1, c01);
    v = _mm256_broadcast_ss(x + 1);
    c10 = _mm256_fmadd_ps(v, b0, c10);
    c11 = _mm256_fmadd_ps(v, b1, c11);
    v = _mm256_broadcast_ss(x + 2);
    c20 = _mm256_fmadd_ps(v, b0, c20);
    c21 = _mm256_fmadd_ps(v, b1, c21);
    v = _mm256_broadcast_ss(x + 3);
    c30 = _mm256_fmadd_ps(v, b0, c30);
    c31 = _mm256_fmadd_ps(v, b1, c31);
    if constexpr (Height == 6) {
      v = _mm256_broadcast_ss(x + 4);
      c40 = _mm256_fmadd_ps(v, b0, c40);
      c41 = _mm256_fmadd_ps(v, b1, c41);
      v = _mm256_broadcast_ss(x + 5);
      c50 = _mm256_fmadd_ps(v, b0, c50);
      c51 = _mm256_fmadd_ps(v, b1, c51);
    }
  }
  const __m256 results[12] = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51};
  for (int64_t r = 0; r < rows; ++r) storeRow(c + r * ldc, results[2 * r], results[2 * r + 1], width, accumulate, bias);
}

// How a block of rows is cut into kernel groups: sixes, except that the last rows go in
// fours where a six would be partly empty (32 rows: 6+6+6+6+4+4, where sixes alone would
// compute 36 rows). At most kMaxGroups groups.
struct RowGroups {
  static constexpr int64_t kMaxGroups = kMaxRowBlock / 4 + 1;
  int64_t first[kMaxGroups];   // first row of each group, from the block's start
  int64_t height[kMaxGroups];  // 6 or 4: the kernel's rows
  int64_t count = 0;
  int64_t packedRows = 0;  // sum of heights: rows of packed A

  explicit RowGroups(int64_t rows) {
    for (int64_t row = 0; row < rows;) {
      const int64_t remaining = rows - row;
      const int64_t h = (remaining <= 4 || remaining == 8) ? 4 : 6;
      first[count] = row;
      height[count] = h;
      ++count;
      packedRows += h;
      row += h;
    }
  }
  int64_t valid(int64_t group, int64_t rows) const { return std::min(height[group], rows - first[group]); }
};

// Copies rows [0, rows) x [0, depth) of A into its groups, k-major (row r of a group at
// [k * height + r], groups one after another), zero-padding a group's missing rows. Rows
// of A at a stride of 4 KiB would all fall into one L1 set; packed, each k's values share
// a cache line.
void packRows(const float* a, int64_t lda, int64_t rows, int64_t depth, const RowGroups& groups, float* out) {
  for (int64_t group = 0; group < groups.count; ++group) {
    const int64_t height = groups.height[group];
    const int64_t valid = groups.valid(group, rows);
    const float* source = a + groups.first[group] * lda;
    for (int64_t k = 0; k < depth; ++k) {
      for (int64_t r = 0; r < height; ++r) out[k * height + r] = r < valid ? source[r * lda + k] : 0.0f;
    }
    out += height * depth;
  }
}

// Transposes the 8 x 8 block held in r0..r7 (row i in r_i) in place.
inline void transpose8(__m256& r0, __m256& r1, __m256& r2, __m256& r3, __m256& r4, __m256& r5, __m256& r6,
                       __m256& r7) {
  const __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  const __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  const __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  const __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r0 = _mm256_permute2f128_ps(s0, s4, 0x20);
  r1 = _mm256_permute2f128_ps(s1, s5, 0x20);
  r2 = _mm256_permute2f128_ps(s2, s6, 0x20);
  r3 = _mm256_permute2f128_ps(s3, s7, 0x20);
  r4 = _mm256_permute2f128_ps(s0, s4, 0x31);
  r5 = _mm256_permute2f128_ps(s1, s5, 0x31);
  r6 = _mm256_permute2f128_ps(s2, s6, 0x31);
  r7 = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Columns [k, k + 8) of rows half..half+7 (zeros from row `width` on) into panel rows
// k..k+7, columns half..half+7 (half: 0 or 8).
inline void packEightByEight(const float* rows, int64_t width, int64_t inner, int64_t k, float* panel, int64_t half) {
  auto load = [&](int64_t i) {
    return half + i < width ? _mm256_loadu_ps(rows + (half + i) * inner + k) : _mm256_setzero_ps();
  };
  __m256 r0 = load(0), r1 = load(1), r2 = load(2), r3 = load(3), r4 = load(4), r5 = load(5), r6 = load(6), r7 = load(7);
  transpose8(r0, r1, r2, r3, r4, r5, r6, r7);
  float* out = panel + k * kPanelWidth + half;
  _mm256_storeu_ps(out, r0);
  _mm256_storeu_ps(out + kPanelWidth, r1);
  _mm256_storeu_ps(out + 2 * kPanelWidth, r2);
  _mm256_storeu_ps(out + 3 * kPanelWidth, r3);
  _mm256_storeu_ps(out + 4 * kPanelWidth, r4);
  _mm256_storeu_ps(out + 5 * kPanelWidth, r5);
  _mm256_storeu_ps(out + 6 * kPanelWidth, r6);
  _mm256_storeu_ps(out + 7 * kPanelWidth, r7);
}

// The panel chunk that multiplyPacked takes after panel q of gate g at inner offset k0
// (nullptr after the last). W is read once per call and mostly comes from DRAM: without
// help, the first row group of each chunk waits on it.
const float* nextPanelChunk(const PackedWeights& weights, int64_t g, int64_t q, int64_t firstPanel, int64_t endPanel,
                            int64_t k0, int64_t inner) {
  if (q + 1 < endPanel) return weights.panel(g, q + 1) + k0 * kPanelWidth;
  if (g + 1 < weights.gates) return weights.panel(g + 1, firstPanel) + k0 * kPanelWidth;
  if (k0 + kInnerChunk < inner) return weights.panel(0, firstPanel) + (k0 + kInnerChunk) * kPanelWidth;
  return nullptr;
}

// Prefetches rows [begin, end) of a panel chunk: one cache line each (16 floats).
inline void prefetchLines(const float* chunk, int64_t begin, int64_t end) {
  for (int64_t line = begin; line < end; ++line) {
    _mm_prefetch(reinterpret_cast<const char*>(chunk + line * kPanelWidth), _MM_HINT_T0);
  }
}

}  // namespace

void packPanel(const float* rows, int64_t width, int64_t inner, float* panel, const float* sourceEnd) {
  // Eight columns of sixteen rows at a time, as two 8 x 8 transposes: every store is a
  // whole 64-byte panel row, where a scalar copy writes each panel row 16 times. The source
  // is read as sixteen interleaved streams, which the hardware prefetcher does not follow
  // from DRAM or L3 (another tenant's work evicts W between calls): while this panel is
  // packed, the rows that follow it (the next panel's) are requested, eight lines per eight
  // columns.
  constexpr int64_t kLinesPerColumnBlock = 8;
  const float* next = rows + width * inner;
  const int64_t nextFloats = std::min<int64_t>(kPanelWidth * inner, sourceEnd - next);
  int64_t k = 0;
  for (; k + 8 <= inner; k += 8) {
    for (int64_t line = (k / 8) * kLinesPerColumnBlock; line < (k / 8 + 1) * kLinesPerColumnBlock; ++line) {
      if (line * kPanelWidth < nextFloats) _mm_prefetch(reinterpret_cast<const char*>(next + line * kPanelWidth), _MM_HINT_T0);
    }
    packEightByEight(rows, width, inner, k, panel, 0);
    packEightByEight(rows, width, inner, k, panel, 8);
  }
  for (; k < inner; ++k) {
    for (int64_t c = 0; c < kPanelWidth; ++c) panel[k * kPanelWidth + c] = c < width ? rows[c * inner + k] : 0.0f;
  }
}

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias) {
  const int64_t H = weights.units;
  const int64_t K = weights.inner;
  const int64_t firstPanel = unitBegin / kPanelWidth;
  const int64_t endPanel = (unitEnd + kPanelWidth - 1) / kPanelWidth;
  const int64_t lastWidth = unitEnd - (endPanel - 1) * kPanelWidth;
  if (rows == 1) {
    for (int64_t g = 0; g < weights.gates; ++g) {
      rowTimesPanels(a, weights.panel(g, firstPanel), endPanel - firstPanel, K, c + g * H + firstPanel * kPanelWidth,
                     lastWidth, bias ? bias + g * H + firstPanel * kPanelWidth : nullptr);
    }
    return;
  }
  // Row blocks sized so their slice of A for one inner chunk (rows x 256, packed once per
  // block and chunk) stays in L2 while every panel passes over it. The chunk loop is
  // outermost so that W streams from L3 once per call whatever the row count; each panel
  // chunk (16 KiB) stays in L1 for all groups of the block.
  const int64_t chunkDepth = std::min(kInnerChunk, K);
  const int64_t rowBlock = std::max<int64_t>(6, std::min<int64_t>(kMaxRowBlock, kL2BudgetFloats / std::max<int64_t>(chunkDepth, 1) / 6 * 6));
  // Per thread, grown once and kept: the step kernel allocates nothing per step.
  thread_local std::vector<float> packedA;
  const size_t needed = static_cast<size_t>((std::min(rows, rowBlock) + 4) * chunkDepth);
  if (packedA.size() < needed) packedA.resize(needed);
  const int64_t sliceBytes = weights.gates * (endPanel - firstPanel) * kPanelWidth * K * int64_t(sizeof(float));
  const bool streamsWeights = sliceBytes > kStreamedWeightBytes;
  for (int64_t rowBegin = 0; rowBegin < rows; rowBegin += rowBlock) {
    const int64_t blockRows = std::min(rows - rowBegin, rowBlock);
    const RowGroups groups(blockRows);
    for (int64_t k0 = 0; k0 < K; k0 += kInnerChunk) {
      const int64_t depth = std::min(kInnerChunk, K - k0);
      const int64_t linesPerGroup = (depth + groups.count - 1) / groups.count;  // of the next chunk's prefetch
      packRows(a + rowBegin * lda + k0, lda, blockRows, depth, groups, packedA.data());
      for (int64_t g = 0; g < weights.gates; ++g) {
        for (int64_t q = firstPanel; q < endPanel; ++q) {
          const int64_t width = q == endPanel - 1 ? lastWidth : kPanelWidth;
          float* out = c + g * H + q * kPanelWidth;
          const float* panel = weights.panel(g, q) + k0 * kPanelWidth;
          const float* next = streamsWeights ? nextPanelChunk(weights, g, q, firstPanel, endPanel, k0, K) : nullptr;
          const float* groupA = packedA.data();
          const float* panelBias = bias ? bias + g * H + q * kPanelWidth : nullptr;
          for (int64_t group = 0; group < groups.count; ++group) {
            if (next) prefetchLines(next, group * linesPerGroup, std::min(depth, (group + 1) * linesPerGroup));
            float* groupC = out + (rowBegin + groups.first[group]) * ldc;
            const int64_t valid = groups.valid(group, blockRows);
            if (groups.height[group] == 6) {
              rowsTimesPanel<6>(groupA, panel, depth, groupC, ldc, width, k0 > 0, valid, panelBias);
            } else {
              rowsTimesPanel<4>(groupA, panel, depth, groupC, ldc, width, k0 > 0, valid, panelBias);
            }
            groupA += groups.height[group] * depth;
          }
        }
      }
    }
  }
}

}  // namespace rnnblas::avx2
