#include "matrix_vector_avx2.h"

#include <immintrin.h>

#include <algorithm>

namespace rnnblas::avx2 {

namespace {

constexpr int64_t kBlockRows = 8;  // rows per pass: one result vector, eight FMA chains
constexpr int64_t kFloatsPerLine = 16;
// How far ahead of the arithmetic the pass requests W: 8 KiB, the best of 2, 8 and 16 KiB
// measured on a 1 MiB W_hh.
constexpr int64_t kPrefetchFloats = 2048;

// The first `count` (1..7) lanes set.
inline __m256i firstLanes(int64_t count) {
  alignas(32) static const int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + kBlockRows - count));
}

// Lane i of the result = the sum of the lanes of a_i.
inline __m256 sumEach(__m256 a0, __m256 a1, __m256 a2, __m256 a3, __m256 a4, __m256 a5, __m256 a6, __m256 a7) {
  const __m256 quarters0 = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
  const __m256 quarters1 = _mm256_hadd_ps(_mm256_hadd_ps(a4, a5), _mm256_hadd_ps(a6, a7));
  // quartersN: [a0..a3 of lanes 0-3 | a0..a3 of lanes 4-7] (for a4..a7 in quarters1)
  const __m256 low = _mm256_permute2f128_ps(quarters0, quarters1, 0x20);
  const __m256 high = _mm256_permute2f128_ps(quarters0, quarters1, 0x31);
  return _mm256_add_ps(low, high);
}

inline float sumLanes(__m256 v) {
  const __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 pair = _mm_add_ps(half, _mm_movehl_ps(half, half));
  return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
}

// y[0..8) = rows [0, 8) of w (contiguous, `inner` floats each) times x. `ahead` (null
// near the ends of the range) is where the pass will be kPrefetchFloats from now: this
// block's lines there are requested while its arithmetic runs, four per step of k, so the
// L3 stream never waits on a demand miss.
void eightRows(const float* w, int64_t inner, const float* x, float* y, const float* ahead) {
  const float* r0 = w;
  const float* r1 = r0 + inner;
  const float* r2 = r1 + inner;
  const float* r3 = r2 + inner;
  const float* r4 = r3 + inner;
  const float* r5 = r4 + inner;
  const float* r6 = r5 + inner;
  const float* r7 = r6 + inner;
  // Named accumulators: an array of them is spilled to the stack by GCC.
  __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
  __m256 a4 = _mm256_setzero_ps(), a5 = _mm256_setzero_ps(), a6 = _mm256_setzero_ps(), a7 = _mm256_setzero_ps();
  int64_t k = 0;
  for (; k + 8 <= inner; k += 8) {
    if (ahead) {  // the block's 8 x 8 floats of this step are 4 lines' worth of the stream
      const float* line = ahead + k * kBlockRows;
      for (int64_t l = 0; l < 4; ++l) _mm_prefetch(reinterpret_cast<const char*>(line + l * kFloatsPerLine), _MM_HINT_T0);
    }
    const __m256 v = _mm256_loadu_ps(x + k);
    a0 = _mm256_fmadd_ps(_mm256_loadu_ps(r0 + k), v, a0);
    a1 = _mm256_fmadd_ps(_mm256_loadu_ps(r1 + k), v, a1);
    a2 = _mm256_fmadd_ps(_mm256_loadu_ps(r2 + k), v, a2);
    a3 = _mm256_fmadd_ps(_mm256_loadu_ps(r3 + k), v, a3);
    a4 = _mm256_fmadd_ps(_mm256_loadu_ps(r4 + k), v, a4);
    a5 = _mm256_fmadd_ps(_mm256_loadu_ps(r5 + k), v, a5);
    a6 = _mm256_fmadd_ps(_mm256_loadu_ps(r6 + k), v, a6);
    a7 = _mm256_fmadd_ps(_mm256_loadu_ps(r7 + k), v, a7);
  }
  if (k < inner) {
    const __m256i mask = firstLanes(inner - k);
    const __m256 v = _mm256_maskload_ps(x + k, mask);
    a0 = _mm256_fmadd_ps(_mm256_maskload_ps(r0 + k, mask), v, a0);
    a1 = _mm256_fmadd_ps(_mm256_maskload_ps(r1 + k, mask), v, a1);
    a2 = _mm256_fmadd_ps(_mm256_maskload_ps(r2 + k, mask), v, a2);
    a3 = _mm256_fmadd_ps(_mm256_maskload_ps(r3 + k, mask), v, a3);
    a4 = _mm256_fmadd_ps(_mm256_maskload_ps(r4 + k, mask), v, a4);
    a5 = _mm256_fmadd_ps(_mm256_maskload_ps(r5 + k, mask), v, a5);
    a6 = _mm256_fmadd_ps(_mm256_maskload_ps(r6 + k, mask), v, a6);
    a7 = _mm256_fmadd_ps(_mm256_maskload_ps(r7 + k, mask), v, a7);
  }
  _mm256_storeu_ps(y, sumEach(a0, a1, a2, a3, a4, a5, a6, a7));
}

