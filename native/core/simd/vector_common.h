// What every vector layer shares, written once over GCC's vector types: __m256, __m512 and
// float32x4_t are all `float __attribute__((vector_size(N)))`, on which + - * and the
// comparisons compile to the ISA's own instructions. Each ISA's Vec (vec_*.h) derives from
// this and adds what needs its intrinsics. A template, so that it is instantiated only
// inside an ISA unit (see kernels/make_table.h).
#pragma once
#include <cstdint>

namespace rnnblas::simd {

template <class Register, int64_t Lanes>
struct CommonVectorOps {
  using Reg = Register;
  static constexpr int64_t kLanes = Lanes;

  static Reg zero() { return Reg{}; }
  // x - (+0) is x for every x (-0 and NaN included), so it folds to a bare broadcast;
  // 0 + x would not (it turns -0 into +0) and costs an add at every broadcast.
  static Reg set1(float x) { return x - Reg{}; }
  static Reg load(const float* p) {
    Reg v;
    __builtin_memcpy(&v, p, sizeof(Reg));  // an unaligned vector load
    return v;
  }
  static void store(float* p, Reg v) { __builtin_memcpy(p, &v, sizeof(Reg)); }
  static Reg broadcast(const float* p) { return set1(*p); }
  static Reg add(Reg a, Reg b) { return a + b; }
  static Reg sub(Reg a, Reg b) { return a - b; }
  static Reg mul(Reg a, Reg b) { return a * b; }
  // The second operand when either is NaN, as x86's vminps/vmaxps: the activations' clamps
  // rely on it to let NaN through.
  static Reg min(Reg a, Reg b) { return a < b ? a : b; }
  static Reg max(Reg a, Reg b) { return a > b ? a : b; }
  // p * 2^n for integral n in [-127, 128], through the exponent bits: two factors, so that
  // neither overflows the exponent field (an ISA with a scaling instruction overrides it).
  static Reg scaleByPowerOfTwo(Reg p, Reg n) {
    typedef int32_t Bits __attribute__((vector_size(sizeof(Reg))));
    const Bits whole = __builtin_convertvector(n, Bits);  // exact: n is integral
    const Bits half = whole >> 1;
    const Bits exponentA = (half + 127) << 23;
    const Bits exponentB = (whole - half + 127) << 23;
    Reg scaleA, scaleB;
    __builtin_memcpy(&scaleA, &exponentA, sizeof(Reg));
    __builtin_memcpy(&scaleB, &exponentB, sizeof(Reg));
    return p * scaleA * scaleB;
  }
  // `ifBelow` where x < limit, else `otherwise` (NaN is not below anything).
  static Reg selectBelow(Reg x, float limit, Reg ifBelow, Reg otherwise) { return x < set1(limit) ? ifBelow : otherwise; }
  // `result` with the NaN lanes of `input` put back.
  static Reg keepNaN(Reg input, Reg result) { return input != input ? input : result; }
};

}  // namespace rnnblas::simd
