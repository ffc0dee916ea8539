// The AVX2 + FMA kernel behind multiplyPacked(); compiled with -mavx2 -mfma.
#pragma once
#include "packed_weights.h"

namespace rnnblas::avx2 {

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias);

}  // namespace rnnblas::avx2