// The last rows of a range that does not fill a block of eight.
float oneRow(const float* row, int64_t inner, const float* x) {
  __m256 low = _mm256_setzero_ps(), high = _mm256_setzero_ps();
  int64_t k = 0;
  for (; k + 16 <= inner; k += 16) {
    low = _mm256_fmadd_ps(_mm256_loadu_ps(row + k), _mm256_loadu_ps(x + k), low);
    high = _mm256_fmadd_ps(_mm256_loadu_ps(row + k + 8), _mm256_loadu_ps(x + k + 8), high);
  }
  for (; k < inner; k += 8) {
    const __m256i mask = firstLanes(inner - k < 8 ? inner - k : 8);
    low = _mm256_fmadd_ps(_mm256_maskload_ps(row + k, mask), _mm256_maskload_ps(x + k, mask), low);
  }
  return sumLanes(_mm256_add_ps(low, high));
}

// Lanes i of the result: the sums of a, b, c, d.
inline __m128 sumFour(__m256 a, __m256 b, __m256 c, __m256 d) {
  const __m256 quarters = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  return _mm_add_ps(_mm256_castps256_ps128(quarters), _mm256_extractf128_ps(quarters, 1));
}

// Y[i][0..4) = rows [0, 4) of w times X[i] for i < N (1 to 3): 4N accumulators, four
// loads of W shared by N vectors at each step of k. `ahead` as in eightRows.
template <int N>
void fourRowsTimesVectors(const float* w, int64_t inner, const float* x, int64_t ldx, float* y, int64_t ldy,
                          const float* ahead) {
  static_assert(N >= 1 && N <= 3, "one to three vectors");
  const float* w0 = w;
  const float* w1 = w0 + inner;
  const float* w2 = w1 + inner;
  const float* w3 = w2 + inner;
  const float* x0 = x;
  const float* x1 = N >= 2 ? x + ldx : x;
  const float* x2 = N >= 3 ? x + 2 * ldx : x;
  // Named accumulators (w row, vector): the unused ones are optimised away.
  __m256 a00 = _mm256_setzero_ps(), a10 = _mm256_setzero_ps(), a20 = _mm256_setzero_ps(), a30 = _mm256_setzero_ps();
  __m256 a01 = _mm256_setzero_ps(), a11 = _mm256_setzero_ps(), a21 = _mm256_setzero_ps(), a31 = _mm256_setzero_ps();
  __m256 a02 = _mm256_setzero_ps(), a12 = _mm256_setzero_ps(), a22 = _mm256_setzero_ps(), a32 = _mm256_setzero_ps();
  auto step = [&](__m256 v0, __m256 v1, __m256 v2, __m256 r0, __m256 r1, __m256 r2, __m256 r3) {
    a00 = _mm256_fmadd_ps(r0, v0, a00);
    a10 = _mm256_fmadd_ps(r1, v0, a10);
    a20 = _mm256_fmadd_ps(r2, v0, a20);
    a30 = _mm256_fmadd_ps(r3, v0, a30);
    if constexpr (N >= 2) {
      a01 = _mm256_fmadd_ps(r0, v1, a01);
      a11 = _mm256_fmadd_ps(r1, v1, a11);
      a21 = _mm256_fmadd_ps(r2, v1, a21);
      a31 = _mm256_fmadd_ps(r3, v1, a31);
    }
    if constexpr (N >= 3) {
      a02 = _mm256_fmadd_ps(r0, v2, a02);
      a12 = _mm256_fmadd_ps(r1, v2, a12);
      a22 = _mm256_fmadd_ps(r2, v2, a22);
      a32 = _mm256_fmadd_ps(r3, v2, a32);
    }
  };
  int64_t k = 0;
  for (; k + 8 <= inner; k += 8) {
    if (ahead) {  // the block's 4 x 8 floats of this step are 2 lines' worth of the stream
      const float* line = ahead + k * 4;
      _mm_prefetch(reinterpret_cast<const char*>(line), _MM_HINT_T0);
      _mm_prefetch(reinterpret_cast<const char*>(line + kFloatsPerLine), _MM_HINT_T0);
    }
    step(_mm256_loadu_ps(x0 + k), N >= 2 ? _mm256_loadu_ps(x1 + k) : _mm256_setzero_ps(),
         N >= 3 ? _mm256_loadu_ps(x2 + k) : _mm256_setzero_ps(), _mm256_loadu_ps(w0 + k), _mm256_loadu_ps(w1 + k),
         _mm256_loadu_ps(w2 + k), _mm256_loadu_ps(w3 + k));
  }
  if (k < inner) {
    const __m256i mask = firstLanes(inner - k);
    step(_mm256_maskload_ps(x0 + k, mask), N >= 2 ? _mm256_maskload_ps(x1 + k, mask) : _mm256_setzero_ps(),
         N >= 3 ? _mm256_maskload_ps(x2 + k, mask) : _mm256_setzero_ps(), _mm256_maskload_ps(w0 + k, mask),
         _mm256_maskload_ps(w1 + k, mask), _mm256_maskload_ps(w2 + k, mask), _mm256_maskload_ps(w3 + k, mask));
  }
  _mm_storeu_ps(y, sumFour(a00, a10, a20, a30));
  if constexpr (N >= 2) _mm_storeu_ps(y + ldy, sumFour(a01, a11, a21, a31));
  if constexpr (N >= 3) _mm_storeu_ps(y + 2 * ldy, sumFour(a02, a12, a22, a32));
}

