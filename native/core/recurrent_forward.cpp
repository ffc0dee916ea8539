#include "recurrent_forward.h"

#include <limits>

#include "recurrent_direction.h"

namespace rnnblas {

namespace {

// Two buffers for the outputs of inner layers: layer k reads one and writes the other.
int64_t innerOutputFloats(const RecurrentSpec& spec, const SequenceLayout& layout) {
  return spec.numLayers > 1 ? layout.totalRows() * spec.numDirections * spec.outputSize() : 0;
}

bool multiplyFits(int64_t a, int64_t b) {
  return a == 0 || b <= std::numeric_limits<int64_t>::max() / a;
}

void applyDropout(float* values, const float* mask, int64_t count) {
  for (int64_t i = 0; i < count; ++i) values[i] *= mask[i];
}

}  // namespace

int64_t forwardWorkspaceFloats(const RecurrentSpec& spec, const SequenceLayout& layout) {
  // Every factor is bounded by the binding's checks; guard the products anyway.
  const int64_t rowWidth = spec.numDirections * spec.outputSize();
  if (!multiplyFits(layout.totalRows(), spec.gateWidth()) || !multiplyFits(layout.totalRows(), rowWidth)) {
    return -1;
  }
  const int64_t perDirection = DirectionScratch::floatsNeeded(spec, layout);
  if (!multiplyFits(perDirection, spec.numDirections)) return -1;
  const int64_t directions = perDirection * spec.numDirections;
  const int64_t inner = innerOutputFloats(spec, layout);
  if (inner > (std::numeric_limits<int64_t>::max() - directions) / 2) return -1;
  return directions + 2 * inner;
}

void recurrentForward(const RecurrentSpec& spec, const DirectionWeights* weights,
                      const SequenceLayout& layout, const ForwardBuffers& buffers, float* workspace) {
  const int64_t D = spec.numDirections;
  const int64_t N = layout.batch();
  const int64_t hOut = spec.outputSize();
  const int64_t H = spec.hiddenSize;
  const int64_t rowWidth = D * hOut;
  const int64_t innerFloats = innerOutputFloats(spec, layout);

  DirectionScratch scratch[2];
  float* cursor = workspace;
  for (int64_t d = 0; d < D; ++d) {
    scratch[d].carve(cursor, spec, layout);
    cursor += DirectionScratch::floatsNeeded(spec, layout);
  }
  float* innerOutputs[2] = {cursor, cursor + innerFloats};

  const float* layerInput = buffers.input;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    const bool last = layer == spec.numLayers - 1;
    float* layerOutput = last ? buffers.output : innerOutputs[layer % 2];
    for (int64_t d = 0; d < D; ++d) {
      const int64_t stateIndex = layer * D + d;
      DirectionIO io;
      io.layerInput = layerInput;
      io.layerInputSize = spec.layerInputSize(layer);
      io.layerOutput = layerOutput;
      io.outputRowStride = rowWidth;
      io.outputColumn = d * hOut;
      io.h0 = buffers.h0 ? buffers.h0 + stateIndex * N * hOut : nullptr;
      io.c0 = buffers.c0 ? buffers.c0 + stateIndex * N * H : nullptr;
      io.hN = buffers.hN + stateIndex * N * hOut;
      io.cN = buffers.cN ? buffers.cN + stateIndex * N * H : nullptr;
      io.reverse = d == 1;

      const DirectionWeights& w = weights[stateIndex];
      projectInputs(spec, w, io, layout.totalRows(), scratch[d]);
      prepareState(spec, w, io, N, scratch[d]);
      runRecurrence(spec, w, layout, io, scratch[d], 0, N);
      storeFinalState(spec, io, scratch[d], 0, N);
    }
    if (!last && buffers.dropoutMasks) {
      const int64_t count = layout.totalRows() * rowWidth;
      applyDropout(layerOutput, buffers.dropoutMasks + layer * count, count);
    }
    layerInput = layerOutput;
  }
}

}  // namespace rnnblas
