// Products of W, as PyTorch stores it (row-major, one row per gate unit), with one or a few
// vectors: the recurrent step of a single sequence or a batch of 2-3, and calls too short
// to repay packing W for the GEMM kernel (see kernel_tuning.h). Such a
// product reads every float of W once, so memory bandwidth sets its speed more than
// arithmetic, and W is used as it is: nothing is packed.
//
// Where W_hh of one layer (1 MiB for H = 256 LSTM) is larger than a core's L2 (512 KiB on
// a Zen 3 EPYC), a plain pass evicts each row before the next step needs it again. Passing
// over the rows forwards on even steps and backwards on odd steps ("ping-pong") starts
// each step with the rows the previous one read last, which are still in L2 (a third
// faster on that EPYC's 512 KiB pass).
#pragma once
#include <cstdint>

#include "kernel_table.h"

namespace rnnblas {

// Y[i][r] = sum_k w[r * inner + k] X[i][k] for rows r in [rowBegin, rowEnd) of W and vectors
// i in [0, count), X's rows ldx apart and Y's ldy apart; the rows are visited in descending
// order when `backward` (the results are the same either way).
// - One vector: blocks of eight rows of W, eight FMA chains, one horizontal sum per block.
// - More: blocks of four rows of W read once for all the vectors, three at a time, so W
//   streams from memory once per call. The sums cost more arithmetic than the GEMM
//   kernel's, which is why larger calls pack W instead.
// The block kernels come from `table` (kernels/matrix_vector_blocks.h); the walk over the
// blocks is here, the same for every ISA. A table without them (portable) runs sgemm.
void matrixTimesRows(const float* w, int64_t inner, int64_t rowBegin, int64_t rowEnd, const float* x, int64_t ldx,
                     int64_t count, float* y, int64_t ldy, bool backward, const KernelTable& table = kernels());

}  // namespace rnnblas
