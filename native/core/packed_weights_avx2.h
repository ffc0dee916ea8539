// The AVX2 + FMA kernels behind packGates() and multiplyPacked(); compiled with -mavx2 -mfma.
#pragma once
#include "packed_weights.h"

namespace rnnblas::avx2 {

// One panel: rows [0, width) of `rows` (each `inner` floats, contiguous) into `panel`
// (inner x 16), columns past `width` zeroed. The rows after them, up to `sourceEnd` (the
// end of what is being packed), are prefetched meanwhile.
void packPanel(const float* rows, int64_t width, int64_t inner, float* panel, const float* sourceEnd);

void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias);

}  // namespace rnnblas::avx2
