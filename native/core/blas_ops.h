// The one matrix shape the engine needs: C = A B^T with PyTorch's row-major weights.
#pragma once
#include <cblas.h>

#include <cstdint>

namespace rnnblas {

// C (rows x cols, ldc) = A (rows x inner, lda) * B^T + beta * C, B being (cols x inner, ldb).
// A single row goes to sgemv: OpenBLAS's gemm kernels pack B first, which a
// matrix-vector product does not repay.
inline void multiplyTransposed(int64_t rows, int64_t cols, int64_t inner, const float* a, int64_t lda,
                               const float* b, int64_t ldb, float* c, int64_t ldc, float beta = 0.0f) {
  if (rows <= 0 || cols <= 0) return;
  if (rows == 1) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, cols, inner, 1.0f, b, ldb, a, 1, beta, c, 1);
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, cols, inner, 1.0f, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace rnnblas
