#include "recurrent_forward.h"

#include <cmath>
#include <limits>

#include "packed_weight_cache.h"
#include "recurrent_direction.h"
#include "thread_team.h"
#include "work_split.h"

namespace rnnblas {

namespace {

// Two buffers for the outputs of inner layers: layer k reads one and writes the other.
int64_t innerOutputFloats(const RecurrentSpec& spec, const SequenceLayout& layout) {
  return spec.numLayers > 1 ? layout.totalRows() * spec.numDirections * spec.outputSize() : 0;
}

bool multiplyFits(int64_t a, int64_t b) {
  return a == 0 || b <= std::numeric_limits<int64_t>::max() / a;
}

bool allFinite(const float* values, int64_t count) {
  for (int64_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) return false;
  }
  return true;
}

void applyDropout(float* values, const float* mask, int64_t count) {
  for (int64_t i = 0; i < count; ++i) values[i] *= mask[i];
}

// Runs task(worker) on `workers` threads of the team, or on this thread alone.
template <typename Task>
void runOnTeam(ThreadTeam* team, int workers, const Task& task) {
  if (!team || workers <= 1) {
    for (int w = 0; w < workers; ++w) task(w);
    return;
  }
  team->run(workers, task);
}

}  // namespace

int64_t forwardWorkspaceFloats(const RecurrentSpec& spec, const SequenceLayout& layout, bool cachedWeights) {
  // Every factor is bounded by the binding's checks; guard the products anyway.
  const int64_t rowWidth = spec.numDirections * spec.outputSize();
  if (!multiplyFits(layout.totalRows(), spec.gateWidth()) || !multiplyFits(layout.totalRows(), rowWidth)) {
    return -1;
  }
  const int64_t perDirection = DirectionScratch::floatsNeeded(spec, layout, cachedWeights);
  if (!multiplyFits(perDirection, spec.numDirections)) return -1;
  const int64_t directions = perDirection * spec.numDirections;
  const int64_t inner = innerOutputFloats(spec, layout);
  if (inner > (std::numeric_limits<int64_t>::max() - directions) / 2) return -1;
  return directions + 2 * inner;
}

StoredWeightsRead storedWeightsRead(const RecurrentSpec& spec, const SequenceLayout& layout, bool cacheFilled) {
  if (!cacheFilled) return StoredWeightsRead{};
  return StoredWeightsRead{false, !DirectionScratch::packsInputWeights(spec, layout, true)};
}

