#include "matrix_vector.h"

#include "blas_ops.h"
#include "cpu_features.h"
#include "matrix_vector_avx2.h"

namespace rnnblas {

void matrixTimesRows(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, int64_t ldx,
                     int64_t count, float* y, int64_t ldy, bool backward) {
  if (rowEnd <= rowBegin || count <= 0) return;
  if (hasAvx2Fma()) {
    avx2::matrixTimesRows(w, inner, rowBegin, rowEnd, x, ldx, count, y, ldy, backward);
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count, rowEnd - rowBegin, inner, 1.0f, x, ldx,
              w + rowBegin * inner, inner, 0.0f, y + rowBegin, ldy);
}

}  // namespace rnnblas
