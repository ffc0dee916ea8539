#include "packed_weight_cache.h"

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

#include "kernel_table.h"
#include "packed_weights.h"
#include "recurrent_direction.h"

namespace rnnblas {

namespace {

int64_t hiddenFloats(const RecurrentSpec& spec) {
  return PackedWeights::floatsNeeded(spec.gates(), spec.hiddenSize, spec.outputSize());
}

int64_t storedHiddenFloats(const RecurrentSpec& spec) { return spec.gateWidth() * spec.outputSize(); }

int64_t inputFloats(const RecurrentSpec& spec, int64_t layer) {
  if (!DirectionScratch::inputWeightsPackable(spec, true)) return 0;
  return PackedWeights::floatsNeeded(spec.gates(), spec.hiddenSize, spec.layerInputSize(layer));
}

int64_t perDirection(const RecurrentSpec& spec, int64_t layer) {
  return hiddenFloats(spec) + inputFloats(spec, layer) + storedHiddenFloats(spec);
}

// Memory of 2 MiB and more comes in 2 MiB-aligned runs that the kernel may back with huge
// pages (madvise): W_hh then lies in physically contiguous memory, which spreads it evenly
// over the L2's sets, and the matrix-vector product of a batch-1 step keeps more of it
// there (measured on 1024 x 256: 13.4-13.9 us per step against 14.1-15.3).
constexpr size_t kHugePage = size_t{2} << 20;

float* allocateStorage(int64_t floats) {
  const size_t bytes = static_cast<size_t>(floats) * sizeof(float);
  if (bytes < kHugePage) return static_cast<float*>(std::malloc(bytes));
  const size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* memory = std::aligned_alloc(kHugePage, rounded);
#ifdef MADV_HUGEPAGE
  if (memory) madvise(memory, rounded, MADV_HUGEPAGE);
#endif
  return static_cast<float*>(memory);
}

bool sameSpec(const RecurrentSpec& a, const RecurrentSpec& b) {
  return a.kind == b.kind && a.inputSize == b.inputSize && a.hiddenSize == b.hiddenSize && a.projSize == b.projSize &&
         a.numLayers == b.numLayers && a.numDirections == b.numDirections && a.hasBias == b.hasBias;
}

}  // namespace

int64_t PackedWeightCache::floatsFor(const RecurrentSpec& spec) {
  if (!kernels().hasPackedKernels()) return 0;
  int64_t total = 0;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    total += spec.numDirections * perDirection(spec, layer);
  }
  return total;
}

bool PackedWeightCache::claimFill(const RecurrentSpec& spec) {
  if (ready() || claimed_.exchange(true, std::memory_order_acq_rel)) return false;
  const int64_t floats = floatsFor(spec);
  if (floats <= 0) return false;
  try {
    finiteHidden_.assign(static_cast<size_t>(spec.numLayers * spec.numDirections), 0);
  } catch (const std::bad_alloc&) {
    return false;
  }
  storage_.reset(allocateStorage(floats));
  storageFloats_ = storage_ ? floats : 0;
  // Unfilled, the claim stays: no later call will try again (nor allocate again).
  return storage_ != nullptr;
}

int64_t PackedWeightCache::offsetOf(const RecurrentSpec& spec, int64_t layer, int64_t direction) const {
  int64_t offset = 0;
  for (int64_t l = 0; l < layer; ++l) offset += spec.numDirections * perDirection(spec, l);
  return offset + direction * perDirection(spec, layer);
}

void PackedWeightCache::FreeStorage::operator()(float* p) const { std::free(p); }

float* PackedWeightCache::hiddenRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction) {
  return storage_.get() + offsetOf(spec, layer, direction);
}

float* PackedWeightCache::inputRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction) {
  if (inputFloats(spec, layer) == 0) return nullptr;
  return storage_.get() + offsetOf(spec, layer, direction) + hiddenFloats(spec);
}

float* PackedWeightCache::storedHiddenRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction) {
  return storage_.get() + offsetOf(spec, layer, direction) + hiddenFloats(spec) + inputFloats(spec, layer);
}

bool PackedWeightCache::matchesOrAdopts(const RecurrentSpec& spec) {
  if (!hasSpec_) {
    spec_ = spec;
    hasSpec_ = true;
  }
  return sameSpec(spec_, spec);
}

}  // namespace rnnblas
