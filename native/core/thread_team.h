// A small team of threads for one forward call at a time. The caller is worker 0; helper
// threads sleep between calls and spin only inside a call. BLAS itself runs single-threaded
// inside each worker, so a call never uses more threads than it was given.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rnnblas {

class ThreadTeam {
 public:
  ThreadTeam() = default;
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  // Runs task(worker) for worker = 0..workers-1, worker 0 on the calling thread, and
  // returns when all are done. Only one run at a time: see tryLock().
  void run(int workers, const std::function<void(int)>& task);

  // Waits until all `workers` of the current run have arrived. Call from inside a task.
  void barrier();

  // A call takes the team with tryLock(); a concurrent call that finds it taken runs
  // alone on its own thread instead of waiting or oversubscribing the cores.
  bool tryLock() { return !busy_.exchange(true, std::memory_order_acquire); }
  void unlock() { busy_.store(false, std::memory_order_release); }

 private:
  void ensureHelpers(int helpers);
  void helperLoop(int worker);

  std::vector<std::thread> helpers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  const std::function<void(int)>* task_ = nullptr;
  int workers_ = 0;
  std::atomic<uint64_t> generation_{0};  // bumps once per run (written under mutex_)
  std::atomic<bool> stopping_{false};
  std::atomic<int> finished_{0};
  std::atomic<bool> busy_{false};

  // Sense-reversing spin barrier.
  std::atomic<int> barrierCount_{0};
  std::atomic<uint32_t> barrierPhase_{0};
};

// Holds a team for one call, or none when another call has it.
class TeamLease {
 public:
  explicit TeamLease(ThreadTeam* team) : team_(team && team->tryLock() ? team : nullptr) {}
  ~TeamLease() {
    if (team_) team_->unlock();
  }
  ThreadTeam* team() const { return team_; }

 private:
  ThreadTeam* team_;
};

}  // namespace rnnblas
