// The JavaScript side of a PackedWeightCache: an opaque handle (a type-tagged External)
// that a module keeps and passes with each of its calls. The cache itself is shared: every
// job that runs with it holds it, so a module that drops its handle (after loading new
// parameters) never frees packed weights an async call is still reading.
#pragma once
#include <napi.h>

#include <memory>

#include "../core/packed_weight_cache.h"

namespace rnnblas::binding {

// createPackedWeights(): a new, empty cache.
Napi::Value CreatePackedWeights(const Napi::CallbackInfo& info);

// packedWeightsReady(handle): whether a call has filled the cache (tests and diagnostics).
Napi::Value PackedWeightsReady(const Napi::CallbackInfo& info);

// The cache behind a call's `packedWeights` field: null for undefined or null, a
// TypeError for anything that createPackedWeights() did not make.
std::shared_ptr<PackedWeightCache> packedWeightsFrom(Napi::Env env, Napi::Value value);

}  // namespace rnnblas::binding
