// Vector sigmoid, tanh and relu, written once over a vector layer V (simd/vec_*.h).
//
// exp uses Cephes' expf scheme (range reduction by ln 2, degree-6 polynomial; about
// 1 ulp). sigmoid = 1 / (1 + exp(-x)), the reciprocal by estimate and Newton steps.
// tanh is a rational approximation, accurate relative to its value at every size. All
// stay within 1e-6 of libm (test/10-activations and the kernel tests check it) and let NaN
// through, as PyTorch does: the clamps put the input second in min/max, which return
// their second operand when either is NaN, and every step after them keeps a NaN a NaN.
//
// Every function here is a template on V: instantiated only inside an ISA's translation
// unit, with that ISA's flags, under a name that carries the ISA (see README.md).
#pragma once

namespace rnnblas::vectorized {

template <class V>
inline typename V::Reg exp(typename V::Reg x) {
  x = V::max(V::set1(-88.3762626647949f), V::min(V::set1(88.3762626647949f), x));  // NaN stays NaN
  // x = n ln2 + r, |r| <= ln2 / 2; ln 2 split in two for an exact n * ln2.
  const auto n = V::roundNearest(V::mul(x, V::set1(1.44269504088896341f)));
  auto r = V::fnma(n, V::set1(0.693359375f), x);
  r = V::fnma(n, V::set1(-2.12194440e-4f), r);
  auto p = V::set1(1.9875691500e-4f);
  p = V::fma(p, r, V::set1(1.3981999507e-3f));
  p = V::fma(p, r, V::set1(8.3334519073e-3f));
  p = V::fma(p, r, V::set1(4.1665795894e-2f));
  p = V::fma(p, r, V::set1(1.6666665459e-1f));
  p = V::fma(p, r, V::set1(5.0000001201e-1f));
  p = V::fma(p, V::mul(r, r), V::add(r, V::set1(1.0f)));
  return V::scaleByPowerOfTwo(p, n);  // n in [-127, 128] after the clamp
}

// Below -ln(FLT_MAX), 1 + exp(-x) overflows float32 and PyTorch's sigmoid is exactly 0
// (a GRU's r = 0 then makes 0 * inf = NaN downstream, as torch's does). The clamped exp and
// the reciprocal's estimate give 0 there on x86 (rcpps flushes), but a denormal on NEON
// (frecpe does not): the select makes every table agree with torch.
template <class V>
inline typename V::Reg sigmoid(typename V::Reg x) {
  const auto value = V::reciprocal(V::add(V::set1(1.0f), exp<V>(V::sub(V::zero(), x))));
  return V::selectBelow(x, -88.72283935546875f, V::zero(), value);
}

// tanh as a rational function of x (odd degree-13 over even degree-6 polynomial, the
// float fit Eigen uses), x clamped to +-7.905 where tanh rounds to +-1: max error 3.6e-7
// absolute and relative over the whole line, at half the cost of an exp-based tanh.
template <class V>
inline typename V::Reg tanh(typename V::Reg x) {
  const auto bound = V::set1(7.90531110763549805f);
  const auto clamped = V::max(V::sub(V::zero(), bound), V::min(bound, x));
  const auto x2 = V::mul(clamped, clamped);
  auto p = V::set1(-2.76076847742355e-16f);
  p = V::fma(p, x2, V::set1(2.00018790482477e-13f));
  p = V::fma(p, x2, V::set1(-8.60467152213735e-11f));
  p = V::fma(p, x2, V::set1(5.12229709037114e-08f));
  p = V::fma(p, x2, V::set1(1.48572235717979e-05f));
  p = V::fma(p, x2, V::set1(6.37261928875436e-04f));
  p = V::fma(p, x2, V::set1(4.89352455891786e-03f));
  p = V::mul(p, clamped);
  auto q = V::set1(1.19825839466702e-06f);
  q = V::fma(q, x2, V::set1(1.18534705686654e-04f));
  q = V::fma(q, x2, V::set1(2.26843463243900e-03f));
  q = V::fma(q, x2, V::set1(4.89352518554385e-03f));
  return V::mul(p, V::reciprocal(q));
}

// max(x, 0) gives 0 for NaN (its second operand): put NaN back, as torch.relu keeps it.
template <class V>
inline typename V::Reg relu(typename V::Reg x) {
  return V::keepNaN(x, V::max(x, V::zero()));
}

}  // namespace rnnblas::vectorized
