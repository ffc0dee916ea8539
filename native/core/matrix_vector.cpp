// The ISA-neutral walk of matrixTimesRows: which blocks of W, in which order, and what to
// prefetch; the block kernels come from the kernel table.
#include "matrix_vector.h"

#include <algorithm>

#include "blas_ops.h"
#include "kernel_tuning.h"

namespace rnnblas {

namespace {

constexpr int64_t kOneVectorBlockRows = 8;    // eightRows: one result vector, eight FMA chains
constexpr int64_t kManyVectorsBlockRows = 4;  // fourRowsTimesVectors: W read once for all vectors
constexpr int64_t kVectorsPerPass = 3;

// Visits the full blocks of `blockRows` rows of W in [rowBegin, rowEnd), counted from
// rowBegin, last to first when `backward`, calling visit(firstRow, ahead): `ahead` is the
// block kMatrixVectorPrefetchFloats further along the walk (rounded up to whole blocks, so
// that it stays inside W), or null near the walk's end. Returns the first row past the full
// blocks: the partial block, always the last rows, so that each row is summed the same way
// in both directions.
template <typename Visit>
int64_t walkBlocks(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, int64_t blockRows, bool backward,
                   const Visit& visit) {
  const int64_t fullBlocks = (rowEnd - rowBegin) / blockRows;
  const int64_t blocksAhead = (kMatrixVectorPrefetchFloats + blockRows * inner - 1) / (blockRows * inner);
  for (int64_t step = 0; step < fullBlocks; ++step) {
    const int64_t block = backward ? fullBlocks - 1 - step : step;
    const int64_t aheadBlock = backward ? block - blocksAhead : block + blocksAhead;
    const bool aheadInRange = aheadBlock >= 0 && aheadBlock < fullBlocks;
    visit(rowBegin + block * blockRows, aheadInRange ? w + (rowBegin + aheadBlock * blockRows) * inner : nullptr);
  }
  return rowBegin + fullBlocks * blockRows;
}

}  // namespace

void matrixTimesRows(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, int64_t ldx,
                     int64_t count, float* y, int64_t ldy, bool backward, const KernelTable& table) {
  if (rowEnd <= rowBegin || count <= 0) return;
  if (!table.eightRows) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count, rowEnd - rowBegin, inner, 1.0f, x, ldx,
                w + rowBegin * inner, inner, 0.0f, y + rowBegin, ldy);
    return;
  }
  if (count == 1) {
    const int64_t rest =
        walkBlocks(w, inner, rowBegin, rowEnd, kOneVectorBlockRows, backward, [&](int64_t first, const float* ahead) {
          table.eightRows(w + first * inner, inner, x, y + first, ahead);
        });
    for (int64_t r = rest; r < rowEnd; ++r) y[r] = table.oneRow(w + r * inner, inner, x);
    return;
  }
  // Blocks of four W rows; for each block, the vectors three at a time while the block
  // sits in L1 (the first three ask for the block ahead).
  const int64_t rest =
      walkBlocks(w, inner, rowBegin, rowEnd, kManyVectorsBlockRows, backward, [&](int64_t first, const float* ahead) {
        for (int64_t i = 0; i < count; i += kVectorsPerPass) {
          const int64_t vectors = std::min(kVectorsPerPass, count - i);
          table.fourRowsTimesVectors[vectors - 1](w + first * inner, inner, x + i * ldx, ldx, y + i * ldy + first, ldy,
                                                  i == 0 ? ahead : nullptr);
        }
      });
  for (int64_t r = rest; r < rowEnd; ++r) {
    for (int64_t i = 0; i < count; ++i) y[i * ldy + r] = table.oneRow(w + r * inner, inner, x + i * ldx);
  }
}

}  // namespace rnnblas
