#include "threads.h"

#include <cblas.h>

namespace rnnblas {

void setBlasThreads(int threads) { openblas_set_num_threads(threads); }
int getBlasThreads() { return openblas_get_num_threads(); }

}  // namespace rnnblas
