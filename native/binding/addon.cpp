// Module entry: the raw exports described in binding.d.ts.
#include <napi.h>

#include <new>

#include "../core/threads.h"
#include "forward_job.h"

namespace rnnblas::binding {

namespace {

Napi::Value RecurrentForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(env, "rnn-blas native: recurrentForward expects one call object");
  }
  ForwardJob job = ForwardJob::fromCall(env, info[0].As<Napi::Object>());
  try {
    job.run();
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "rnn-blas: could not allocate the workspace of this call");
  }
  return env.Undefined();
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "rnn-blas native: setNumThreads expects a number");
  }
  const int32_t threads = info[0].As<Napi::Number>().Int32Value();
  if (threads < 1 || threads > 1024) {
    throw Napi::RangeError::New(env, "rnn-blas native: thread count must be in [1, 1024]");
  }
  setBlasThreads(threads);
  return env.Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), getBlasThreads());
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("recurrentForward", Napi::Function::New(env, RecurrentForward, "recurrentForward"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  return exports;
}


}  // namespace rnnblas::binding

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return rnnblas::binding::Init(env, exports);
}

NODE_API_MODULE(rnn_blas, InitAddon)
