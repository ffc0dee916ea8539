#include "forward_worker.h"

#include <new>
#include <utility>

namespace rnnblas::binding {

RecurrentForwardWorker::RecurrentForwardWorker(Napi::Env env, ForwardJob job, Napi::Object call,
                                               std::shared_ptr<AddonState> state)
    : Napi::AsyncWorker(env, "rnnBlasRecurrentForward"),
      job_(std::move(job)),
      call_(Napi::Persistent(call)),
      state_(std::move(state)),
      threads_(state_->threadsPerCall),
      tuning_(state_->tuning),
      deferred_(Napi::Promise::Deferred::New(env)) {
  // The job arrives with its snapshot taken (RecurrentForwardAsync). Tell V8 about the memory this call holds outside its heap, so GC pressure is right.
  externalBytes_ = job_.nativeBytes();
  Napi::MemoryManagement::AdjustExternalMemory(env, externalBytes_);
}

RecurrentForwardWorker::~RecurrentForwardWorker() {
  // Raw call: when a worker_thread is terminated the environment may refuse it, and a
  // destructor must not throw.
  int64_t ignored = 0;
  napi_adjust_external_memory(Env(), -externalBytes_, &ignored);
}

void RecurrentForwardWorker::Execute() {
  // The team serves one call at a time; a call that finds it busy runs on this pool
  // thread alone, so concurrent calls never stack their thread counts on the cores.
  TeamLease lease(&state_->team);
  try {
    job_.run(lease.team(), threads_, tuning_, state_->workspaces);
  } catch (const std::bad_alloc&) {
    allocationFailed_ = true;
    error_ = "rnn-blas: could not allocate the workspace of this call";
  } catch (const std::exception& error) {
    error_ = error.what();
  }
}

// Settling can fail only while the environment shuts down (a terminated worker_thread):
// there is nobody left to tell then, and an exception escaping here would abort the process.
void RecurrentForwardWorker::OnWorkComplete(Napi::Env env, napi_status status) {
  if (status != napi_cancelled) {
    try {
      Napi::HandleScope scope(env);
      job_.reportMemory(env);
      if (!error_.empty()) {
        deferred_.Reject(allocationFailed_ ? Napi::RangeError::New(env, error_).Value()
                                           : Napi::Error::New(env, error_).Value());
      } else {
        deferred_.Resolve(env.Undefined());
      }
    } catch (...) {
    }
  }
  Destroy();
}

}  // namespace rnnblas::binding
