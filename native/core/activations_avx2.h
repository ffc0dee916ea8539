// Eight-lane sigmoid and tanh for AVX2 + FMA. Included only by files compiled with
// -mavx2 -mfma, and called only after a runtime CPU check.
//
// exp uses Cephes' expf scheme (range reduction by ln 2, degree-6 polynomial; about
// 1 ulp). sigmoid = 1 / (1 + exp(-x)), the reciprocal by estimate and a Newton step. tanh uses Cephes' odd
// polynomial below |x| = 0.625 and 1 - 2 / (exp(2|x|) + 1) above, so small inputs keep
// their relative accuracy. All stay within 1e-6 of libm (test/10-activations checks it)
// and let NaN through, as PyTorch does.
#pragma once
#include <immintrin.h>

namespace rnnblas::avx2 {

inline __m256 exp(__m256 x) {
  const __m256 maxInput = _mm256_set1_ps(88.3762626647949f);
  const __m256 minInput = _mm256_set1_ps(-88.3762626647949f);
  x = _mm256_max_ps(_mm256_min_ps(x, maxInput), minInput);

  // x = n ln2 + r, |r| <= ln2 / 2; ln 2 split in two for an exact n * ln2.
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);

  __m256 p = _mm256_set1_ps(1.9875691500e-4f);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));

  // 2^n through the exponent bits. n in [-127, 128] after the clamp: split in two
  // factors so neither overflows the exponent field.
  const __m256i ni = _mm256_cvtps_epi32(n);
  const __m256i half = _mm256_srai_epi32(ni, 1);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 scaleA = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
  const __m256 scaleB =
      _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(ni, half), bias), 23));
  return _mm256_mul_ps(_mm256_mul_ps(p, scaleA), scaleB);
}

// min/max above replace NaN with a bound; put NaN lanes back.
inline __m256 keepNaN(__m256 input, __m256 result) {
  return _mm256_blendv_ps(result, input, _mm256_cmp_ps(input, input, _CMP_UNORD_Q));
}

// 1 / d for d >= 1: the 12-bit hardware estimate plus one Newton step (about 2e-7
// relative). The gate pass divides five times per unit, and vdivps is the slowest
// instruction in it; this keeps the divider out of the loop.
inline __m256 reciprocalAboveOne(__m256 d) {
  const __m256 estimate = _mm256_rcp_ps(d);
  return _mm256_mul_ps(estimate, _mm256_fnmadd_ps(d, estimate, _mm256_set1_ps(2.0f)));
}

inline __m256 sigmoid(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 result = reciprocalAboveOne(_mm256_add_ps(one, exp(_mm256_sub_ps(_mm256_setzero_ps(), x))));
  return keepNaN(x, result);
}

inline __m256 tanh(__m256 x) {
  const __m256 signMask = _mm256_set1_ps(-0.0f);
  const __m256 magnitude = _mm256_andnot_ps(signMask, x);
  const __m256 one = _mm256_set1_ps(1.0f);

  // Large: 1 - 2 / (exp(2|x|) + 1), sign restored below.
  const __m256 e = exp(_mm256_add_ps(magnitude, magnitude));
  const __m256 large = _mm256_fnmadd_ps(_mm256_set1_ps(2.0f), reciprocalAboveOne(_mm256_add_ps(e, one)), one);

  // Small: x + x^3 P(x^2).
  const __m256 z = _mm256_mul_ps(magnitude, magnitude);
  __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
  const __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), magnitude, magnitude);

  const __m256 useSmall = _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.625f), _CMP_LT_OQ);
  const __m256 result = _mm256_blendv_ps(large, small, useSmall);
  return keepNaN(x, _mm256_or_ps(result, _mm256_and_ps(x, signMask)));
}

inline __m256 relu(__m256 x) {
  // max(x, 0) returns 0 for NaN (second operand); keep NaN like torch.relu.
  return keepNaN(x, _mm256_max_ps(x, _mm256_setzero_ps()));
}

}  // namespace rnnblas::avx2
