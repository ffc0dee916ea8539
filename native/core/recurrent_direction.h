// One layer, one direction: the input projection of every row in a single GEMM, then
// the recurrence over time, one small GEMM plus one fused gate pass per step.
#pragma once
#include <cstdint>

#include "kernel_tuning.h"
#include "packed_weights.h"
#include "recurrent_spec.h"
#include "sequence_layout.h"

namespace rnnblas {

class ThreadTeam;

// Where one layer and direction's weights get packed in a call: into the cache it fills,
// into the workspace, or nowhere (null).
struct PackTargets {
  float* hidden = nullptr;
  float* input = nullptr;
  float* storedHidden = nullptr;  // a plain copy of W_hh (the cache's, see packed_weight_cache.h)
};

// Scratch of one direction, carved out of the call's single workspace allocation.
struct DirectionScratch {
  float* inputGates = nullptr;     // totalRows x gates*H: x W_ih^T for every row, rows
                                   // gatesStride apart (see rowStride)
  float* hiddenGates = nullptr;    // batch x gates*H: h W_hh^T of the current step, rows
                                   // gatesStride apart
  int64_t gatesStride = 0;         // of inputGates and hiddenGates
  float* hidden[2] = {nullptr, nullptr};  // batch x H_out each: h before / after a step, alternating
  float* cell = nullptr;           // batch x H: c (LSTM), updated in place
  float* preProjection = nullptr;  // batch x H: o * tanh(c) before W_hr (LSTM with projSize)
  float* combinedBias = nullptr;   // gates*H: b_ih + b_hh (GRU's n part: b_in only)
  float* hiddenNewBias = nullptr;  // H: GRU's b_hn, applied inside r * (...)
  const float* packedStorage = nullptr;       // W_hh packed for the step kernel, when packing pays
  PackedWeights packedHidden;                 // view of packedStorage
  const float* packedInputStorage = nullptr;  // W_ih packed for the input projection, when used
  PackTargets ownPacking;  // where the call packs them itself: in the workspace (none when cached)
  // W_hh known to hold only finite values (a cache checked it): a step from a zero state
  // then adds exactly zero, and the first step without h0 skips the product.
  bool hiddenWeightsFinite = false;
  const float* storedHidden = nullptr;  // the cache's copy of W_hh as stored, or null: the caller's

  // Whether a call packs W_hh / W_ih for the GEMM kernel or multiplies them as stored:
  // the thresholds and their reasons are in kernel_tuning.h (kMaxBatchOnStoredWeights,
  // kMinRowsForPacking, kWidestPackedPerCall, kMaxRowsOnStoredWeights). `cached`: the
  // weights already sit packed in a PackedWeightCache, so packing costs nothing.
  static bool packsWeights(const RecurrentSpec& spec, const SequenceLayout& layout, bool cached);
  static bool packsInputWeights(const RecurrentSpec& spec, const SequenceLayout& layout, bool cached);
  static bool inputWeightsPackable(const RecurrentSpec& spec, bool cached);
  static int64_t widestLayerInput(const RecurrentSpec& spec);
  static int64_t rowStride(int64_t width);

  // `cached`: the packed weights live in a PackedWeightCache, not in the workspace.
  static int64_t floatsNeeded(const RecurrentSpec& spec, const SequenceLayout& layout, bool cached);
  void carve(float* base, const RecurrentSpec& spec, const SequenceLayout& layout, bool cached);
  // Points the kernels at one layer's packed weights in a cache (W_ih: null when not
  // packed), where the call's shape uses them.
  void useCachedWeights(const RecurrentSpec& spec, const SequenceLayout& layout, const float* hidden,
                        const float* input, const float* stored);
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

// The part of a direction's recurrence one worker computes. Workers split either the
// batch (each owns whole rows for every step and never waits) or the hidden units (all
// rows, a slice of the units, and a team barrier each step because every unit of the
// next step reads all of h).
struct WorkerSlice {
  int64_t batchBegin = 0, batchEnd = 0;
  int64_t unitBegin = 0, unitEnd = 0;  // hidden units of the gate pass
  int64_t projBegin = 0, projEnd = 0;  // columns of h = preProjection W_hr^T
  ThreadTeam* stepBarrier = nullptr;   // set when units are split
};

// inputGates rows [rowBegin, rowEnd) = layerInput W_ih^T (biases come in the gate pass).
void projectInputs(const RecurrentSpec& spec, const DirectionWeights& weights, const SequenceLayout& layout,
                   const DirectionIO& io, int64_t rowBegin, int64_t rowEnd, DirectionScratch& scratch);

// Packs gates [gateBegin, gateEnd) of this layer's W_hh and W_ih (input `layerInputSize`
// wide) into `targets`; workers may pack disjoint gate ranges at once.
void packLayerWeights(const RecurrentSpec& spec, const DirectionWeights& weights, int64_t layerInputSize,
                      const PackTargets& targets, int64_t gateBegin, int64_t gateEnd);

// Sets h and c from h0/c0 (or zeros) and prepares the bias vectors.
void prepareState(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                  int64_t batch, DirectionScratch& scratch);

// Steps through time for one worker's slice, writing its part of every output row.
void runRecurrence(const RecurrentSpec& spec, const DirectionWeights& weights,
                   const SequenceLayout& layout, const DirectionIO& io, DirectionScratch& scratch,
                   const WorkerSlice& slice);

// Copies every entry's final h (and c) to hN/cN.
void storeFinalState(const RecurrentSpec& spec, const SequenceLayout& layout, const DirectionIO& io,
                     const DirectionScratch& scratch);

}  // namespace rnnblas
