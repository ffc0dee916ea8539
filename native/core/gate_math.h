// The fused per-row pass of each cell: reads the input projection and the recurrent
// GEMM result once, applies biases and activations, and updates the state in place.
// One call handles one batch row of one time step; the caller owns all pointers.
#pragma once
#include <cstdint>

namespace rnnblas {

// h' = act(x_proj + h_proj + bias). `bias` = b_ih + b_hh (zeros without bias).
void rnnTanhRow(const float* inputGates, const float* hiddenGates, const float* bias,
                float* h, int64_t hiddenSize);
void rnnReluRow(const float* inputGates, const float* hiddenGates, const float* bias,
                float* h, int64_t hiddenSize);

// Gates i|f|g|o. c is updated in place; the new o * tanh(c) goes to `hiddenOut`
// (h itself without projection, the pre-projection buffer with one).
void lstmRow(const float* inputGates, const float* hiddenGates, const float* bias, float* c,
             float* hiddenOut, int64_t hiddenSize);

// Gates r|z|n, PyTorch's variant: n = tanh(x_n + b_in + r * (h_n + b_hn)).
// `bias` holds b_ir+b_hr | b_iz+b_hz | b_in; `hiddenNewBias` holds b_hn.
void gruRow(const float* inputGates, const float* hiddenGates, const float* bias,
            const float* hiddenNewBias, float* h, int64_t hiddenSize);

}  // namespace rnnblas
