// A whole recurrent stack: every layer, every direction, one workspace per call.
#pragma once
#include <cstdint>

#include "recurrent_spec.h"
#include "sequence_layout.h"

namespace rnnblas {

struct ForwardBuffers {
  const float* input = nullptr;         // totalRows x inputSize
  float* output = nullptr;              // totalRows x D*H_out
  const float* h0 = nullptr;            // (layers*D, batch, H_out), or null for zeros
  const float* c0 = nullptr;            // (layers*D, batch, H), or null for zeros (LSTM)
  float* hN = nullptr;                  // (layers*D, batch, H_out)
  float* cN = nullptr;                  // (layers*D, batch, H) for LSTM, else null
  const float* dropoutMasks = nullptr;  // (layers-1) x totalRows x D*H_out of 0 or 1/(1-p), or null
};

// Floats of scratch memory one call needs; the caller checks it against its bounds.
// Returns -1 when the size does not fit in int64. `cachedWeights`: the call reads packed
// weights from a filled PackedWeightCache (less workspace).
int64_t forwardWorkspaceFloats(const RecurrentSpec& spec, const SequenceLayout& layout, bool cachedWeights);

// Which of a call's stored weight matrices the forward reads. With a filled cache W_hh is
// never read (the cache holds it packed and as stored), nor W_ih where the call's input
// projection takes the packed kernel; an async call need not copy what is not read.
struct StoredWeightsRead {
  bool hidden = true;
  bool input = true;
};
StoredWeightsRead storedWeightsRead(const RecurrentSpec& spec, const SequenceLayout& layout, bool cacheFilled);

class PackedWeightCache;
class ThreadTeam;
struct SplitTuning;

// `weights` holds layers*D entries, layer-major then direction. `workspace` holds
// forwardWorkspaceFloats() floats. The call uses up to `threads` threads of `team`
// (the caller's own thread among them); with no team it runs on the calling thread.
// Nothing is allocated per step. `cache` (or null): the module's packed weights, read
// when filled, filled when this call claims it (see packed_weight_cache.h); a workspace
// sized for cachedWeights = true needs a cache that was filled already.
void recurrentForward(const RecurrentSpec& spec, const DirectionWeights* weights,
                      const SequenceLayout& layout, const ForwardBuffers& buffers, float* workspace,
                      ThreadTeam* team, int threads, const SplitTuning& tuning, PackedWeightCache* cache);

}  // namespace rnnblas
