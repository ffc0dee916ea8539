// State of one load of the addon (the main thread and each worker_thread get their own),
// freed by Node when that environment shuts down.
#pragma once
#include <napi.h>

#include <memory>

#include "../core/thread_team.h"

namespace rnnblas::binding {

struct AddonState {
  // Threads one call may use (setNumThreads); the calling thread counts as one.
  int threadsPerCall = 1;
  // Helpers for those threads, shared by this load's calls one call at a time.
  std::unique_ptr<ThreadTeam> team = std::make_unique<ThreadTeam>();

  static AddonState& of(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }
};

}  // namespace rnnblas::binding
