#include "linear.h"

#include <algorithm>
#include <cstring>

#include "blas_ops.h"
#include "thread_team.h"
#include "work_split.h"

namespace rnnblas {

namespace {
// Below this much work per extra thread (multiply-adds), waking a helper costs more than it saves.
constexpr int64_t kMinMacsPerExtraThread = 1 << 20;

void linearRows(const float* x, int64_t rowBegin, int64_t rowEnd, int64_t inFeatures, const float* weight,
                const float* bias, int64_t outFeatures, float* y) {
  const int64_t rows = rowEnd - rowBegin;
  if (rows <= 0) return;
  float* out = y + rowBegin * outFeatures;
  if (inFeatures == 0) {
    std::memset(out, 0, sizeof(float) * rows * outFeatures);
  } else {
    multiplyTransposed(rows, outFeatures, inFeatures, x + rowBegin * inFeatures, inFeatures, weight, inFeatures, out,
                       outFeatures);
  }
  if (!bias) return;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = out + r * outFeatures;
    for (int64_t j = 0; j < outFeatures; ++j) row[j] += bias[j];
  }
}
}  // namespace

void linearForward(const float* x, int64_t rows, int64_t inFeatures, const float* weight, const float* bias,
                   int64_t outFeatures, float* y, ThreadTeam* team, int threads) {
  const int64_t macs = rows * inFeatures * outFeatures;
  const int workers =
      team ? static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, macs / kMinMacsPerExtraThread + 1))) : 1;
  if (workers <= 1) {
    linearRows(x, 0, rows, inFeatures, weight, bias, outFeatures, y);
    return;
  }
  const std::vector<int64_t> bounds = evenSplit(rows, workers);
  team->run(workers, [&](int worker) {
    linearRows(x, bounds[worker], bounds[worker + 1], inFeatures, weight, bias, outFeatures, y);
  });
}

}  // namespace rnnblas