void recurrentForward(const RecurrentSpec& spec, const DirectionWeights* weights,
                      const SequenceLayout& layout, const ForwardBuffers& buffers, float* workspace,
                      ThreadTeam* team, int threads, const SplitTuning& tuning, PackedWeightCache* cache) {
  const int64_t D = spec.numDirections;
  const int64_t N = layout.batch();
  const int64_t hOut = spec.outputSize();
  const int64_t H = spec.hiddenSize;
  const int64_t rowWidth = D * hOut;
  const int64_t innerFloats = innerOutputFloats(spec, layout);
  if (!team) threads = 1;
  // Waking helpers costs tens of microseconds, and far more when the machine is busy and a
  // helper waits for a core: only calls with enough work per extra thread use them.
  const int64_t callMacs = layout.totalRows() * spec.gateWidth() *
                           (spec.inputSize + spec.outputSize() * (1 + (spec.numLayers - 1) * (D + 1))) * D;
  threads = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, callMacs / tuning.minMacsPerExtraThread + 1)));

  // Packed weights: read from the cache once filled; the first call to find it empty
  // fills it; any other call packs into its own workspace.
  const bool cacheReady = cache && cache->ready();
  const bool fillsCache = cache && !cacheReady && cache->claimFill(spec);
  const bool cached = cacheReady || fillsCache;

  DirectionScratch scratch[2];
  float* cursor = workspace;
  for (int64_t d = 0; d < D; ++d) {
    scratch[d].carve(cursor, spec, layout, cached);
    cursor += DirectionScratch::floatsNeeded(spec, layout, cached);
  }
  float* innerOutputs[2] = {cursor, cursor + innerFloats};
  const RecurrencePlan plan = planRecurrence(spec, layout, threads, team, tuning);
  const std::vector<int64_t> projectionRows = evenSplit(layout.totalRows(), threads);

  const float* layerInput = buffers.input;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    const bool last = layer == spec.numLayers - 1;
    float* layerOutput = last ? buffers.output : innerOutputs[layer % 2];
    DirectionIO io[2];
    const DirectionWeights* layerWeights = weights + layer * D;
    for (int64_t d = 0; d < D; ++d) {
      const int64_t stateIndex = layer * D + d;
      io[d].layerInput = layerInput;
      io[d].layerInputSize = spec.layerInputSize(layer);
      io[d].layerOutput = layerOutput;
      io[d].outputRowStride = rowWidth;
      io[d].outputColumn = d * hOut;
      io[d].h0 = buffers.h0 ? buffers.h0 + stateIndex * N * hOut : nullptr;
      io[d].c0 = buffers.c0 ? buffers.c0 + stateIndex * N * H : nullptr;
      io[d].hN = buffers.hN + stateIndex * N * hOut;
      io[d].cN = buffers.cN ? buffers.cN + stateIndex * N * H : nullptr;
      io[d].reverse = d == 1;
      prepareState(spec, layerWeights[d], io[d], N, scratch[d]);
    }

    // Pack this layer's weights for the kernels (unless the cache has them), a share of
    // the gates per worker; then the input projection of every row: one GEMM per
    // direction, split by rows.
    PackTargets packTargets[2];
    bool packs = false;
    for (int64_t d = 0; d < D; ++d) {
      if (cached) {
        float* hidden = cache->hiddenRegion(spec, layer, d);
        float* input = cache->inputRegion(spec, layer, d);
        float* stored = cache->storedHiddenRegion(spec, layer, d);
        scratch[d].useCachedWeights(spec, layout, hidden, input, stored);
        if (fillsCache) packTargets[d] = PackTargets{hidden, input, stored};
      } else {
        packTargets[d] = scratch[d].ownPacking;
      }
      packs = packs || packTargets[d].hidden || packTargets[d].input;
    }
    const std::vector<int64_t> packedGates = evenSplit(spec.gates() * D, threads);
    if (packs) {
      runOnTeam(team, threads, [&](int worker) {
        for (int64_t index = packedGates[worker]; index < packedGates[worker + 1]; ++index) {
          const int64_t d = index / spec.gates();
          const int64_t gate = index % spec.gates();
          packLayerWeights(spec, layerWeights[d], spec.layerInputSize(layer), packTargets[d], gate, gate + 1);
        }
      });
    }
    for (int64_t d = 0; d < D && cached; ++d) {
      if (fillsCache) {
        cache->setHiddenWeightsFinite(spec, layer, d, allFinite(layerWeights[d].hiddenWeights, spec.gateWidth() * hOut));
      }
      scratch[d].hiddenWeightsFinite = cache->hiddenWeightsFinite(spec, layer, d);
    }
    runOnTeam(team, threads, [&](int worker) {
      for (int64_t d = 0; d < D; ++d) {
        projectInputs(spec, layerWeights[d], layout, io[d], projectionRows[worker], projectionRows[worker + 1], scratch[d]);
      }
    });

    // The recurrence: both directions at once when the plan says so, else one after the other.
    const int parts = static_cast<int>(plan.slices.size());
    if (plan.directionsTogether) {
      runOnTeam(team, plan.workers, [&](int worker) {
        const int d = worker % 2;
        runRecurrence(spec, layerWeights[d], layout, io[d], scratch[d], plan.slices[worker / 2]);
      });
    } else {
      for (int64_t d = 0; d < D; ++d) {
        runOnTeam(team, parts, [&](int worker) {
          runRecurrence(spec, layerWeights[d], layout, io[d], scratch[d], plan.slices[worker]);
        });
      }
    }
    for (int64_t d = 0; d < D; ++d) storeFinalState(spec, layout, io[d], scratch[d]);

    if (!last && buffers.dropoutMasks) {
      const int64_t count = layout.totalRows() * rowWidth;
      applyDropout(layerOutput, buffers.dropoutMasks + layer * count, count);
    }
    layerInput = layerOutput;
  }
  if (fillsCache) cache->finishFill();
}

}  // namespace rnnblas
