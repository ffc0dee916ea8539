// The ISA-neutral side of the packed GEMM: packing W into panels, cutting A into row
// blocks and groups, packing each group, and the prefetch plan. The micro-kernels come
// from the weights' kernel table (kernels/packed_gemm.h).
#include "packed_weights.h"

#include <algorithm>
#include <vector>

#include "kernel_tuning.h"

namespace rnnblas {

namespace {

// One panel: rows [0, width) of `rows` (each `inner` floats, contiguous) into `panel`
// (inner x panelWidth), columns past `width` zeroed. In blocks of 16 columns of k, so that
// each source row is read a cache line at a time while the panel's rows are written.
// The rows after the panel, up to `sourceEnd`, are prefetched meanwhile: the source is
// read as panelWidth interleaved streams, which the hardware prefetcher does not follow
// from DRAM or L3.
void packPanel(const float* rows, int64_t width, int64_t inner, int64_t panelWidth, float* panel,
               const float* sourceEnd) {
  const float* next = rows + width * inner;
  const int64_t nextFloats = std::min<int64_t>(panelWidth * inner, sourceEnd - next);
  for (int64_t k0 = 0; k0 < inner; k0 += kFloatsPerCacheLine) {
    const int64_t k1 = std::min(inner, k0 + kFloatsPerCacheLine);
    // A block of 16 columns of every row is panelWidth lines of the next panel's source.
    for (int64_t line = (k0 / kFloatsPerCacheLine) * panelWidth; line < (k0 / kFloatsPerCacheLine + 1) * panelWidth;
         ++line) {
      if (line * kFloatsPerCacheLine < nextFloats) __builtin_prefetch(next + line * kFloatsPerCacheLine, 0, 3);
    }
    for (int64_t c = 0; c < panelWidth; ++c) {
      float* column = panel + c;
      if (c < width) {
        const float* source = rows + c * inner;
        for (int64_t k = k0; k < k1; ++k) column[k * panelWidth] = source[k];
      } else {
        for (int64_t k = k0; k < k1; ++k) column[k * panelWidth] = 0.0f;
      }
    }
  }
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

// The panel chunk that multiplyPacked takes after panel q of gate g at inner offset k0
// (nullptr after the last). W is read once per call and mostly comes from DRAM: without
// help, the first row group of each chunk waits on it.
const float* nextPanelChunk(const PackedWeights& weights, int64_t g, int64_t q, int64_t firstPanel, int64_t endPanel,
                            int64_t k0) {
  const int64_t P = weights.panelWidth;
  if (q + 1 < endPanel) return weights.panel(g, q + 1) + k0 * P;
  if (g + 1 < weights.gates) return weights.panel(g + 1, firstPanel) + k0 * P;
  if (k0 + kInnerChunk < weights.inner) return weights.panel(0, firstPanel) + (k0 + kInnerChunk) * P;
  return nullptr;
}

// Prefetches panel rows [begin, end) of a chunk: each row's cache lines.
inline void prefetchPanelRows(const float* chunk, int64_t panelWidth, int64_t begin, int64_t end) {
  for (const float* p = chunk + begin * panelWidth; p < chunk + end * panelWidth; p += kFloatsPerCacheLine) {
    __builtin_prefetch(p, 0, 3);
  }
}

}  // namespace

void packGates(const float* weights, int64_t units, int64_t inner, int64_t gateBegin, int64_t gateEnd, float* out,
               const KernelTable& table) {
  const int64_t P = table.panelWidth;
  if (P <= 0) return;
  const int64_t panels = PackedWeights::panelsFor(units, P);
  for (int64_t g = gateBegin; g < gateEnd; ++g) {
    for (int64_t q = 0; q < panels; ++q) {
      float* panel = out + (g * panels + q) * P * inner;
      const float* rows = weights + (g * units + q * P) * inner;
      // Only a gate's last panel has columns past H: they are zeroed (the kernel reads them).
      const int64_t width = std::min(P, units - q * P);
      packPanel(rows, width, inner, P, panel, weights + gateEnd * units * inner);
    }
  }
}

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias, bool addToC) {
  const KernelTable& table = *weights.table;
  const int64_t P = weights.panelWidth;
  const int64_t H = weights.units;
  const int64_t K = weights.inner;
  const int64_t firstPanel = unitBegin / P;
  const int64_t endPanel = (unitEnd + P - 1) / P;
  const int64_t lastWidth = unitEnd - (endPanel - 1) * P;
  if (rows <= 0 || endPanel <= firstPanel) return;
  if (rows == 1 && !addToC) {
    for (int64_t g = 0; g < weights.gates; ++g) {
      table.rowTimesPanels(a, weights.panel(g, firstPanel), endPanel - firstPanel, K, c + g * H + firstPanel * P,
                           lastWidth, bias ? bias + g * H + firstPanel * P : nullptr);
    }
    return;
  }
  // Row blocks sized so their slice of A for one inner chunk (rows x 256, packed once per
  // block and chunk) stays in L2 while every panel passes over it. The chunk loop is
  // outermost so that W streams from memory once per call whatever the row count; each
  // panel chunk stays in L1 for all groups of the block.
  const int64_t chunkDepth = std::min(kInnerChunk, K);
  const int64_t budgetRows = cacheBlocking().rowBlockFloats / std::max<int64_t>(chunkDepth, 1) / 6 * 6;
  const int64_t rowBlock = std::max<int64_t>(6, std::min<int64_t>(kMaxRowBlock, budgetRows));
  // A is read where it lies when compact, else packed block by block (kernel_tuning.h).
  const bool aliased = lda % kL1SetPeriodFloats == 0;
  const bool compact = lda < 2 * chunkDepth || rows * lda <= cacheBlocking().rowBlockFloats;
  const bool packsA = aliased || !compact;
  // Per thread, grown once and kept: the step kernel allocates nothing per step.
  thread_local std::vector<float> packedA;
  const size_t needed = packsA ? static_cast<size_t>((std::min(rows, rowBlock) + 4) * chunkDepth) : 0;
  if (packedA.size() < needed) packedA.resize(needed);
  const int64_t sliceBytes = weights.gates * (endPanel - firstPanel) * P * K * int64_t(sizeof(float));
  const bool streamsWeights = sliceBytes > kStreamedWeightBytes;
  for (int64_t rowBegin = 0; rowBegin < rows; rowBegin += rowBlock) {
    const int64_t blockRows = std::min(rows - rowBegin, rowBlock);
    const RowGroups groups(blockRows);
    for (int64_t k0 = 0; k0 < K; k0 += kInnerChunk) {
      const int64_t depth = std::min(kInnerChunk, K - k0);
      const int64_t rowsPerGroup = (depth + groups.count - 1) / groups.count;  // of the next chunk's prefetch
      const float* blockA = a + rowBegin * lda + k0;
      if (packsA) packRows(blockA, lda, blockRows, depth, groups, packedA.data());
      for (int64_t g = 0; g < weights.gates; ++g) {
        for (int64_t q = firstPanel; q < endPanel; ++q) {
          const int64_t width = q == endPanel - 1 ? lastWidth : P;
          float* out = c + g * H + q * P;
          const float* panel = weights.panel(g, q) + k0 * P;
          const float* next = streamsWeights ? nextPanelChunk(weights, g, q, firstPanel, endPanel, k0) : nullptr;
          const float* groupA = packedA.data();
          const float* panelBias = bias ? bias + g * H + q * P : nullptr;
          for (int64_t group = 0; group < groups.count; ++group) {
            if (next) prefetchPanelRows(next, P, group * rowsPerGroup, std::min(depth, (group + 1) * rowsPerGroup));
            float* groupC = out + (rowBegin + groups.first[group]) * ldc;
            const int64_t valid = groups.valid(group, blockRows);
            const bool six = groups.height[group] == 6;
            if (packsA) {
              (six ? table.sixRowsTimesPanel : table.fourRowsTimesPanel)(groupA, panel, depth, groupC, ldc, width,
                                                                         addToC || k0 > 0, valid, panelBias);
              groupA += groups.height[group] * depth;
            } else {
              (six ? table.sixStoredRowsTimesPanel : table.fourStoredRowsTimesPanel)(
                  blockA + groups.first[group] * lda, lda, panel, depth, groupC, ldc, width, addToC || k0 > 0, valid,
                  panelBias);
            }
          }
        }
      }
    }
  }
}

}  // namespace rnnblas
