// forwardAsync: a ForwardJob run on the libuv pool. Checking and output allocation happen
// before, on the JS thread; the Promise settles on the JS thread.
#pragma once
#include <napi.h>

#include <memory>

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
  void OnOK() override;
  void OnError(const Napi::Error& error) override;

 private:
  ForwardJob job_;
  Napi::ObjectReference call_;
  std::shared_ptr<AddonState> state_;
  int threads_;
  Napi::Promise::Deferred deferred_;
  int64_t externalBytes_;
  bool allocationFailed_ = false;
};

}  // namespace rnnblas::binding
