// The machine's sgemm speed, measured for the benchmark's "% of peak" column.
#pragma once
#include <cstdint>

namespace rnnblas {

// Best wall time in seconds of `repeats` n x n x n sgemm calls, with OpenBLAS allowed
// `threads` threads for the duration of the measurement.
double measureSgemmSeconds(int64_t n, int threads, int repeats);

}  // namespace rnnblas
