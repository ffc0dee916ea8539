// Module entry: the raw exports described in binding.d.ts.
#include <cblas.h>
#include <napi.h>

#include <algorithm>
#include <new>
#include <thread>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "../core/kernel_table.h"
#include "../core/machine_caches.h"
#include "../core/sgemm_peak.h"
#include "addon_state.h"
#include "forward_job.h"
#include "forward_worker.h"
#include "linear_call.h"
#include "packed_weights_handle.h"

namespace rnnblas::binding {

namespace {

Napi::Value RecurrentForward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(env, "rnn-blas native: recurrentForward expects one call object");
  }
  ForwardJob job = ForwardJob::fromCall(env, info[0].As<Napi::Object>());
  std::shared_ptr<AddonState> state = AddonState::of(env);
  TeamLease lease(&state->team);
  try {
    job.run(lease.team(), state->threadsPerCall, state->tuning, state->workspaces);
    job.reportMemory(env);
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "rnn-blas: could not allocate the workspace of this call");
  } catch (const std::exception& error) {
    throw Napi::Error::New(env, error.what());
  }
  return env.Undefined();
}

Napi::Value RecurrentForwardAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(env, "rnn-blas native: recurrentForwardAsync expects one call object");
  }
  Napi::Object call = info[0].As<Napi::Object>();
  ForwardJob job = ForwardJob::fromCall(env, call);
  RecurrentForwardWorker* worker = nullptr;
  try {
    // Snapshot first: creating the async work and its Promise can run JavaScript
    // (async_hooks), which could detach a buffer the job still points into.
    job.snapshotInputs();
    worker = new RecurrentForwardWorker(env, std::move(job), call, AddonState::of(env));
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "rnn-blas: could not allocate the snapshot of this call");
  }
  Napi::Promise promise = worker->promise();
  worker->Queue();  // the worker deletes itself once the Promise has settled
  return promise;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "rnn-blas native: setNumThreads expects a number");
  }
  // DoubleValue, not Int32Value: 2^32 + 1 must not wrap around to 1.
  const double threads = info[0].As<Napi::Number>().DoubleValue();
  if (!(threads >= 1 && threads <= 1024) || threads != static_cast<int>(threads)) {
    throw Napi::RangeError::New(env, "rnn-blas native: thread count must be in [1, 1024]");
  }
  AddonState::of(env)->threadsPerCall = static_cast<int>(threads);
  return env.Undefined();
}

// Test hook: lowers the work-split thresholds so small fixtures reach every split.
Napi::Value SetSplitTuningForTesting(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() == 0 || info[0].IsUndefined()) {  // back to the defaults
    AddonState::of(env)->tuning = SplitTuning{};
    return env.Undefined();
  }
  if (!info[0].IsNumber() || info[0].As<Napi::Number>().DoubleValue() < 0) {
    throw Napi::TypeError::New(env, "rnn-blas native: setSplitTuningForTesting(threshold >= 0)");
  }
  // Tests reach every split with small fixtures: both thresholds take the value given.
  AddonState::of(env)->tuning.minStepWorkForUnitSplit = info[0].As<Napi::Number>().Int64Value();
  AddonState::of(env)->tuning.minMacsPerExtraThread = std::max<int64_t>(1, info[0].As<Napi::Number>().Int64Value());
  return env.Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), AddonState::of(info.Env())->threadsPerCall);
}

// For the benchmark only: best seconds of an n^3 sgemm at a given thread count.
Napi::Value SgemmBenchmark(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 3 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "rnn-blas native: sgemmBenchmark(n, threads, repeats)");
  }
  auto wholeIn = [&info](int index, double low, double high) {
    const double value = info[index].As<Napi::Number>().DoubleValue();
    return value >= low && value <= high && value == static_cast<double>(static_cast<int64_t>(value));
  };
  if (!wholeIn(0, 1, 8192) || !wholeIn(1, 1, 1024) || !wholeIn(2, 1, 1000)) {
    throw Napi::RangeError::New(env, "rnn-blas native: sgemmBenchmark arguments out of range");
  }
  const auto whole = [&info](int index) { return static_cast<int>(info[index].As<Napi::Number>().DoubleValue()); };
  return Napi::Number::New(env, measureSgemmSeconds(whole(0), whole(1), whole(2)));
}

