// Eight-lane sigmoid and tanh for AVX2 + FMA. Included only by files compiled with
// -mavx2 -mfma, and called only after a runtime CPU check.
//
// exp uses Cephes' expf scheme (range reduction by ln 2, degree-6 polynomial; about
// 1 ulp). sigmoid = 1 / (1 + exp(-x)), the reciprocal by estimate and a Newton step.
// tanh is a rational approximation, accurate relative to its value at every size. All
// stay within 1e-6 of libm (test/10-activations checks it) and let NaN through, as
// PyTorch does: the clamps put the input second in min/max, which return their second
// operand when either is NaN, and every step after them keeps a NaN a NaN.
#pragma once
#include <immintrin.h>

namespace rnnblas::avx2 {

inline __m256 exp(__m256 x) {
  const __m256 maxInput = _mm256_set1_ps(88.3762626647949f);
  const __m256 minInput = _mm256_set1_ps(-88.3762626647949f);
  x = _mm256_max_ps(minInput, _mm256_min_ps(maxInput, x));  // NaN stays NaN (see top)

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

// Puts NaN lanes of `input` back into `result` (relu: max(x, 0) gives 0 for NaN).
inline __m256 keepNaN(__m256 input, __m256 result) {
  return _mm256_blendv_ps(result, input, _mm256_cmp_ps(input, input, _CMP_UNORD_Q));
}

// 1 / d for positive, finite d: the 12-bit hardware estimate plus one Newton step (about
// 2e-7 relative). The gate pass divides five times per unit, and vdivps is the slowest
// instruction in it; this keeps the divider out of the loop.
inline __m256 reciprocal(__m256 d) {
  const __m256 estimate = _mm256_rcp_ps(d);
  return _mm256_mul_ps(estimate, _mm256_fnmadd_ps(d, estimate, _mm256_set1_ps(2.0f)));
}

inline __m256 sigmoid(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return reciprocal(_mm256_add_ps(one, exp(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}

// tanh as a rational function of x (odd degree-13 over even degree-6 polynomial, the
// float fit Eigen uses), x clamped to +-7.905 where tanh rounds to +-1: max error 3.6e-7
// absolute and relative over the whole line (tiny inputs keep their relative accuracy),
// at half the cost of an exp-based tanh.
inline __m256 tanh(__m256 x) {
  const __m256 bound = _mm256_set1_ps(7.90531110763549805f);
  const __m256 clamped = _mm256_max_ps(_mm256_sub_ps(_mm256_setzero_ps(), bound), _mm256_min_ps(bound, x));
  const __m256 x2 = _mm256_mul_ps(clamped, clamped);
  __m256 p = _mm256_set1_ps(-2.76076847742355e-16f);
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(2.00018790482477e-13f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(-8.60467152213735e-11f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(5.12229709037114e-08f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(1.48572235717979e-05f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(6.37261928875436e-04f));
  p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(4.89352455891786e-03f));
  p = _mm256_mul_ps(p, clamped);
  __m256 q = _mm256_set1_ps(1.19825839466702e-06f);
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(1.18534705686654e-04f));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(2.26843463243900e-03f));
  q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(4.89352518554385e-03f));
  return _mm256_mul_ps(p, reciprocal(q));
}

inline __m256 relu(__m256 x) {
  // max(x, 0) returns 0 for NaN (second operand); keep NaN like torch.relu.
  return keepNaN(x, _mm256_max_ps(x, _mm256_setzero_ps()));
}

}  // namespace rnnblas::avx2
