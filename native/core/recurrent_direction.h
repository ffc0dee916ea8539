// One layer, one direction: the input projection of every row in a single GEMM, then
// the recurrence over time, one small GEMM plus one fused gate pass per step.
#pragma once
#include <cstdint>

#include "recurrent_spec.h"
#include "sequence_layout.h"

namespace rnnblas {

// Scratch of one direction, carved out of the call's single workspace allocation.
struct DirectionScratch {
  float* inputGates = nullptr;     // totalRows x gates*H: x W_ih^T for every row
  float* hiddenGates = nullptr;    // batch x gates*H: h W_hh^T of the current step
  float* hidden = nullptr;         // batch x H_out: h, updated in place
  float* cell = nullptr;           // batch x H: c (LSTM)
  float* preProjection = nullptr;  // batch x H: o * tanh(c) before W_hr (LSTM with projSize)
  float* combinedBias = nullptr;   // gates*H: b_ih + b_hh (GRU's n part: b_in only)
  float* hiddenNewBias = nullptr;  // H: GRU's b_hn, applied inside r * (...)

  static int64_t floatsNeeded(const RecurrentSpec& spec, const SequenceLayout& layout);
  void carve(float* base, const RecurrentSpec& spec, const SequenceLayout& layout);
};

struct DirectionIO {
  const float* layerInput = nullptr;  // totalRows x layerInputSize, laid out by the layout
  int64_t layerInputSize = 0;
  float* layerOutput = nullptr;       // totalRows x outputRowStride
  int64_t outputRowStride = 0;        // D * H_out: both directions share each output row
  int64_t outputColumn = 0;           // d * H_out: this direction's half of the row
  const float* h0 = nullptr;          // batch x H_out, or null for zeros
  const float* c0 = nullptr;          // batch x H, or null for zeros
  float* hN = nullptr;                // batch x H_out
  float* cN = nullptr;                // batch x H, or null
  bool reverse = false;
};

// The one GEMM over all rows: inputGates = layerInput W_ih^T (biases come in the gate pass).
void projectInputs(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                   int64_t totalRows, DirectionScratch& scratch);

// Sets h and c from h0/c0 (or zeros) and prepares the bias vectors.
void prepareState(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                  int64_t batch, DirectionScratch& scratch);

// Steps through time for batch entries [batchBegin, batchEnd), writing every output row
// of this direction. Entries never interact, so disjoint ranges may run on separate threads.
void runRecurrence(const RecurrentSpec& spec, const DirectionWeights& weights,
                   const SequenceLayout& layout, const DirectionIO& io, DirectionScratch& scratch,
                   int64_t batchBegin, int64_t batchEnd);

// Copies the final h (and c) of entries [batchBegin, batchEnd) to hN/cN.
void storeFinalState(const RecurrentSpec& spec, const DirectionIO& io, const DirectionScratch& scratch,
                     int64_t batchBegin, int64_t batchEnd);

}  // namespace rnnblas
