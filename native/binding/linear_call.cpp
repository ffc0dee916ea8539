#include "linear_call.h"

#include <cstdint>
#include <limits>

#include "../core/linear.h"
#include "addon_state.h"
#include "argument_reader.h"

namespace rnnblas::binding {

Napi::Value LinearForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(env, "rnn-blas native: linearForward expects one call object");
  }
  ArgumentReader reader(env, info[0].As<Napi::Object>());
  constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();
  // Every field is read before any buffer is checked: a read can run a getter (see
  // argument_reader.h), and no JavaScript runs once the pointers are taken.
  const int64_t rows = reader.integer("rows", 0, kMaxDim);
  const int64_t inFeatures = reader.integer("inFeatures", 0, kMaxDim);
  const int64_t outFeatures = reader.integer("outFeatures", 0, kMaxDim);
  const Napi::Value inputValue = reader.value("input");
  const Napi::Value weightValue = reader.value("weight");
  const Napi::Value biasValue = reader.value("bias");
  const Napi::Value outputValue = reader.value("output");
  const int64_t inputFloats = checkedProduct(rows, inFeatures);
  const int64_t weightFloats = checkedProduct(outFeatures, inFeatures);
  const int64_t outputFloats = checkedProduct(rows, outFeatures);
  if (inputFloats < 0 || weightFloats < 0 || outputFloats < 0) {
    throw Napi::RangeError::New(env, "rnn-blas native: linearForward sizes overflow");
  }
  const float* input = reader.floatsFrom(inputValue, "input", inputFloats);
  const float* weight = reader.floatsFrom(weightValue, "weight", weightFloats);
  const float* bias = reader.floatsFrom(biasValue, "bias", outFeatures, true);
  float* output = reader.floatsFrom(outputValue, "output", outputFloats);
  BufferSet buffers;
  buffers.read(input, inputFloats);
  buffers.read(weight, weightFloats);
  buffers.read(bias, bias ? outFeatures : 0);
  buffers.written(output, outputFloats);
  buffers.requireNoOverlap(env);
  std::shared_ptr<AddonState> state = AddonState::of(env);
  TeamLease lease(&state->team);
  linearForward(input, rows, inFeatures, weight, bias, outFeatures, output, lease.team(), state->threadsPerCall);
  return env.Undefined();
}

}  // namespace rnnblas::binding
