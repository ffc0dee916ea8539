// The fused per-row pass of each cell: reads the input projection and the recurrent GEMM
// result once, adds biases, applies activations and writes the new state. One call handles
// one batch row of one time step, for hidden units [begin, end): a worker that owns a slice
// of the hidden units touches only that slice. Gate g of unit j sits at [g*H + j].
#pragma once
#include <cstdint>

namespace rnnblas {

struct GateRow {
  const float* inputGates;   // x W_ih^T + b_ih + b_hh of this row (gates*H; GRU's n part: + b_in only)
  const float* hiddenGates;  // h W_hh^T of this row (gates*H), or null when the step's GEMM
                             // added it into inputGates already (LSTM and RNN; never GRU,
                             // whose n gate needs it apart)
  int64_t hiddenSize;        // H: the distance between gates
  int64_t begin, end;        // the hidden units to update
};

// Each kernel table (kernel_table.h) has one pass per cell, with this contract:
// - rnnTanhRow, rnnReluRow: h' = tanh(...) or relu(...) of x_proj + h_proj.
// - lstmRow: gates i|f|g|o; `cell` is updated in place; o * tanh(c') goes to `hiddenOut`
//   (h' itself without projection, the pre-projection buffer with one).
// - gruRow: gates r|z|n, PyTorch's variant: n = tanh(x_n + b_in + r * (h_n + b_hn)),
//   h' = (1-z) n + z h.
// preactivation(row, i): gate entry i of x_proj + h_proj, whichever way the row holds it.
// The scalar versions below are the portable table's, and every table's for the units past
// its last vector.
inline float preactivation(const GateRow& row, int64_t i) {
  return row.hiddenGates ? row.inputGates[i] + row.hiddenGates[i] : row.inputGates[i];
}

void rnnTanhRowScalar(const GateRow& row, float* hNext);
void rnnReluRowScalar(const GateRow& row, float* hNext);
void lstmRowScalar(const GateRow& row, float* cell, float* hiddenOut);
void gruRowScalar(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext);

}  // namespace rnnblas
