// How a forward call spreads over its threads. Decided once per layer, from sizes alone.
#pragma once
#include <cstdint>
#include <vector>

#include "recurrent_direction.h"

namespace rnnblas {

// Knobs of the work split. Defaults suit real use; tests lower them to reach every path
// with small PyTorch fixtures.
struct SplitTuning {
  // Splitting hidden units costs a barrier per step; below this many multiply-adds per
  // step (batch x W_hh) the step is too short to pay for it, above all on a shared machine
  // where the partner thread may be descheduled at the barrier.
  int64_t minStepWorkForUnitSplit = 256 * 1024;
  // A call gets one thread more per this many multiply-adds of work (about 20-40 us).
  int64_t minMacsPerExtraThread = 1 << 20;
};

// Balanced ranges: splits [0, total) into `parts` runs whose ends are multiples of
// `granule` where possible (whole SIMD vectors of hidden units).
std::vector<int64_t> evenSplit(int64_t total, int64_t parts, int64_t granule = 1);

struct RecurrencePlan {
  int workers = 1;               // threads taking part
  bool directionsTogether = false;  // bidirectional: worker w runs direction w % 2
  std::vector<WorkerSlice> slices;  // per worker (within its direction)
};

// Bidirectional layers run both directions at once when there are two or more threads.
// Within a direction, workers split the batch when each gets enough rows to fill a GEMM,
// else the hidden units (small batches, such as batch 1 at serving time); they also split
// the units when W_hh is too large for the L2s (kernel_tuning.h, kStreamedHiddenWeightsL2s).
RecurrencePlan planRecurrence(const RecurrentSpec& spec, const SequenceLayout& layout, int threads,
                              ThreadTeam* team, const SplitTuning& tuning);

}  // namespace rnnblas