// Which kernel table runs: "avx512", "avx2-fma", "neon" or "portable" (kernel_table.h).
Napi::Value KernelSet(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), kernels().name); }

// What the bench and bug reports print: the table, its panel width, the caches the
// blocking was derived from, and the kernels OpenBLAS chose for this CPU.
Napi::Value MachineInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("kernelSet", kernels().name);
  result.Set("panelWidth", Napi::Number::New(env, static_cast<double>(kernels().panelWidth)));
  result.Set("l1dBytes", Napi::Number::New(env, static_cast<double>(machineCaches().l1dBytes)));
  result.Set("l2Bytes", Napi::Number::New(env, static_cast<double>(machineCaches().l2Bytes)));
  result.Set("openblasCore", openblas_get_corename());
  return result;
}

// glibc raises its mmap threshold to the size of each large block freed, so in a long stream
// of batches the later buffers come from the heap instead and fragment it: the footprint
// grows with the input. A fixed threshold keeps them mapped and returned whole. Returns false
// where the C library has no such setting (not glibc).
Napi::Value SetMallocMmapThreshold(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, "rnn-blas native: setMallocMmapThreshold expects a number of bytes");
  }
  const double bytes = info[0].As<Napi::Number>().DoubleValue();
  if (!(bytes >= 0 && bytes <= 32.0 * 1024 * 1024) || bytes != static_cast<double>(static_cast<int>(bytes))) {
    throw Napi::RangeError::New(env, "rnn-blas native: mmap threshold must be a whole number of bytes in [0, 32 MiB]");
  }
#if defined(__GLIBC__)
  return Napi::Boolean::New(env, mallopt(M_MMAP_THRESHOLD, static_cast<int>(bytes)) == 1);
#else
  return Napi::Boolean::New(env, false);
#endif
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // The engine spreads work over its own threads and calls BLAS single-threaded inside
  // each, so that one call never uses more than setNumThreads() threads.
  openblas_set_num_threads(1);
  auto* state = new std::shared_ptr<AddonState>(std::make_shared<AddonState>());
  (*state)->threadsPerCall = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  env.SetInstanceData(state);  // deleted by Node when this environment shuts down

  exports.Set("recurrentForward", Napi::Function::New(env, RecurrentForward, "recurrentForward"));
  exports.Set("recurrentForwardAsync", Napi::Function::New(env, RecurrentForwardAsync, "recurrentForwardAsync"));
  exports.Set("linearForward", Napi::Function::New(env, LinearForward, "linearForward"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("setSplitTuningForTesting",
              Napi::Function::New(env, SetSplitTuningForTesting, "setSplitTuningForTesting"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("sgemmBenchmark", Napi::Function::New(env, SgemmBenchmark, "sgemmBenchmark"));
  exports.Set("kernelSet", Napi::Function::New(env, KernelSet, "kernelSet"));
  exports.Set("machineInfo", Napi::Function::New(env, MachineInfo, "machineInfo"));
  exports.Set("createPackedWeights", Napi::Function::New(env, CreatePackedWeights, "createPackedWeights"));
  exports.Set("packedWeightsReady", Napi::Function::New(env, PackedWeightsReady, "packedWeightsReady"));
  exports.Set("setMallocMmapThreshold",
              Napi::Function::New(env, SetMallocMmapThreshold, "setMallocMmapThreshold"));
  return exports;
}

}  // namespace rnnblas::binding

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  return rnnblas::binding::Init(env, exports);
}

NODE_API_MODULE(rnn_blas, InitAddon)
