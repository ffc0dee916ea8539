// forwardAsync: a ForwardJob run on the libuv pool. Checking and output allocation happen
// before, on the JS thread; the Promise settles on the JS thread.
#pragma once
#include <napi.h>

#include <memory>
#include <string>

#include "addon_state.h"
#include "forward_job.h"

namespace rnnblas::binding {

class RecurrentForwardWorker : public Napi::AsyncWorker {
 public:
  // `call` is pinned for the worker's life: it holds the output arrays native code writes.
  RecurrentForwardWorker(Napi::Env env, ForwardJob job, Napi::Object call, std::shared_ptr<AddonState> state);
  ~RecurrentForwardWorker() override;

  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override;  // libuv thread: no JavaScript here
  // Settles the Promise. Replaces node-addon-api's version so that nothing can throw out
  // of it while a terminated worker_thread's environment shuts down.
  void OnWorkComplete(Napi::Env env, napi_status status) override;

 private:
  ForwardJob job_;
  Napi::ObjectReference call_;
  std::shared_ptr<AddonState> state_;
  int threads_;
  SplitTuning tuning_;
  Napi::Promise::Deferred deferred_;
  int64_t externalBytes_;
  bool allocationFailed_ = false;
  std::string error_;  // set by Execute when the computation failed
};

}  // namespace rnnblas::binding
