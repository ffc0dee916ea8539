#include "matrix_vector.h"

#include "blas_ops.h"
#include "matrix_vector_avx2.h"
#include "packed_weights.h"

namespace rnnblas {

void matrixTimesVector(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x,
                       float* y, bool backward) {
  if (rowEnd <= rowBegin) return;
  if (packedKernelAvailable()) {
    avx2::matrixTimesVector(w, inner, rowBegin, rowEnd, x, y, backward);
    return;
  }
  cblas_sgemv(CblasRowMajor, CblasNoTrans, rowEnd - rowBegin, inner, 1.0f, w + rowBegin * inner, inner, x, 1, 0.0f,
              y + rowBegin, 1);
}

}  // namespace rnnblas
