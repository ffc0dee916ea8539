// The block kernels of matrixTimesRows (matrix_vector.h): W as stored times one to three
// vectors, written once over a vector layer V. The walk over blocks, its direction and
// what to prefetch are decided in matrix_vector.cpp, outside the ISA code.
#pragma once
#include <cstdint>

#include "../kernel_tuning.h"

namespace rnnblas::vectorized {

// y[0..8) = rows [0, 8) of w (contiguous, `inner` floats each) times x. `ahead` (null near
// the ends of the walk) is the block the walk reaches kMatrixVectorPrefetchFloats from now:
// its lines are requested while this block's arithmetic runs, a block's worth per step of
// k, so the L3 stream never waits on a demand miss.
template <class V>
void eightRows(const float* w, int64_t inner, const float* x, float* y, const float* ahead) {
  constexpr int64_t kLinesPerStep = 8 * V::kLanes / kFloatsPerCacheLine;
  const float* r0 = w;
  const float* r1 = r0 + inner;
  const float* r2 = r1 + inner;
  const float* r3 = r2 + inner;
  const float* r4 = r3 + inner;
  const float* r5 = r4 + inner;
  const float* r6 = r5 + inner;
  const float* r7 = r6 + inner;
  // Named accumulators: an array of them is spilled to the stack by GCC.
  auto a0 = V::zero(), a1 = V::zero(), a2 = V::zero(), a3 = V::zero();
  auto a4 = V::zero(), a5 = V::zero(), a6 = V::zero(), a7 = V::zero();
  int64_t k = 0;
  for (; k + V::kLanes <= inner; k += V::kLanes) {
    if (ahead) {
      const float* line = ahead + k * 8;
      for (int64_t l = 0; l < kLinesPerStep; ++l) __builtin_prefetch(line + l * kFloatsPerCacheLine, 0, 3);
    }
    const auto v = V::load(x + k);
    a0 = V::fma(V::load(r0 + k), v, a0);
    a1 = V::fma(V::load(r1 + k), v, a1);
    a2 = V::fma(V::load(r2 + k), v, a2);
    a3 = V::fma(V::load(r3 + k), v, a3);
    a4 = V::fma(V::load(r4 + k), v, a4);
    a5 = V::fma(V::load(r5 + k), v, a5);
    a6 = V::fma(V::load(r6 + k), v, a6);
    a7 = V::fma(V::load(r7 + k), v, a7);
  }
  if (k < inner) {
    const int64_t n = inner - k;
    const auto v = V::loadFirst(x + k, n);
    a0 = V::fma(V::loadFirst(r0 + k, n), v, a0);
    a1 = V::fma(V::loadFirst(r1 + k, n), v, a1);
    a2 = V::fma(V::loadFirst(r2 + k, n), v, a2);
    a3 = V::fma(V::loadFirst(r3 + k, n), v, a3);
    a4 = V::fma(V::loadFirst(r4 + k, n), v, a4);
    a5 = V::fma(V::loadFirst(r5 + k, n), v, a5);
    a6 = V::fma(V::loadFirst(r6 + k, n), v, a6);
    a7 = V::fma(V::loadFirst(r7 + k, n), v, a7);
  }
  V::sumFour(a0, a1, a2, a3, y);
  V::sumFour(a4, a5, a6, a7, y + 4);
}

// One row of w times x: the rows of a range that do not fill a block.
template <class V>
float oneRow(const float* row, int64_t inner, const float* x) {
  auto low = V::zero(), high = V::zero();
  int64_t k = 0;
  for (; k + 2 * V::kLanes <= inner; k += 2 * V::kLanes) {
    low = V::fma(V::load(row + k), V::load(x + k), low);
    high = V::fma(V::load(row + k + V::kLanes), V::load(x + k + V::kLanes), high);
  }
  for (; k < inner; k += V::kLanes) {
    const int64_t n = inner - k < V::kLanes ? inner - k : V::kLanes;
    if (n == V::kLanes) {
      low = V::fma(V::load(row + k), V::load(x + k), low);
    } else {
      low = V::fma(V::loadFirst(row + k, n), V::loadFirst(x + k, n), low);
    }
  }
  return V::sum(V::add(low, high));
}

// Y[i][0..4) = rows [0, 4) of w times X[i] for i < N (1 to 3): 4N accumulators, four loads
// of W shared by N vectors at each step of k. `ahead` as in eightRows.
template <class V, int N>
void fourRowsTimesVectors(const float* w, int64_t inner, const float* x, int64_t ldx, float* y, int64_t ldy,
                          const float* ahead) {
  static_assert(N >= 1 && N <= 3, "one to three vectors");
  constexpr int64_t kLinesPerStep = (4 * V::kLanes + kFloatsPerCacheLine - 1) / kFloatsPerCacheLine;
  const float* w0 = w;
  const float* w1 = w0 + inner;
  const float* w2 = w1 + inner;
  const float* w3 = w2 + inner;
  const float* x0 = x;
  const float* x1 = N >= 2 ? x + ldx : x;
  const float* x2 = N >= 3 ? x + 2 * ldx : x;
  // Named accumulators (w row, vector): the unused ones are optimised away.
  auto a00 = V::zero(), a10 = V::zero(), a20 = V::zero(), a30 = V::zero();
  auto a01 = V::zero(), a11 = V::zero(), a21 = V::zero(), a31 = V::zero();
  auto a02 = V::zero(), a12 = V::zero(), a22 = V::zero(), a32 = V::zero();
  using Reg = typename V::Reg;
  auto step = [&](Reg v0, Reg v1, Reg v2, Reg r0, Reg r1, Reg r2, Reg r3) {
    a00 = V::fma(r0, v0, a00);
    a10 = V::fma(r1, v0, a10);
    a20 = V::fma(r2, v0, a20);
    a30 = V::fma(r3, v0, a30);
    if constexpr (N >= 2) {
      a01 = V::fma(r0, v1, a01);
      a11 = V::fma(r1, v1, a11);
      a21 = V::fma(r2, v1, a21);
      a31 = V::fma(r3, v1, a31);
    }
    if constexpr (N >= 3) {
      a02 = V::fma(r0, v2, a02);
      a12 = V::fma(r1, v2, a12);
      a22 = V::fma(r2, v2, a22);
      a32 = V::fma(r3, v2, a32);
    }
  };
  int64_t k = 0;
  for (; k + V::kLanes <= inner; k += V::kLanes) {
    if (ahead) {
      const float* line = ahead + k * 4;
      for (int64_t l = 0; l < kLinesPerStep; ++l) __builtin_prefetch(line + l * kFloatsPerCacheLine, 0, 3);
    }
    step(V::load(x0 + k), N >= 2 ? V::load(x1 + k) : V::zero(), N >= 3 ? V::load(x2 + k) : V::zero(),
         V::load(w0 + k), V::load(w1 + k), V::load(w2 + k), V::load(w3 + k));
  }
  if (k < inner) {
    const int64_t n = inner - k;
    step(V::loadFirst(x0 + k, n), N >= 2 ? V::loadFirst(x1 + k, n) : V::zero(),
         N >= 3 ? V::loadFirst(x2 + k, n) : V::zero(), V::loadFirst(w0 + k, n), V::loadFirst(w1 + k, n),
         V::loadFirst(w2 + k, n), V::loadFirst(w3 + k, n));
  }
  // Through a buffer: Y's rows are only 4 floats wide here.
  float sums[4];
  V::sumFour(a00, a10, a20, a30, sums);
  for (int r = 0; r < 4; ++r) y[r] = sums[r];
  if constexpr (N >= 2) {
    V::sumFour(a01, a11, a21, a31, sums);
    for (int r = 0; r < 4; ++r) y[ldy + r] = sums[r];
  }
  if constexpr (N >= 3) {
    V::sumFour(a02, a12, a22, a32, sums);
    for (int r = 0; r < 4; ++r) y[2 * ldy + r] = sums[r];
  }
}

}  // namespace rnnblas::vectorized
