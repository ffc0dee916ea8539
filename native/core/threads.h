// The BLAS thread count: the only threads the core uses.
#pragma once

namespace rnnblas {

void setBlasThreads(int threads);
int getBlasThreads();

}  // namespace rnnblas
