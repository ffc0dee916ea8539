// State of one load of the addon (the main thread and each worker_thread get their own),
// released when that environment shuts down and the last async call using it has ended.
#pragma once
#include <napi.h>

#include <memory>

#include "../core/thread_team.h"
#include "../core/work_split.h"
#include "../core/workspace_pool.h"

namespace rnnblas::binding {

struct AddonState {
  // Threads one call may use (setNumThreads); the calling thread counts as one.
  int threadsPerCall = 1;
  // Helpers for those threads, shared by this load's calls one call at a time.
  ThreadTeam team;
  // Work-split thresholds; only tests change them (setSplitTuningForTesting).
  SplitTuning tuning;
  // Workspaces kept between calls (declared after the team: destroyed before it).
  WorkspacePool workspaces;

  // Async workers hold a share, so a worker_thread that is terminated mid-call does not
  // free the team under a computation still running on the libuv pool.
  static std::shared_ptr<AddonState> of(Napi::Env env) { return *env.GetInstanceData<std::shared_ptr<AddonState>>(); }
};

}  // namespace rnnblas::binding
