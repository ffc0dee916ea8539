// The AVX2 + FMA vector layer: eight floats per register. Included only by
// isa/table_avx2.cpp, compiled with -mavx2 -mfma; everything here is inline in the ISA's
// namespace or a template instantiated over it, so no function compiled with these flags
// can be picked by the linker for a caller on another CPU (scripts/check-isa-leaks.js).
#pragma once
#include <immintrin.h>

#include "vector_common.h"

namespace rnnblas::avx2 {

struct Vec : simd::CommonVectorOps<__m256, 8> {
  // The first n lanes (0 <= n < kLanes) from p, zeros after; nothing past p + n is read.
  static Reg loadFirst(const float* p, int64_t n) { return _mm256_maskload_ps(p, firstLanes(n)); }
  static void storeFirst(float* p, Reg v, int64_t n) { _mm256_maskstore_ps(p, firstLanes(n), v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm256_fmadd_ps(a, b, c); }    // a b + c
  static Reg fnma(Reg a, Reg b, Reg c) { return _mm256_fnmadd_ps(a, b, c); }  // c - a b
  static Reg roundNearest(Reg a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 1 / d for positive, finite d: the 12-bit estimate and one Newton step (about 2e-7).
  static Reg reciprocal(Reg d) {
    const __m256 estimate = _mm256_rcp_ps(d);
    return _mm256_mul_ps(estimate, _mm256_fnmadd_ps(d, estimate, _mm256_set1_ps(2.0f)));
  }
  static float sum(Reg v) { return sumHalves(_mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1))); }
  // out[i] = the sum of the lanes of the i-th argument.
  static void sumFour(Reg a, Reg b, Reg c, Reg d, float* out) {
    const __m256 quarters = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(quarters), _mm256_extractf128_ps(quarters, 1)));
  }

 private:
  static float sumHalves(__m128 half) {
    const __m128 pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
  }
  static __m256i firstLanes(int64_t n) {
    alignas(32) static const int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + kLanes - n));
  }
};

}  // namespace rnnblas::avx2
