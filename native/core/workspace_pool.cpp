#include "workspace_pool.h"

#include <algorithm>

namespace rnnblas {

WorkspacePool::Lease WorkspacePool::acquire(int64_t floats) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The smallest kept buffer that is large enough.
    auto best = kept_.end();
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (it->floats >= floats && (best == kept_.end() || it->floats < best->floats)) best = it;
    }
    if (best != kept_.end()) {
      Kept found = std::move(*best);
      kept_.erase(best);
      return Lease(this, std::move(found.buffer), found.floats);
    }
  }
  const int64_t size = std::max<int64_t>(floats, 1);
  return Lease(this, std::unique_ptr<float[]>(new float[static_cast<size_t>(size)]), size);
}

void WorkspacePool::giveBack(std::unique_ptr<float[]> buffer, int64_t floats) {
  if (floats > kMaxKeptFloats) return;  // freed here: too large to hold on to
  std::lock_guard<std::mutex> lock(mutex_);
  kept_.push_back({std::move(buffer), floats});
  if (kept_.size() > kMaxKept) {
    // Drop the smallest: the large ones are the costly ones to fault in again.
    auto smallest = std::min_element(kept_.begin(), kept_.end(),
                                     [](const Kept& a, const Kept& b) { return a.floats < b.floats; });
    kept_.erase(smallest);
  }
}

}  // namespace rnnblas
