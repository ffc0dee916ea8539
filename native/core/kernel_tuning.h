// The measured constants of the kernels and their drivers, each with why, and the blocking
// derived from the caches of the machine this runs on (read once, at load: see
// machine_caches.h). Anything that would differ between ISAs travels with the kernel
// table instead (kernel_table.h).
#pragma once
#include <cstdint>

namespace rnnblas {

constexpr int64_t kFloatsPerCacheLine = 16;  // 64-byte lines on every CPU we build for

// --- multiplyPacked (packed_weights.cpp) ------------------------------------------------
// Inner-dimension chunk: 256 rows of a panel (16 KiB of AVX2's, 32 KiB of AVX-512's) stay
// in L1 (or, for the wider panel, L1 plus the L2 next to it) while every row block of A
// passes over them.
constexpr int64_t kInnerChunk = 256;
// At most this many rows of A per block (bounds the RowGroups table).
constexpr int64_t kMaxRowBlock = 192;
// Weights above this size come from DRAM at every call (or step): multiplyPacked then
// prefetches each panel chunk while the one before it is in use. Smaller weights stay in
// L2 or L3, where the prefetches only take L1 from the panel in use (measured on an EPYC:
// 10 steps of batch 4 at H = 256 took 1.2x the time with them).
constexpr int64_t kStreamedWeightBytes = 2 << 20;
// Batch 1 on packed weights: how far ahead of the arithmetic each panel is requested
// (2 KiB: the best of 1, 2 and 4 KiB on 1 MiB of W_hh, measured on the EPYC).
constexpr int64_t kPackedRowPrefetchBytes = 2048;

// --- matrixTimesRows (matrix_vector.cpp) --------------------------------------------------
// How far ahead of the arithmetic the pass requests W: 8 KiB, the best of 2, 8 and 16 KiB
// measured on a 1 MiB W_hh.
constexpr int64_t kMatrixVectorPrefetchFloats = 2048;

// --- From the machine ----------------------------------------------------------------------
struct CacheBlocking {
  // A's slice per row block and inner chunk, in floats: half of one core's L2, so that it
  // stays there with the panels streaming past it.
  int64_t rowBlockFloats;
};
const CacheBlocking& cacheBlocking();

}  // namespace rnnblas
