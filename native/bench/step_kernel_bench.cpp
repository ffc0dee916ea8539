// Times the recurrent step's GEMM (C = A W^T, A: rows x K, W: N x K) two ways on one
// thread, interleaved in one process: OpenBLAS sgemm/sgemv on W as stored, and the packed
// AVX2 kernel on W packed once. Build: cmake --build build --target step_kernel_bench
#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "../core/blas_ops.h"
#include "../core/matrix_vector.h"
#include "../core/packed_weights.h"

using namespace rnnblas;

static double seconds(const std::chrono::steady_clock::time_point& start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int main() {
  openblas_set_num_threads(1);
  struct Shape { int64_t rows, gates, units, inner; };
  const Shape shapes[] = {{1, 4, 256, 256}, {8, 1, 128, 128}, {16, 1, 128, 128}, {16, 3, 256, 256},
                          {32, 3, 256, 256}, {32, 4, 256, 256}, {64, 4, 256, 256}, {64, 4, 1024, 1024},
                          {128, 4, 1024, 1024}, {6400, 4, 256, 128}, {6400, 4, 256, 256}, {3200, 4, 1024, 512}};
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> uniform(-1, 1);
  std::printf("%6s %6s %6s | %12s %12s | %8s %8s | packed/blas\n", "rows", "N", "K", "blas us", "packed us",
              "blas GF", "packed GF");
  for (const Shape& s : shapes) {
    const int64_t N = s.gates * s.units;
    std::vector<float> a(s.rows * s.inner), w(N * s.inner), c1(s.rows * N), c2(s.rows * N);
    for (float& v : a) v = uniform(rng);
    for (float& v : w) v = uniform(rng);
    std::vector<float> packed(PackedWeights::floatsNeeded(s.gates, s.units, s.inner));
    packGates(w.data(), s.units, s.inner, 0, s.gates, packed.data());
    const PackedWeights pw = PackedWeights::over(packed.data(), s.gates, s.units, s.inner);
    const double flops = 2.0 * s.rows * N * s.inner;
    const int reps = std::max<int>(3, static_cast<int>(2e9 / flops));
    std::vector<double> blasTimes, packedTimes;
    for (int round = 0; round < 7; ++round) {
      auto start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) multiplyTransposed(s.rows, N, s.inner, a.data(), s.inner, w.data(), s.inner, c1.data(), N);
      blasTimes.push_back(seconds(start) / reps);
      start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) multiplyPacked(a.data(), s.inner, s.rows, pw, 0, s.units, c2.data(), N);
      packedTimes.push_back(seconds(start) / reps);
    }
    double maxDiff = 0;
    for (size_t i = 0; i < c1.size(); ++i) maxDiff = std::max(maxDiff, static_cast<double>(std::abs(c1[i] - c2[i])));
    std::sort(blasTimes.begin(), blasTimes.end());
    std::sort(packedTimes.begin(), packedTimes.end());
    const double blas = blasTimes[3], pack = packedTimes[3];
    std::printf("%6lld %6lld %6lld | %12.1f %12.1f | %8.1f %8.1f | %.2f  (max diff %.1e)\n", (long long)s.rows,
                (long long)N, (long long)s.inner, blas * 1e6, pack * 1e6, flops / blas / 1e9, flops / pack / 1e9,
                pack / blas, maxDiff);
  }
  // Single rows: sgemv against matrixTimesRows (one vector) in one direction and alternating (as
  // the recurrence runs it), over W_hh of an LSTM layer (whole, and one thread's half).
  std::printf("\n%6s %6s | %10s %10s %10s | GB/s of W (sgemv, one way, ping-pong)\n", "N", "K", "sgemv us",
              "one way us", "ping-pong");
  for (const int64_t n : {512, 1024, 2048, 4096}) {
    const int64_t inner = 256;
    std::vector<float> w(n * inner), x(inner), y1(n), y2(n);
    for (float& v : w) v = uniform(rng);
    for (float& v : x) v = uniform(rng);
    const int reps = 200;
    std::vector<double> times[3];
    for (int round = 0; round < 7; ++round) {
      auto start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) multiplyTransposed(1, n, inner, x.data(), inner, w.data(), inner, y1.data(), n);
      times[0].push_back(seconds(start) / reps);
      start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) matrixTimesRows(w.data(), inner, 0, n, x.data(), inner, 1, y2.data(), n, false);
      times[1].push_back(seconds(start) / reps);
      start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r) matrixTimesRows(w.data(), inner, 0, n, x.data(), inner, 1, y2.data(), n, r % 2 == 1);
      times[2].push_back(seconds(start) / reps);
    }
    double maxDiff = 0;
    for (int64_t i = 0; i < n; ++i) maxDiff = std::max(maxDiff, static_cast<double>(std::abs(y1[i] - y2[i])));
    for (auto& t : times) std::sort(t.begin(), t.end());
    const double bytes = 4.0 * n * inner;
    std::printf("%6lld %6lld | %10.2f %10.2f %10.2f | %.1f %.1f %.1f  (max diff %.1e)\n", (long long)n,
                (long long)inner, times[0][3] * 1e6, times[1][3] * 1e6, times[2][3] * 1e6, bytes / times[0][3] / 1e9,
                bytes / times[1][3] / 1e9, bytes / times[2][3] / 1e9, maxDiff);
  }
  return 0;
}
