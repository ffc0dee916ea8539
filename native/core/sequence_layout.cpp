#include "sequence_layout.h"

namespace rnnblas {

SequenceLayout SequenceLayout::padded(int64_t steps, int64_t batch, bool batchFirst) {
  SequenceLayout layout;
  layout.steps_ = steps;
  layout.batch_ = batch;
  layout.totalRows_ = steps * batch;
  layout.batchFirst_ = batchFirst;
  return layout;
}

SequenceLayout SequenceLayout::packed(const int32_t* batchSizes, int64_t steps) {
  SequenceLayout layout;
  layout.steps_ = steps;
  layout.batch_ = steps > 0 ? batchSizes[0] : 0;
  layout.batchSizes_.assign(batchSizes, batchSizes + steps);
  layout.packedOffsets_.resize(steps);
  int64_t offset = 0;
  for (int64_t t = 0; t < steps; ++t) {
    layout.packedOffsets_[t] = offset;
    offset += batchSizes[t];
  }
  layout.totalRows_ = offset;
  // Entry b takes part in the steps whose batch size exceeds b.
  layout.packedLengths_.assign(layout.batch_, 0);
  for (int64_t t = 0; t < steps; ++t) {
    for (int64_t b = 0; b < batchSizes[t]; ++b) ++layout.packedLengths_[b];
  }
  return layout;
}

}  // namespace rnnblas
