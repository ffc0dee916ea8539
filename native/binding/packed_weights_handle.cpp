#include "packed_weights_handle.h"

namespace rnnblas::binding {

namespace {

// Marks the Externals this addon made: another addon's External (or one of ours holding
// something else) is refused, never cast.
constexpr napi_type_tag kPackedWeightsTag = {0x7a1c3e5b9d2f4086ULL, 0xb3e8a2d14c6f9075ULL};

using SharedHolder = std::shared_ptr<PackedWeightsHolder>;

void releaseHandle(Napi::Env env, SharedHolder* handleData) {
  PackedWeightsHolder& holder = **handleData;
  holder.handleCollected = true;
  if (holder.reportedBytes > 0) {
    // Raw call: while the environment shuts down it may refuse, and a finalizer must not throw.
    int64_t ignored = 0;
    napi_adjust_external_memory(env, -holder.reportedBytes, &ignored);
    holder.reportedBytes = 0;
  }
  delete handleData;
}

}  // namespace

Napi::Value CreatePackedWeights(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto handle = Napi::External<SharedHolder>::New(env, new SharedHolder(std::make_shared<PackedWeightsHolder>()),
                                                 releaseHandle);
  handle.TypeTag(&kPackedWeightsTag);
  return handle;
}

Napi::Value PackedWeightsReady(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const SharedHolder holder = packedWeightsFrom(env, info[0]);
  if (!holder) throw Napi::TypeError::New(env, "rnn-blas native: packedWeightsReady expects a handle");
  return Napi::Boolean::New(env, holder->cache->ready());
}

std::shared_ptr<PackedWeightsHolder> packedWeightsFrom(Napi::Env env, Napi::Value value) {
  if (value.IsUndefined() || value.IsNull()) return nullptr;
  if (!value.IsExternal() || !value.As<Napi::External<SharedHolder>>().CheckTypeTag(&kPackedWeightsTag)) {
    throw Napi::TypeError::New(env, "rnn-blas native: packedWeights must come from createPackedWeights()");
  }
  return *value.As<Napi::External<SharedHolder>>().Data();
}

void reportPackedWeightsMemory(Napi::Env env, PackedWeightsHolder* holder) {
  if (!holder || holder->handleCollected || holder->reportedBytes > 0 || !holder->cache->ready()) return;
  holder->reportedBytes = holder->cache->bytes();
  int64_t ignored = 0;
  napi_adjust_external_memory(env, holder->reportedBytes, &ignored);
}

}  // namespace rnnblas::binding
