// The AVX-512 (F + BW + VL + DQ) vector layer: sixteen floats per register. Included only
// by isa/table_avx512.cpp, compiled with those flags; see vec_avx2.h for the rules.
#pragma once
#include <immintrin.h>

#include <cstdint>

namespace rnnblas::avx512 {

struct Vec {
  using Reg = __m512;
  static constexpr int64_t kLanes = 16;

  static Reg zero() { return _mm512_setzero_ps(); }
  static Reg set1(float x) { return _mm512_set1_ps(x); }
  static Reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, Reg v) { _mm512_storeu_ps(p, v); }
  static Reg broadcast(const float* p) { return _mm512_set1_ps(*p); }
  // Masked: the lanes past n are neither read nor written (no fault past the buffer).
  static Reg loadFirst(const float* p, int64_t n) { return _mm512_maskz_loadu_ps(firstLanes(n), p); }
  static void storeFirst(float* p, Reg v, int64_t n) { _mm512_mask_storeu_ps(p, firstLanes(n), v); }

  static Reg add(Reg a, Reg b) { return _mm512_add_ps(a, b); }
  static Reg sub(Reg a, Reg b) { return _mm512_sub_ps(a, b); }
  static Reg mul(Reg a, Reg b) { return _mm512_mul_ps(a, b); }
  static Reg fma(Reg a, Reg b, Reg c) { return _mm512_fmadd_ps(a, b, c); }
  static Reg fnma(Reg a, Reg b, Reg c) { return _mm512_fnmadd_ps(a, b, c); }
  // As vminps/vmaxps on AVX2: the second operand when either is NaN.
  static Reg min(Reg a, Reg b) { return _mm512_min_ps(a, b); }
  static Reg max(Reg a, Reg b) { return _mm512_max_ps(a, b); }
  static Reg roundNearest(Reg a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // vscalefps computes p * 2^n in one rounding, for any n the callers pass.
  static Reg scaleByPowerOfTwo(Reg p, Reg n) { return _mm512_scalef_ps(p, n); }
  // The 14-bit estimate and one Newton step (about 1e-8 relative).
  static Reg reciprocal(Reg d) {
    const __m512 estimate = _mm512_rcp14_ps(d);
    return _mm512_mul_ps(estimate, _mm512_fnmadd_ps(d, estimate, _mm512_set1_ps(2.0f)));
  }
  static Reg keepNaN(Reg input, Reg result) {
    return _mm512_mask_mov_ps(result, _mm512_cmp_ps_mask(input, input, _CMP_UNORD_Q), input);
  }

  static float sum(Reg v) { return _mm512_reduce_add_ps(v); }
  static void sumFour(Reg a, Reg b, Reg c, Reg d, float* out) {
    const __m256 a8 = halves(a), b8 = halves(b), c8 = halves(c), d8 = halves(d);
    const __m256 quarters = _mm256_hadd_ps(_mm256_hadd_ps(a8, b8), _mm256_hadd_ps(c8, d8));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(quarters), _mm256_extractf128_ps(quarters, 1)));
  }

 private:
  static __mmask16 firstLanes(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
  static __m256 halves(__m512 v) { return _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1)); }
};

}  // namespace rnnblas::avx512
