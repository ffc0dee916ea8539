#include "work_split.h"

#include <algorithm>

#include "kernel_table.h"
#include "kernel_tuning.h"
#include "machine_caches.h"

namespace rnnblas {

namespace {
// Workers that split the hidden units take whole panels of the packed step kernel (its
// unitBegin must start a panel), and whole cache lines of the gate buffers elsewhere.
int64_t unitGranule() {
  const KernelTable& table = kernels();
  return table.hasPackedKernels() ? table.panelWidth : kFloatsPerCacheLine;
}

// Batch split for packed input: entries are sorted longest first, so equal counts of
// entries would give the first worker most of the tokens. Split by tokens instead.
std::vector<int64_t> splitByTokens(const SequenceLayout& layout, int parts) {
  const int64_t N = layout.batch();
  int64_t total = 0;
  for (int64_t b = 0; b < N; ++b) total += layout.lengthOf(b);
  std::vector<int64_t> bounds{0};
  int64_t running = 0;
  for (int64_t b = 0; b < N && static_cast<int>(bounds.size()) < parts; ++b) {
    running += layout.lengthOf(b);
    const int64_t remainingEntries = N - (b + 1);
    const int64_t remainingParts = parts - static_cast<int64_t>(bounds.size());
    if (running * parts >= total * static_cast<int64_t>(bounds.size()) || remainingEntries == remainingParts) {
      bounds.push_back(b + 1);
    }
  }
  bounds.push_back(N);
  return bounds;
}
}  // namespace

std::vector<int64_t> evenSplit(int64_t total, int64_t parts, int64_t granule) {
  std::vector<int64_t> bounds{0};
  const int64_t granules = (total + granule - 1) / granule;
  for (int64_t p = 1; p < parts; ++p) bounds.push_back(std::min(total, (granules * p / parts) * granule));
  bounds.push_back(total);
  return bounds;
}

RecurrencePlan planRecurrence(const RecurrentSpec& spec, const SequenceLayout& layout, int threads,
                              ThreadTeam* team, const SplitTuning& tuning) {
  RecurrencePlan plan;
  const int64_t D = spec.numDirections;
  const int64_t N = layout.batch();
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  plan.directionsTogether = D == 2 && threads >= 2;
  const int perDirection = plan.directionsTogether ? threads / 2 : threads;

  int parts = perDirection;
  bool splitUnits = false;
  const int64_t hiddenWeightBytes = spec.gateWidth() * hOut * int64_t(sizeof(float));
  const bool hiddenWeightsStream = hiddenWeightBytes > kStreamedHiddenWeightsL2s * machineCaches().l2Bytes;
  if (parts > 1 && (N < kMinRowsPerWorker * parts || hiddenWeightsStream)) {
    splitUnits = H >= unitGranule() * parts && N * spec.gateWidth() * hOut >= tuning.minStepWorkForUnitSplit;
    if (!splitUnits) parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(parts, N)));
  }
  plan.workers = parts * (plan.directionsTogether ? 2 : 1);

  std::vector<WorkerSlice> slices(parts);
  if (splitUnits) {
    const std::vector<int64_t> units = evenSplit(H, parts, unitGranule());
    const std::vector<int64_t> projections = evenSplit(hOut, parts);
    for (int p = 0; p < parts; ++p) {
      slices[p] = {0, N, units[p], units[p + 1], projections[p], projections[p + 1], team};
    }
  } else {
    const std::vector<int64_t> rows = splitByTokens(layout, parts);
    for (int p = 0; p < parts; ++p) slices[p] = {rows[p], rows[p + 1], 0, H, 0, hOut, nullptr};
  }
  plan.slices = slices;
  return plan;
}

}  // namespace rnnblas
