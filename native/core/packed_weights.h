// W_hh repacked once per call for the recurrent step's small GEMM (h W_hh^T).
//
// OpenBLAS packs its B operand inside every sgemm call; the recurrence multiplies by the
// same W_hh at every step, so packing it once per call and running a register-blocked
// kernel on the packed copy saves that work at each step. Layout: for each gate g and
// each panel of 16 hidden units, K x 16 floats (K = H_out), row k holding
// W_hh[g*H + 16q + c][k] for c = 0..15, zero-padded past H.
#pragma once
#include <cstdint>

namespace rnnblas {

constexpr int64_t kPanelWidth = 16;

struct PackedWeights {
  const float* data = nullptr;
  int64_t gates = 0;
  int64_t units = 0;       // H
  int64_t inner = 0;       // K
  int64_t panelsPerGate = 0;

  static int64_t panelsFor(int64_t units) { return (units + kPanelWidth - 1) / kPanelWidth; }
  static int64_t floatsNeeded(int64_t gates, int64_t units, int64_t inner) {
    return gates * panelsFor(units) * kPanelWidth * inner;
  }
  // The view of `storage` holding (or about to hold) packed gates of this size.
  static PackedWeights over(const float* storage, int64_t gates, int64_t units, int64_t inner) {
    return PackedWeights{storage, gates, units, inner, panelsFor(units)};
  }
  const float* panel(int64_t gate, int64_t index) const {
    return data + (gate * panelsPerGate + index) * kPanelWidth * inner;
  }
};

// Packs gates [gateBegin, gateEnd) of `weights` ((gates*units) x inner, row-major) into
// their place in `out` (floatsNeeded(gates, units, inner) floats). Disjoint gate ranges may
// be packed by different threads at once.
void packGates(const float* weights, int64_t units, int64_t inner, int64_t gateBegin, int64_t gateEnd, float* out);

// C[b][g*H + j] = sum_k A[b][k] W[g*H + j][k] (+ bias[g*H + j] when bias is given) for
// rows b in [0, rows), every gate, and units j in [unitBegin, unitEnd) (unitBegin a
// multiple of 16). A has row stride lda, C has row stride ldc.
void multiplyPacked(const float* a, int64_t lda, int64_t rows, const PackedWeights& weights, int64_t unitBegin,
                    int64_t unitEnd, float* c, int64_t ldc, const float* bias = nullptr);

}  // namespace rnnblas
