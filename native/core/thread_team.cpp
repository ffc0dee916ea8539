#include "thread_team.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RNNBLAS_PAUSE() _mm_pause()
#else
#define RNNBLAS_PAUSE() ((void)0)
#endif

namespace rnnblas {

namespace {
// Spin this long before yielding: a step of the recurrence takes microseconds, so a
// sleeping wait would cost more than the step; on a busy machine yielding keeps the
// waiting thread from starving the one it waits for.
constexpr int kSpinsBeforeYield = 4000;
// After a run, helpers watch for the next one this long before sleeping: a forward runs
// the team two or three times per layer, and waking a sleeping thread (a futex round trip)
// costs more than a step of a small layer.
constexpr int kIdleSpins = 5000;

template <typename Ready>
void spinUntil(Ready ready) {
  int spins = 0;
  while (!ready()) {
    if (++spins < kSpinsBeforeYield) {
      RNNBLAS_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
}
}  // namespace

ThreadTeam::~ThreadTeam() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& helper : helpers_) helper.join();
}

void ThreadTeam::ensureHelpers(int helpers) {
  while (static_cast<int>(helpers_.size()) < helpers) {
    const int worker = static_cast<int>(helpers_.size()) + 1;
    helpers_.emplace_back([this, worker] { helperLoop(worker); });
  }
}

void ThreadTeam::helperLoop(int worker) {
  uint64_t seen = 0;
  for (;;) {
    for (int spin = 0; spin < kIdleSpins && generation_.load(std::memory_order_acquire) == seen &&
                       !stopping_.load(std::memory_order_relaxed);
         ++spin) {
      RNNBLAS_PAUSE();
    }
    const std::function<void(int)>* task = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_.load() || generation_.load() != seen; });
      if (stopping_.load()) return;
      seen = generation_.load();
      if (worker < workers_) task = task_;
    }
    if (task) {
      (*task)(worker);
      finished_.fetch_add(1, std::memory_order_acq_rel);
    }
  }
}

void ThreadTeam::run(int workers, const std::function<void(int)>& task) {
  if (workers <= 1) {
    workers_ = 1;
    task(0);
    return;
  }
  ensureHelpers(workers - 1);
  finished_.store(0, std::memory_order_relaxed);
  barrierCount_.store(0, std::memory_order_relaxed);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    workers_ = workers;
    generation_.fetch_add(1, std::memory_order_release);
  }
  wake_.notify_all();
  task(0);
  spinUntil([&] { return finished_.load(std::memory_order_acquire) == workers - 1; });
}

void ThreadTeam::barrier() {
  const int workers = workers_;
  if (workers <= 1) return;
  const uint32_t phase = barrierPhase_.load(std::memory_order_acquire);
  if (barrierCount_.fetch_add(1, std::memory_order_acq_rel) == workers - 1) {
    barrierCount_.store(0, std::memory_order_relaxed);
    barrierPhase_.store(phase + 1, std::memory_order_release);
    return;
  }
  spinUntil([&] { return barrierPhase_.load(std::memory_order_acquire) != phase; });
}

}  // namespace rnnblas
