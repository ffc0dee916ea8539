#include "packed_weights_handle.h"

namespace rnnblas::binding {

namespace {

using Holder = std::shared_ptr<PackedWeightCache>;

// Marks the Externals this addon made: another addon's External (or one of ours holding
// something else) is refused, never cast.
constexpr napi_type_tag kPackedWeightsTag = {0x7a1c3e5b9d2f4086ULL, 0xb3e8a2d14c6f9075ULL};

}  // namespace

Napi::Value CreatePackedWeights(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto handle = Napi::External<Holder>::New(env, new Holder(std::make_shared<PackedWeightCache>()),
                                            [](Napi::Env, Holder* holder) { delete holder; });
  handle.TypeTag(&kPackedWeightsTag);
  return handle;
}

Napi::Value PackedWeightsReady(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::shared_ptr<PackedWeightCache> cache = packedWeightsFrom(env, info[0]);
  if (!cache) throw Napi::TypeError::New(env, "rnn-blas native: packedWeightsReady expects a handle");
  return Napi::Boolean::New(env, cache->ready());
}

std::shared_ptr<PackedWeightCache> packedWeightsFrom(Napi::Env env, Napi::Value value) {
  if (value.IsUndefined() || value.IsNull()) return nullptr;
  if (!value.IsExternal() || !value.As<Napi::External<Holder>>().CheckTypeTag(&kPackedWeightsTag)) {
    throw Napi::TypeError::New(env, "rnn-blas native: packedWeights must come from createPackedWeights()");
  }
  return *value.As<Napi::External<Holder>>().Data();
}

}  // namespace rnnblas::binding
