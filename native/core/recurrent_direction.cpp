#include "recurrent_direction.h"

#include <cblas.h>

#include <algorithm>
#include <cstring>

#include "gate_math.h"

namespace rnnblas {

int64_t DirectionScratch::floatsNeeded(const RecurrentSpec& spec, const SequenceLayout& layout) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t N = layout.batch();
  return layout.totalRows() * G + N * G + N * spec.outputSize() + 2 * N * H + G + H;
}

void DirectionScratch::carve(float* base, const RecurrentSpec& spec, const SequenceLayout& layout) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t N = layout.batch();
  inputGates = base;
  hiddenGates = inputGates + layout.totalRows() * G;
  hidden = hiddenGates + N * G;
  cell = hidden + N * spec.outputSize();
  preProjection = cell + N * H;
  combinedBias = preProjection + N * H;
  hiddenNewBias = combinedBias + G;
}

void projectInputs(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                   int64_t totalRows, DirectionScratch& scratch) {
  const int64_t G = spec.gateWidth();
  const int64_t K = io.layerInputSize;
  if (totalRows == 0) return;
  if (K == 0) {  // BLAS leaves C untouched for an empty inner dimension on some builds
    std::memset(scratch.inputGates, 0, sizeof(float) * totalRows * G);
    return;
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, totalRows, G, K, 1.0f, io.layerInput, K,
              weights.inputWeights, K, 0.0f, scratch.inputGates, G);
}

void prepareState(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                  int64_t batch, DirectionScratch& scratch) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t hiddenFloats = batch * spec.outputSize();
  if (io.h0) {
    std::memcpy(scratch.hidden, io.h0, sizeof(float) * hiddenFloats);
  } else {
    std::memset(scratch.hidden, 0, sizeof(float) * hiddenFloats);
  }
  if (spec.kind == CellKind::Lstm) {
    if (io.c0) {
      std::memcpy(scratch.cell, io.c0, sizeof(float) * batch * H);
    } else {
      std::memset(scratch.cell, 0, sizeof(float) * batch * H);
    }
  }
  // Biases are added in the fused gate pass rather than pre-filled into the input
  // projection: that saves a full write pass over totalRows x gates*H floats.
  std::memset(scratch.combinedBias, 0, sizeof(float) * G);
  std::memset(scratch.hiddenNewBias, 0, sizeof(float) * H);
  if (!spec.hasBias) return;
  const bool isGru = spec.kind == CellKind::Gru;
  for (int64_t j = 0; j < G; ++j) {
    const bool gruNewGate = isGru && j >= 2 * H;
    scratch.combinedBias[j] = weights.inputBias[j] + (gruNewGate ? 0.0f : weights.hiddenBias[j]);
  }
  if (isGru) std::memcpy(scratch.hiddenNewBias, weights.hiddenBias + 2 * H, sizeof(float) * H);
}

void runRecurrence(const RecurrentSpec& spec, const DirectionWeights& weights,
                   const SequenceLayout& layout, const DirectionIO& io, DirectionScratch& scratch,
                   int64_t batchBegin, int64_t batchEnd) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  const bool projected = spec.projSize > 0;
  const int64_t steps = layout.steps();

  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = io.reverse ? steps - 1 - s : s;
    // Packed batches shrink over time: only entries below activeRows(t) take this step.
    const int64_t rowsEnd = std::min(batchEnd, layout.activeRows(t));
    const int64_t rows = rowsEnd - batchBegin;
    if (rows <= 0) continue;

    float* hidden = scratch.hidden + batchBegin * hOut;
    float* hiddenGates = scratch.hiddenGates + batchBegin * G;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, G, hOut, 1.0f, hidden, hOut,
                weights.hiddenWeights, hOut, 0.0f, hiddenGates, G);

    for (int64_t b = batchBegin; b < rowsEnd; ++b) {
      const float* inputGates = scratch.inputGates + layout.rowOf(t, b) * G;
      const float* stepGates = scratch.hiddenGates + b * G;
      float* h = scratch.hidden + b * hOut;
      switch (spec.kind) {
        case CellKind::RnnTanh: rnnTanhRow(inputGates, stepGates, scratch.combinedBias, h, H); break;
        case CellKind::RnnRelu: rnnReluRow(inputGates, stepGates, scratch.combinedBias, h, H); break;
        case CellKind::Gru:
          gruRow(inputGates, stepGates, scratch.combinedBias, scratch.hiddenNewBias, h, H);
          break;
        case CellKind::Lstm:
          lstmRow(inputGates, stepGates, scratch.combinedBias, scratch.cell + b * H,
                  projected ? scratch.preProjection + b * H : h, H);
          break;
      }
    }

    if (projected) {  // h = (o * tanh(c)) W_hr^T for the whole step at once
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, hOut, H, 1.0f,
                  scratch.preProjection + batchBegin * H, H, weights.projectionWeights, H, 0.0f,
                  hidden, hOut);
    }
    for (int64_t b = batchBegin; b < rowsEnd; ++b) {
      float* outputRow = io.layerOutput + layout.rowOf(t, b) * io.outputRowStride + io.outputColumn;
      std::memcpy(outputRow, scratch.hidden + b * hOut, sizeof(float) * hOut);
    }
  }
}

void storeFinalState(const RecurrentSpec& spec, const DirectionIO& io, const DirectionScratch& scratch,
                     int64_t batchBegin, int64_t batchEnd) {
  const int64_t hOut = spec.outputSize();
  const int64_t H = spec.hiddenSize;
  const int64_t count = batchEnd - batchBegin;
  std::memcpy(io.hN + batchBegin * hOut, scratch.hidden + batchBegin * hOut, sizeof(float) * count * hOut);
  if (io.cN) std::memcpy(io.cN + batchBegin * H, scratch.cell + batchBegin * H, sizeof(float) * count * H);
}

}  // namespace rnnblas
