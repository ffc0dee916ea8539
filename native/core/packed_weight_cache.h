// A module's weights packed for the GEMM kernel (packed_weights.h), kept between calls,
// with a copy of W_hh as stored for the kernels of batches 1-3 (in huge pages where the
// system gives them: see packed_weight_cache.cpp).
//
// Without it every forward repacks W_hh and W_ih: 35-45 us per MiB, which is most of the
// cost of a short call (a few steps of a small batch) and why such calls only pack when
// they multiply enough rows. A module hands a cache to its calls only while its parameters
// cannot have been edited in place (lib/modules/module.ts: none of its live tensors were
// handed out); loading or resetting parameters replaces the cache with an empty one.
//
// The first call that finds the cache empty claims it and packs into it; calls running at
// the same time (async calls on the libuv pool) pack into their own workspace as before.
// Once filled the cache is read-only, so any number of calls may read it at once.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "recurrent_spec.h"

namespace rnnblas {

class PackedWeightCache {
 public:
  // Floats of every layer and direction: W_hh packed, then W_ih packed (none for an
  // input of width 0), then W_hh as stored. 0 where the kernel table has no packed
  // kernels (portable): the cache is then never filled.
  static int64_t floatsFor(const RecurrentSpec& spec);

  // True once a call has filled the cache (acquire: the packed floats are visible).
  bool ready() const { return ready_.load(std::memory_order_acquire); }
  // Bytes of packed weights held once ready (0 before).
  int64_t bytes() const { return ready() ? storageFloats_ * static_cast<int64_t>(sizeof(float)) : 0; }

  // Makes the caller the one call that fills the cache: false when it is ready, another
  // call has claimed it, the spec has nothing to pack, or its memory cannot be allocated.
  // A caller that gets true calls finishFill() once it has packed every region.
  bool claimFill(const RecurrentSpec& spec);
  void finishFill() { ready_.store(true, std::memory_order_release); }

  // Where layer `layer`, direction `direction` keeps W_hh / W_ih packed (W_ih: null when
  // the input projection does not pack). Valid once claimed or ready.
  float* hiddenRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction);
  float* inputRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction);
  // A copy of W_hh as stored, for the kernels of batches 1-3, in the cache's memory
  // (huge pages where the system gives them).
  float* storedHiddenRegion(const RecurrentSpec& spec, int64_t layer, int64_t direction);

  // Whether W_hh of this layer and direction holds only finite values: then a step from a
  // zero state adds exactly zero (finite x 0 = 0), and the first step without h0 skips the
  // product. Recorded by the filling call (setHiddenWeightsFinite), read once ready.
  bool hiddenWeightsFinite(const RecurrentSpec& spec, int64_t layer, int64_t direction) const {
    return finiteHidden_[layer * spec.numDirections + direction] != 0;
  }
  void setHiddenWeightsFinite(const RecurrentSpec& spec, int64_t layer, int64_t direction, bool finite) {
    finiteHidden_[layer * spec.numDirections + direction] = finite ? 1 : 0;
  }

  // The spec the cache was first used with; a later call with another spec is refused
  // (binding). Set on the JavaScript thread only.
  bool matchesOrAdopts(const RecurrentSpec& spec);

 private:
  int64_t offsetOf(const RecurrentSpec& spec, int64_t layer, int64_t direction) const;

  std::atomic<bool> claimed_{false};
  std::atomic<bool> ready_{false};
  struct FreeStorage {
    void operator()(float* p) const;
  };
  std::unique_ptr<float[], FreeStorage> storage_;
  int64_t storageFloats_ = 0;
  std::vector<uint8_t> finiteHidden_;  // per layer and direction
  bool hasSpec_ = false;
  RecurrentSpec spec_;
};

}  // namespace rnnblas
