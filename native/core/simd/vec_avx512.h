// The AVX-512 (F + BW + VL + DQ) vector layer: sixteen floats per register. Included only
// by isa/table_avx512.cpp, compiled with those flags; see vec_avx2.h for the rules.
#pragma once
#include <immintrin.h>

#include "vector_common.h"

namespace rnnblas::avx512 {

struct Vec : simd::CommonVectorOps<__m512, 16> {
  // Masked: the lanes past n are neither read nor written (no fault past the buffer).
  static Reg loadFirst(const float* p, int64_t n) { return _mm512_maskz_loadu_ps(firstLanes(n), p); }
  static void storeFirst(float* p, Reg v, int64_t n) { _mm512_mask_storeu_ps(p, firstLanes(n), v); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg fnma(Reg a, Reg b, Reg c) { return _mm512_fnmadd_ps(a, b, c); }
  static Reg roundNearest(Reg a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // vscalefps: p * 2^n in one rounding.
  static Reg scaleByPowerOfTwo(Reg p, Reg n) { return _mm512_scalef_ps(p, n); }
  // The 14-bit estimate and one Newton step (about 1e-8 relative).
  static Reg reciprocal(Reg d) {
    const __m512 estimate = _mm512_rcp14_ps(d);
    return _mm512_mul_ps(estimate, _mm512_fnmadd_ps(d, estimate, _mm512_set1_ps(2.0f)));
  }
  static float sum(Reg v) { return _mm512_reduce_add_ps(v); }
  // out[i] = the sum of the lanes of the i-th argument: halves first, then as AVX2 does.
  static void sumFour(Reg a, Reg b, Reg c, Reg d, float* out) {
    const __m256 quarters =
        _mm256_hadd_ps(_mm256_hadd_ps(halves(a), halves(b)), _mm256_hadd_ps(halves(c), halves(d)));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(quarters), _mm256_extractf128_ps(quarters, 1)));
  }

 private:
  static __mmask16 firstLanes(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
  static __m256 halves(__m512 v) { return _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1)); }
};

}  // namespace rnnblas::avx512
