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
      deferred_(Napi::Promise::Deferred::New(env)) {
  job_.snapshotInputs();
  // Tell V8 about the memory this call holds outside its heap, so GC pressure is right.
  externalBytes_ = job_.nativeBytes();
  Napi::MemoryManagement::AdjustExternalMemory(env, externalBytes_);
}

RecurrentForwardWorker::~RecurrentForwardWorker() {
  Napi::MemoryManagement::AdjustExternalMemory(Env(), -externalBytes_);
}

void RecurrentForwardWorker::Execute() {
  // The team serves one call at a time; a call that finds it busy runs on this pool
  // thread alone, so concurrent calls never stack their thread counts on the cores.
  TeamLease lease(&state_->team);
  try {
    job_.run(lease.team(), threads_);
  } catch (const std::bad_alloc&) {
    allocationFailed_ = true;
    SetError("rnn-blas: could not allocate the workspace of this call");
  } catch (const std::exception& error) {
    SetError(error.what());
  }
}

void RecurrentForwardWorker::OnOK() { deferred_.Resolve(Env().Undefined()); }

void RecurrentForwardWorker::OnError(const Napi::Error& error) {
  const std::string message = error.Message();
  Napi::Value rejection = allocationFailed_ ? Napi::RangeError::New(Env(), message).Value()
                                            : Napi::Error::New(Env(), message).Value();
  deferred_.Reject(rejection);
}

}  // namespace rnnblas::binding
