// A recurrent forward call unpacked from JavaScript: the spec, the weight views, the
// layout and the buffers, all checked on the calling thread. run() needs no JavaScript,
// so the same job serves the synchronous call and the async worker.
#pragma once
#include <napi.h>

#include <memory>
#include <vector>

#include "../core/recurrent_forward.h"
#include "../core/work_split.h"
#include "../core/workspace_pool.h"
#include "packed_weights_handle.h"

namespace rnnblas::binding {

class ForwardJob {
 public:
  // Throws a JavaScript TypeError/RangeError for any malformed field.
  static ForwardJob fromCall(Napi::Env env, Napi::Object call);

  // Allocates the workspace (throws std::bad_alloc when that fails) and computes, on up
  // to `threads` threads of `team` (null: the calling thread only).
  void run(ThreadTeam* team, int threads, const SplitTuning& tuning, WorkspacePool& workspaces);

  // Copies everything the job reads (weights, input, h0, c0, dropout masks) into memory
  // the job owns, so that an async call computes from the values it was called with
  // whatever JavaScript does meanwhile: a snapshot, chosen over copy-on-write because
  // live parameter tensors can be edited in place without telling anyone.
  void snapshotInputs();

  // After run(), on the JavaScript thread: tells V8 about packed weights the call filled.
  void reportMemory(Napi::Env env);

  // Test hook (`failInWorker: true` in the call): run() throws, to exercise the path by
  // which a failure inside async work reaches JavaScript.
  bool failForTesting() const { return failForTesting_; }

  // Bytes the job holds outside V8's heap while it runs (workspace and snapshot).
  int64_t nativeBytes() const {
    return static_cast<int64_t>(sizeof(float)) * (workspaceFloats_ + static_cast<int64_t>(snapshot_.size()));
  }

 private:
  // Sizes of one direction's weights, in the order of DirectionWeights' fields.
  struct WeightSizes {
    int64_t input = 0, hidden = 0, inputBias = 0, hiddenBias = 0, projection = 0;
  };

  RecurrentSpec spec_;
  std::vector<DirectionWeights> weights_;
  std::vector<WeightSizes> weightSizes_;
  SequenceLayout layout_;
  ForwardBuffers buffers_;
  int64_t inputFloats_ = 0, h0Floats_ = 0, c0Floats_ = 0, maskFloats_ = 0;
  int64_t workspaceFloats_ = 0;
  std::vector<float> snapshot_;
  bool cacheFilled() const { return packedWeights_ && packedWeights_->cache->ready(); }

  std::shared_ptr<PackedWeightsHolder> packedWeights_;  // the module's handle's holder, or null
  bool failForTesting_ = false;
};

// Largest workspace one call may ask for, in bytes: past it the call is refused with a
// RangeError instead of letting the allocator take the machine down.
constexpr int64_t kMaxWorkspaceBytes = int64_t{8} << 30;

}  // namespace rnnblas::binding
