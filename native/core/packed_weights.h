// W_hh (and W_ih) repacked for the recurrent step's small GEMM (h W_hh^T).
//
// OpenBLAS packs its B operand inside every sgemm call; the recurrence multiplies by the
// same W_hh at every step, so packing it once and running a register-blocked kernel on the
// packed copy saves that work at each step. Layout: for each gate g and each panel of P
// hidden units (P = the kernel table's panelWidth: two vector registers), K x P floats
// (K = the inner size), row k holding W[g*H + P*q + c][k] for c = 0..P-1, zero-padded past
// H. The layout follows the table: weights packed for one table are read by it alone.
#pragma once
#include <cstdint>

#include "kernel_table.h"

namespace rnnblas {

struct PackedWeights {
  const float* data = nullptr;
  int64_t gates = 0;
  int64_t units = 0;  // H
  int64_t inner = 0;  // K
  int64_t panelWidth = 0;
  int64_t panelsPerGate = 0;
  const KernelTable* table = nullptr;  // whose layout and kernels these are

  static int64_t panelsFor(int64_t units, int64_t panelWidth) { return (units + panelWidth - 1) / panelWidth; }
  // 0 for a table without packed kernels (portable).
  static int64_t floatsNeeded(int64_t gates, int64_t units, int64_t inner, const KernelTable& table = rnnblas::kernels()) {
    if (!table.hasPackedKernels()) return 0;
    return gates * panelsFor(units, table.panelWidth) * table.panelWidth * inner;
  }
  // The view of `storage` holding (or about to hold) packed gates of this size.
  static PackedWeights over(const float* storage, int64_t gates, int64_t units, int64_t inner,
                            const KernelTable& table = rnnblas::kernels()) {
    const int64_t width = table.panelWidth;
    return PackedWeights{storage, gates, units, inner, width, width > 0 ? panelsFor(units, width) : 0, &table};
  }
  const float* panel(int64_t gate, int64_t index) const {
    return data + (gate * panelsPerGate + index) * panelWidth * inner;
  }
};

// Packs gates [gateBegin, gateEnd) of `weights` ((gates*units) x inner, row-major) into
// their place in `out` (floatsNeeded(gates, units, inner, table) floats), in `table`'s
// layout. Disjoint gate ranges may be packed by different threads at once.
void packGates(const float* weights, int64_t units, int64_t inner, int64_t gateBegin, int64_t gateEnd, float* out,
               const KernelTable& table = rnnblas::kernels());

// C[b][g*H + j] = sum_k A[b][k] W[g*H + j][k] (+ bias[g*H + j] when bias is given) for
// rows b in [0, rows), every gate, and units j in [unitBegin, unitEnd) (unitBegin a
// multiple of the panel width). With `addToC` the sum is added to C instead (no bias).
// A has row stride lda, C has row stride ldc. Runs the kernels of the table the weights
// were packed for.
void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias = nullptr, bool addToC = false);

}  // namespace rnnblas
