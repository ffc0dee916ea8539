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
// At most this many rows of A per block (bounds the RowGroups table); the L2 sets the
// block below that (cacheBlocking).
constexpr int64_t kMaxRowBlock = 1024;
// Weights above this size come from DRAM at every call (or step): multiplyPacked then
// prefetches each panel chunk while the one before it is in use. Smaller weights stay in
// L2 or L3, where the prefetches only take L1 from the panel in use (measured on an EPYC:
// 10 steps of batch 4 at H = 256 took 1.2x the time with them).
constexpr int64_t kStreamedWeightBytes = 2 << 20;
// Batch 1 on packed weights: how far ahead of the arithmetic each panel is requested
// (2 KiB: the best of 1, 2 and 4 KiB on 1 MiB of W_hh, measured on the EPYC).
constexpr int64_t kPackedRowPrefetchBytes = 2048;

// multiplyPacked reads A where it lies, sparing a packing pass per call (and per step in
// the recurrence), when A's rows are dense in its inner chunk (lda below two chunks) or all
// of A fits one row block. Otherwise a block's rows, each chunk a small part of a long
// row, would crowd some of L2's sets (measured: 2% slower on a 512-wide input projection
// read in place), and A is packed block by block. So are rows a multiple of 4 KiB apart:
// an L1 set repeats every 4 KiB (64 sets of 64-byte lines, on 32 KiB 8-way and 48 KiB
// 12-way L1s alike), and six such rows plus a panel chunk's lines in that set would
// exceed its ways. (kAliasingRowFloats below is the same concern for the gate buffers'
// six-row tiles.)
constexpr int64_t kL1SetPeriodFloats = 1024;

// --- matrixTimesRows (matrix_vector.cpp) --------------------------------------------------
// How far ahead of the arithmetic the pass requests W: 8 KiB, the best of 2, 8 and 16 KiB
// measured on a 1 MiB W_hh.
constexpr int64_t kMatrixVectorPrefetchFloats = 2048;

// --- Packed or as stored (recurrent_direction.cpp, DirectionScratch) ----------------------
// W_hh is packed for the GEMM kernel when the batch is above kMaxBatchOnStoredWeights and
// the call multiplies at least kMinRowsForPacking rows (batch x steps) by it. Otherwise it
// is used as stored (matrix_vector.h): a product of a few rows is bound by reading W_hh,
// and a short call would not repay the packing (measured on an EPYC, 1024 x 256: packing
// took 35-45 us; the multi-vector kernel ran at about two thirds of the GEMM kernel's
// rate, which it reaches from 4 rows on). With the weights cached only the batch counts.
constexpr int64_t kMaxBatchOnStoredWeights = 3;
constexpr int64_t kMinRowsForPacking = 16;
// The input projection runs on the packed kernel for inputs up to 256 wide, where it beats
// BLAS (no beta pass over C, no per-call packing); wider inputs stay on sgemm, which packs
// them as fast as we do, unless the weights are cached (then the packed kernel, for any
// width). Up to kMaxRowsOnStoredWeights rows (a cell, a streamed step, a short sequence)
// are multiplied by W_ih as stored: packing it would cost more than it saves (with the
// weights cached, up to kMaxBatchOnStoredWeights rows, as for W_hh).
constexpr int64_t kWidestPackedPerCall = 256;
constexpr int64_t kMaxRowsOnStoredWeights = 16;

// --- The gate buffers (recurrent_direction.cpp, DirectionScratch::rowStride) --------------
// The packed kernel writes a tile of six rows of gates at once. Rows a multiple of 1 KiB
// apart fall into at most four L1 sets, and 4 KiB apart into one, where the tile's lines
// evict each other: rows whose width is a multiple of kAliasingRowFloats get one cache
// line of padding.
constexpr int64_t kAliasingRowFloats = 256;

// --- The work split (work_split.cpp) -------------------------------------------------------
// Below this many rows per worker a batch split leaves each GEMM too thin, and the weights
// are streamed once per worker for little work: split the hidden units instead. The
// thresholds that tests lower (when a call takes another thread, when a step is long
// enough for a barrier) are SplitTuning's defaults, in work_split.h.
constexpr int64_t kMinRowsPerWorker = 4;
// A W_hh larger than this many L2s streams from L3 at every step even when the workers
// halve it: a batch split then reads all of it once per worker and step, a unit split once
// in all, and its barrier per step is small beside such a step. So workers split the units
// there whatever the batch. Measured on an AVX-512 Xeon (2 MiB L2) at 2 threads, unit
// split against batch split: 16 MiB of W_hh 0.97x the time at batch 128 and 0.87x at 32,
// 12 MiB 0.94x at 64, but 4 MiB (two L2s) 1.02x at 128.
constexpr int64_t kStreamedHiddenWeightsL2s = 2;

// --- From the machine ----------------------------------------------------------------------
struct CacheBlocking {
  // A's slice per row block and inner chunk, in floats: 3/8 of one core's L2, so that it
  // stays there with the panels and C's rows streaming past it (on a 512 KiB L2, 192 rows
  // of a 256-deep chunk: the block measured best there). Larger blocks stream W from L3
  // fewer times per call: the input projection reads all of W_ih once per block.
  int64_t rowBlockFloats;
};
const CacheBlocking& cacheBlocking();

}  // namespace rnnblas
