// Where the row of (time step t, batch entry b) lives in an input or output buffer.
// Padded sequences are either time-major (L, N, *) or batch-first (N, L, *); a packed
// sequence stores step t's rows contiguously, the first batchSizes[t] entries only.
// The recurrence only ever asks rowOf(t, b), so one loop serves all three layouts and
// a packed batch costs what its real tokens cost.
#pragma once
#include <cstdint>
#include <vector>

namespace rnnblas {

class SequenceLayout {
 public:
  // Padded batch: every step has `batch` rows.
  static SequenceLayout padded(int64_t steps, int64_t batch, bool batchFirst);
  // Packed batch: batchSizes[t] rows at step t, non-increasing, as torch packs them (copied).
  static SequenceLayout packed(const int32_t* batchSizes, int64_t steps);

  int64_t steps() const { return steps_; }
  int64_t batch() const { return batch_; }
  int64_t totalRows() const { return totalRows_; }
  int64_t activeRows(int64_t t) const { return packedOffsets_.empty() ? batch_ : batchSizes_[t]; }
  // Steps that batch entry b takes part in: L when padded, its own length when packed.
  int64_t lengthOf(int64_t b) const { return packedLengths_.empty() ? steps_ : packedLengths_[b]; }

  // rowOf(t, b + 1) - rowOf(t, b): the same for every step and entry.
  int64_t entryStride() const { return packedOffsets_.empty() && batchFirst_ ? steps_ : 1; }

  int64_t rowOf(int64_t t, int64_t b) const {
    if (!packedOffsets_.empty()) return packedOffsets_[t] + b;
    return batchFirst_ ? b * steps_ + t : t * batch_ + b;
  }

 private:
  int64_t steps_ = 0;
  int64_t batch_ = 0;
  int64_t totalRows_ = 0;
  bool batchFirst_ = false;
  std::vector<int64_t> batchSizes_;     // rows per step; empty when padded (a copy: the
                                        // layout outlives the caller's array in async calls)
  std::vector<int64_t> packedOffsets_;  // first row of each step; empty when padded
  std::vector<int64_t> packedLengths_;  // length of each batch entry; empty when padded
};

}  // namespace rnnblas
