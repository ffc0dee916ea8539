// The JavaScript side of a PackedWeightCache: an opaque handle (a type-tagged External)
// that a module keeps and passes with each of its calls. The cache itself is shared: every
// job that runs with it holds it, so a module that drops its handle (after loading new
// parameters) never frees packed weights an async call is still reading.
#pragma once
#include <napi.h>

#include <memory>

#include "../core/packed_weight_cache.h"

namespace rnnblas::binding {

// What a handle holds: the cache, and how many of its bytes V8 has been told about. Shared
// by the handle and the jobs that run with it, so an async job may report memory after
// the handle is gone; the two JS-thread fields say whether that is still to do.
struct PackedWeightsHolder {
  const std::shared_ptr<PackedWeightCache> cache = std::make_shared<PackedWeightCache>();
  int64_t reportedBytes = 0;     // JavaScript thread only
  bool handleCollected = false;  // JavaScript thread only
};

// createPackedWeights(): a new, empty cache.
Napi::Value CreatePackedWeights(const Napi::CallbackInfo& info);

// packedWeightsReady(handle): whether a call has filled the cache (tests and diagnostics).
Napi::Value PackedWeightsReady(const Napi::CallbackInfo& info);

// The holder behind a call's `packedWeights` field: null for undefined or null, a
// TypeError for anything that createPackedWeights() did not make.
std::shared_ptr<PackedWeightsHolder> packedWeightsFrom(Napi::Env env, Napi::Value value);

// Once a call has filled the cache, tells V8 about its memory (once per handle; given back
// when the handle is collected), so that dropped modules are collected as soon as their
// size warrants. JavaScript thread only.
void reportPackedWeightsMemory(Napi::Env env, PackedWeightsHolder* holder);

}  // namespace rnnblas::binding
