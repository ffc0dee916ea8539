#include "packed_weight_cache.h"

#include <cstddef>
#include <new>

#include "cpu_features.h"
#include "packed_weights.h"
#include "recurrent_direction.h"

namespace rnnblas {

namespace {

int64_t hiddenFloats(const RecurrentSpec& spec) {
  return PackedWeights::floatsNeeded(spec.gates(), spec.hiddenSize, spec.outputSize());
}

int64_t inputFloats(const RecurrentSpec& spec, int64_t layer) {
  if (!DirectionScratch::inputWeightsPackable(spec, true)) return 0;
  return PackedWeights::floatsNeeded(spec.gates(), spec.hiddenSize, spec.layerInputSize(layer));
}

bool sameSpec(const RecurrentSpec& a, const RecurrentSpec& b) {
  return a.kind == b.kind && a.inputSize == b.inputSize && a.hiddenSize == b.hiddenSize && a.projSize == b.projSize &&
         a.numLayers == b.numLayers && a.numDirections == b.numDirections && a.hasBias == b.hasBias;
}

}  // namespace

int64_t PackedWeightCache::floatsFor(const RecurrentSpec& spec) {
  if (!hasAvx2Fma()) return 0;
  int64_t total = 0;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    total += spec.numDirections * (hiddenFloats(spec) + inputFloats(spec, layer));
  }
  return total;
}

bool PackedWeightCache::claimFill(const RecurrentSpec& spec) {
  if (ready() || claimed_.exchange(true, std::memory_order_acq_rel)) return false;
  const int64_t floats = floatsFor(spec);
  try {
    if (floats > 0) {
      storage_.resize(static_cast<size_t>(floats));
      finiteHidden_.assign(static_cast<size_t>(spec.numLayers * spec.numDirections), 0);
    }
  } catch (const std::bad_alloc&) {
    storage_.clear();
  }
  // Unfilled, the claim stays: no later call will try again (nor allocate again).
  return floats > 0 && static_cast<int64_t>(storage_.size()) == floats;
}

int64_t PackedWeightCache::offsetOf(const RecurrentSpec& spec, int64_t layer, int64_t direction) const {
  int64_t offset = 0;
  for (int64_t l = 0; l < layer; ++l) offset += spec.numDirections * (hiddenFloats(spec) + inputFloats(spec, l));
  return offset + direction * (hiddenFloats(spec) + inputFloats(spec, layer));
}

float* PackedWeightCache::hiddenRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction) {
  return storage_.data() + offsetOf(spec, layer, direction);
}

float* PackedWeightCache::inputRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction) {
  if (inputFloats(spec, layer) == 0) return nullptr;
  return storage_.data() + offsetOf(spec, layer, direction) + hiddenFloats(spec);
}

bool PackedWeightCache::matchesOrAdopts(const RecurrentSpec& spec) {
  if (!hasSpec_) {
    spec_ = spec;
    hasSpec_ = true;
  }
  return sameSpec(spec_, spec);
}

}  // namespace rnnblas
