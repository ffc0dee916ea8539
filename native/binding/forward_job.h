// A recurrent forward call unpacked from JavaScript: the spec, the weight views, the
// layout and the buffers, all checked on the calling thread. run() needs no JavaScript,
// so the same job serves the synchronous call and the async worker.
#pragma once
#include <napi.h>

#include <memory>
#include <vector>

#include "../core/recurrent_forward.h"

namespace rnnblas::binding {

class ForwardJob {
 public:
  // Throws a JavaScript TypeError/RangeError for any malformed field.
  static ForwardJob fromCall(Napi::Env env, Napi::Object call);

  // Allocates the workspace (throws std::bad_alloc when that fails) and computes, on up
  // to `threads` threads of `team` (null: the calling thread only).
  void run(ThreadTeam* team, int threads);

 private:
  RecurrentSpec spec_;
  std::vector<DirectionWeights> weights_;
  SequenceLayout layout_;
  ForwardBuffers buffers_;
  int64_t workspaceFloats_ = 0;
};

// Largest workspace one call may ask for, in bytes: past it the call is refused with a
// RangeError instead of letting the allocator take the machine down.
constexpr int64_t kMaxWorkspaceBytes = int64_t{8} << 30;

}  // namespace rnnblas::binding
