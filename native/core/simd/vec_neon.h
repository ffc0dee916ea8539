// The NEON (AArch64 Advanced SIMD) vector layer: four floats per register. Included only
// by isa/table_neon.cpp (AArch64 builds); see vec_avx2.h for the rules.
#pragma once
#include <arm_neon.h>

#include "vector_common.h"

namespace rnnblas::neon {

struct Vec : simd::CommonVectorOps<float32x4_t, 4> {
  // No masked loads on NEON: the n lanes go through a small buffer.
  static Reg loadFirst(const float* p, int64_t n) {
    float buffer[kLanes] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int64_t i = 0; i < n; ++i) buffer[i] = p[i];
    return vld1q_f32(buffer);
  }
  static void storeFirst(float* p, Reg v, int64_t n) {
    float buffer[kLanes];
    vst1q_f32(buffer, v);
    for (int64_t i = 0; i < n; ++i) p[i] = buffer[i];
  }
  static Reg fma(Reg a, Reg b, Reg c) { return vfmaq_f32(c, a, b); }
  static Reg fnma(Reg a, Reg b, Reg c) { return vfmsq_f32(c, a, b); }
  static Reg roundNearest(Reg a) { return vrndnq_f32(a); }
  // The 8-bit estimate and two Newton steps (vrecps: 2 - d e).
  static Reg reciprocal(Reg d) {
    float32x4_t estimate = vrecpeq_f32(d);
    estimate = vmulq_f32(estimate, vrecpsq_f32(d, estimate));
    return vmulq_f32(estimate, vrecpsq_f32(d, estimate));
  }
  static float sum(Reg v) { return vaddvq_f32(v); }
  static void sumFour(Reg a, Reg b, Reg c, Reg d, float* out) {
    vst1q_f32(out, vpaddq_f32(vpaddq_f32(a, b), vpaddq_f32(c, d)));
  }
};

}  // namespace rnnblas::neon
