// AVX2 + FMA version of matrix_vector.h, same contract. Defined in a file compiled with
// -mavx2 -mfma; matrix_vector.cpp calls it only on CPUs that have both.
#pragma once
#include <cstdint>

namespace rnnblas::avx2 {

void matrixTimesRows(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, int64_t ldx,
                     int64_t count, float* y, int64_t ldy, bool backward);

}  // namespace rnnblas::avx2
