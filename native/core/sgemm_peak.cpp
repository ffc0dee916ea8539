#include "sgemm_peak.h"

#include <cblas.h>

#include <chrono>
#include <vector>

namespace rnnblas {

double measureSgemmSeconds(int64_t n, int threads, int repeats) {
  std::vector<float> a(n * n, 0.5f), b(n * n, 0.25f), c(n * n, 0.0f);
  const int previous = openblas_get_num_threads();
  openblas_set_num_threads(threads);
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f,
                c.data(), n);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best) best = seconds;
  }
  openblas_set_num_threads(previous);
  return best;
}

}  // namespace rnnblas
