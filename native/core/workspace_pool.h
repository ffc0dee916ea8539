// Scratch memory for forward calls, kept between calls. A fresh allocation of tens of MB
// is a fresh mmap in glibc (above its 32 MiB threshold), and the first touch of every page
// then costs a page fault and a zeroing: measured at ~10% of an LSTM batch-64 forward.
// Reusing the buffer skips all of it. Thread-safe: concurrent calls each get their own.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace rnnblas {

class WorkspacePool {
 public:
  class Lease {
   public:
    Lease(WorkspacePool* pool, std::unique_ptr<float[]> buffer, int64_t floats)
        : pool_(pool), buffer_(std::move(buffer)), floats_(floats) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (buffer_) pool_->giveBack(std::move(buffer_), floats_);
    }
    float* data() const { return buffer_.get(); }

   private:
    WorkspacePool* pool_;
    std::unique_ptr<float[]> buffer_;
    int64_t floats_;
  };

  // A buffer of at least `floats` floats; throws std::bad_alloc when none can be had.
  Lease acquire(int64_t floats);

 private:
  struct Kept {
    std::unique_ptr<float[]> buffer;
    int64_t floats;
  };
  void giveBack(std::unique_ptr<float[]> buffer, int64_t floats);

  // At most this many idle buffers, and none above this size, stay between calls.
  static constexpr size_t kMaxKept = 2;
  static constexpr int64_t kMaxKeptFloats = int64_t{256} << 20;  // 1 GiB

  std::mutex mutex_;
  std::vector<Kept> kept_;
};

}  // namespace rnnblas
