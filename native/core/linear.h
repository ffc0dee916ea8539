// y = x W^T + b for every row of x: torch.nn.Linear's forward, one sgemm.
#pragma once
#include <cstdint>

namespace rnnblas {

class ThreadTeam;

// x: rows x inFeatures, weight: outFeatures x inFeatures, bias: outFeatures or null,
// y: rows x outFeatures. Rows are split across up to `threads` threads of `team`.
void linearForward(const float* x, int64_t rows, int64_t inFeatures, const float* weight, const float* bias,
                   int64_t outFeatures, float* y, ThreadTeam* team, int threads);

}  // namespace rnnblas