// Visits the full blocks of `blockRows` rows of W in [rowBegin, rowEnd), counted from
// rowBegin, last to first when `backward`, calling visit(firstRow, ahead): `ahead` is the
// block kPrefetchFloats further along the walk (rounded up to whole blocks, so that it stays
// inside W), or null near the walk's end. Returns the first row past the full blocks: the
// partial block, always the last rows, so that each row is summed the same way in both
// directions.
template <typename Visit>
int64_t walkBlocks(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, int64_t blockRows, bool backward,
                   const Visit& visit) {
  const int64_t fullBlocks = (rowEnd - rowBegin) / blockRows;
  const int64_t blocksAhead = (kPrefetchFloats + blockRows * inner - 1) / (blockRows * inner);
  for (int64_t step = 0; step < fullBlocks; ++step) {
    const int64_t block = backward ? fullBlocks - 1 - step : step;
    const int64_t aheadBlock = backward ? block - blocksAhead : block + blocksAhead;
    const bool aheadInRange = aheadBlock >= 0 && aheadBlock < fullBlocks;
    visit(rowBegin + block * blockRows, aheadInRange ? w + (rowBegin + aheadBlock * blockRows) * inner : nullptr);
  }
  return rowBegin + fullBlocks * blockRows;
}

// y[r] = W_r . x for rows [rowBegin, rowEnd): blocks of eight rows, then oneRow.
void matrixTimesVector(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, float* y,
                       bool backward) {
  const int64_t rest = walkBlocks(w, inner, rowBegin, rowEnd, kBlockRows, backward, [&](int64_t first, const float* ahead) {
    eightRows(w + first * inner, inner, x, y + first, ahead);
  });
  for (int64_t r = rest; r < rowEnd; ++r) y[r] = oneRow(w + r * inner, inner, x);
}

}  // namespace

void matrixTimesRows(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, int64_t ldx,
                     int64_t count, float* y, int64_t ldy, bool backward) {
  if (count == 1) {
    matrixTimesVector(w, inner, rowBegin, rowEnd, x, y, backward);
    return;
  }
  // Blocks of four W rows; for each block, the vectors three at a time while the block
  // sits in L1 (the first three ask for the block ahead).
  constexpr int64_t kRowsPerBlock = 4;
  const int64_t rest = walkBlocks(w, inner, rowBegin, rowEnd, kRowsPerBlock, backward, [&](int64_t first, const float* ahead) {
    for (int64_t i = 0; i < count; i += 3) {
      const float* xi = x + i * ldx;
      float* yi = y + i * ldy + first;
      const float* blockAhead = i == 0 ? ahead : nullptr;
      switch (std::min<int64_t>(3, count - i)) {
        case 3: fourRowsTimesVectors<3>(w + first * inner, inner, xi, ldx, yi, ldy, blockAhead); break;
        case 2: fourRowsTimesVectors<2>(w + first * inner, inner, xi, ldx, yi, ldy, blockAhead); break;
        default: fourRowsTimesVectors<1>(w + first * inner, inner, xi, ldx, yi, ldy, blockAhead); break;
      }
    }
  });
  for (int64_t r = rest; r < rowEnd; ++r) {
    for (int64_t i = 0; i < count; ++i) y[i * ldy + r] = oneRow(w + r * inner, inner, x + i * ldx);
  }
}

}  // namespace rnnblas::avx2
