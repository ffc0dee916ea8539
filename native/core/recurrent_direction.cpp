#include "recurrent_direction.h"

#include <algorithm>
#include <cstring>

#include "blas_ops.h"
#include "kernel_table.h"
#include "gate_math.h"
#include "matrix_vector.h"
#include "thread_team.h"

namespace rnnblas {

bool DirectionScratch::packsWeights(const RecurrentSpec&, const SequenceLayout& layout, bool cached) {
  const int64_t batch = layout.batch();
  const bool enoughRows = cached || batch * layout.steps() >= kMinRowsForPacking;
  return batch > kMaxBatchOnStoredWeights && enoughRows && kernels().hasPackedKernels();
}

int64_t DirectionScratch::widestLayerInput(const RecurrentSpec& spec) {
  return spec.numLayers > 1 ? std::max(spec.inputSize, spec.numDirections * spec.outputSize()) : spec.inputSize;
}

bool DirectionScratch::inputWeightsPackable(const RecurrentSpec& spec, bool cached) {
  const int64_t widest = widestLayerInput(spec);
  return widest >= 1 && (cached || widest <= kWidestPackedPerCall) && kernels().hasPackedKernels();
}

bool DirectionScratch::packsInputWeights(const RecurrentSpec& spec, const SequenceLayout& layout, bool cached) {
  const int64_t storedRows = cached ? kMaxBatchOnStoredWeights : kMaxRowsOnStoredWeights;
  return inputWeightsPackable(spec, cached) && layout.totalRows() > storedRows;
}

// Rows a multiple of kAliasingRowFloats wide get a cache line of padding (kernel_tuning.h).
int64_t DirectionScratch::rowStride(int64_t width) {
  return width % kAliasingRowFloats == 0 ? width + kFloatsPerCacheLine : width;
}

int64_t DirectionScratch::floatsNeeded(const RecurrentSpec& spec, const SequenceLayout& layout, bool cached) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t N = layout.batch();
  const bool packs = !cached && packsWeights(spec, layout, false);
  const bool packsInput = !cached && packsInputWeights(spec, layout, false);
  const int64_t packed = packs ? PackedWeights::floatsNeeded(spec.gates(), H, spec.outputSize()) : 0;
  const int64_t packedInput = packsInput ? PackedWeights::floatsNeeded(spec.gates(), H, widestLayerInput(spec)) : 0;
  return (layout.totalRows() + N) * rowStride(G) + 2 * N * spec.outputSize() + 2 * N * H + G + H + packed + packedInput;
}

void DirectionScratch::carve(float* base, const RecurrentSpec& spec, const SequenceLayout& layout, bool cached) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t N = layout.batch();
  inputGates = base;
  gatesStride = rowStride(G);
  hiddenGates = inputGates + layout.totalRows() * gatesStride;
  hidden[0] = hiddenGates + N * gatesStride;
  hidden[1] = hidden[0] + N * spec.outputSize();
  cell = hidden[1] + N * spec.outputSize();
  preProjection = cell + N * H;
  combinedBias = preProjection + N * H;
  hiddenNewBias = combinedBias + G;
  float* next = hiddenNewBias + H;
  ownPacking = PackTargets{};
  if (!cached && packsWeights(spec, layout, false)) {
    ownPacking.hidden = next;
    next += PackedWeights::floatsNeeded(spec.gates(), H, spec.outputSize());
  }
  if (!cached && packsInputWeights(spec, layout, false)) ownPacking.input = next;
  hiddenWeightsFinite = false;
  storedHidden = nullptr;
  packedStorage = ownPacking.hidden;
  packedHidden = PackedWeights::over(packedStorage, spec.gates(), H, spec.outputSize());
  packedInputStorage = ownPacking.input;
}

void DirectionScratch::useCachedWeights(const RecurrentSpec& spec, const SequenceLayout& layout, const float* hidden,
                                        const float* input, const float* stored) {
  storedHidden = stored;
  packedStorage = packsWeights(spec, layout, true) ? hidden : nullptr;
  packedHidden = PackedWeights::over(packedStorage, spec.gates(), spec.hiddenSize, spec.outputSize());
  packedInputStorage = packsInputWeights(spec, layout, true) ? input : nullptr;
}

void packLayerWeights(const RecurrentSpec& spec, const DirectionWeights& weights, int64_t layerInputSize,
                      const PackTargets& targets, int64_t gateBegin, int64_t gateEnd) {
  const int64_t H = spec.hiddenSize;
  if (targets.hidden) packGates(weights.hiddenWeights, H, spec.outputSize(), gateBegin, gateEnd, targets.hidden);
  if (targets.storedHidden) {
    const int64_t first = gateBegin * H * spec.outputSize();
    std::copy(weights.hiddenWeights + first, weights.hiddenWeights + gateEnd * H * spec.outputSize(),
              targets.storedHidden + first);
  }
  if (targets.input && layerInputSize > 0) {
    packGates(weights.inputWeights, H, layerInputSize, gateBegin, gateEnd, targets.input);
  }
}

void projectInputs(const RecurrentSpec& spec, const DirectionWeights& weights, const SequenceLayout& layout,
                   const DirectionIO& io, int64_t rowBegin, int64_t rowEnd, DirectionScratch& scratch) {
  const int64_t G = spec.gateWidth();
  const int64_t K = io.layerInputSize;
  const int64_t rows = rowEnd - rowBegin;
  if (rows <= 0) return;
  const int64_t ldc = scratch.gatesStride;
  float* out = scratch.inputGates + rowBegin * ldc;
  // The biases (b_ih + b_hh; GRU's n gate: b_in) are folded into the projection, so the
  // step's gate pass reads two operands per gate, not three.
  if (scratch.packedInputStorage && K > 0) {
    const PackedWeights packed = PackedWeights::over(scratch.packedInputStorage, spec.gates(), spec.hiddenSize, K);
    multiplyPacked(io.layerInput + rowBegin * K, K, rows, packed, 0, spec.hiddenSize, out, ldc, scratch.combinedBias);
    return;
  }
  if (K > 0 && layout.totalRows() <= kMaxRowsOnStoredWeights) {
    matrixTimesRows(weights.inputWeights, K, 0, G, io.layerInput + rowBegin * K, K, rows, out, ldc, false);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t j = 0; j < G; ++j) out[r * ldc + j] += scratch.combinedBias[j];
    }
    return;
  }
  for (int64_t r = 0; r < rows; ++r) std::memcpy(out + r * ldc, scratch.combinedBias, sizeof(float) * G);
  if (K == 0) return;  // nothing to add to the bias
  multiplyTransposed(rows, G, K, io.layerInput + rowBegin * K, K, weights.inputWeights, K, out, ldc, 1.0f);
}

void prepareState(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionIO& io,
                  int64_t batch, DirectionScratch& scratch) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t hiddenFloats = batch * spec.outputSize();
  // Both buffers start as h0: an entry that joins late (the reverse pass of a packed
  // batch) reads its h0 from whichever buffer its first step reads.
  for (float* hidden : scratch.hidden) {
    if (io.h0) {
      std::memcpy(hidden, io.h0, sizeof(float) * hiddenFloats);
    } else {
      std::memset(hidden, 0, sizeof(float) * hiddenFloats);
    }
  }
  if (spec.kind == CellKind::Lstm) {
    if (io.c0) {
      std::memcpy(scratch.cell, io.c0, sizeof(float) * batch * H);
    } else {
      std::memset(scratch.cell, 0, sizeof(float) * batch * H);
    }
  }
  // The combined biases go into the input projection's results (see projectInputs).
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

namespace {

// Prefetches the slice's units of every gate of one row of the input projection.
inline void prefetchGates(const float* row, const WorkerSlice& slice, int64_t H, int64_t gates) {
  constexpr int64_t kFloatsPerLine = 16;
  for (int64_t g = 0; g < gates; ++g) {
    for (int64_t j = slice.unitBegin; j < slice.unitEnd; j += kFloatsPerLine) {
      __builtin_prefetch(row + g * H + j, 0, 3);
    }
  }
}

// Where a step's h W_hh^T goes: added into the step's rows of the input projection
// (`intoInputGates`, rows `stride` apart), or written to hiddenGates.
struct HiddenProductTarget {
  float* intoInputGates = nullptr;
  int64_t stride = 0;
};

// hiddenGates rows [batchBegin, +rows) = hPrev W_hh^T, for the slice's units of every gate,
// or that product added into the input gates (`target`, packed weights only). `step` is the
// step's index in this pass: W_hh as stored is read in alternating directions from step to
// step (see matrix_vector.h).
void projectHidden(const RecurrentSpec& spec, const DirectionWeights& weights, const DirectionScratch& scratch,
                   const float* hPrev, const WorkerSlice& slice, int64_t rows, int64_t step,
                   const HiddenProductTarget& target) {
  const int64_t G = spec.gateWidth();
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  const float* a = hPrev + slice.batchBegin * hOut;
  const int64_t ldc = scratch.gatesStride;
  float* c = scratch.hiddenGates + slice.batchBegin * ldc;
  if (scratch.packedStorage) {
    const bool adds = target.intoInputGates != nullptr;
    multiplyPacked(a, hOut, rows, scratch.packedHidden, slice.unitBegin, slice.unitEnd,
                   adds ? target.intoInputGates : c, adds ? target.stride : ldc, nullptr, adds);
    return;
  }
  if (kernels().eightRows) {  // W_hh as stored, on the table's kernels (see packsWeights)
    const bool backward = step % 2 == 1;
    const float* stored = scratch.storedHidden ? scratch.storedHidden : weights.hiddenWeights;
    for (int64_t visit = 0; visit < spec.gates(); ++visit) {
      const int64_t gate = backward ? spec.gates() - 1 - visit : visit;
      matrixTimesRows(stored, hOut, gate * H + slice.unitBegin, gate * H + slice.unitEnd, a, hOut, rows,
                      c, ldc, backward);
    }
    return;
  }
  if (slice.unitBegin == 0 && slice.unitEnd == H) {
    multiplyTransposed(rows, G, hOut, a, hOut, weights.hiddenWeights, hOut, c, ldc);
    return;
  }
  const int64_t units = slice.unitEnd - slice.unitBegin;
  for (int64_t gate = 0; gate < spec.gates(); ++gate) {
    const int64_t firstRow = gate * H + slice.unitBegin;
    multiplyTransposed(rows, units, hOut, a, hOut, weights.hiddenWeights + firstRow * hOut, hOut, c + firstRow, ldc);
  }
}

// LSTM and the plain RNN on the packed kernel add h W_hh^T straight into the step's rows of
// the input projection: the gate pass then reads one buffer, not two, and the kernel's
// requests for C bring those rows from memory before the gate pass needs them. GRU keeps
// the product apart (its n gate scales it by r first), and so do the products on W as
// stored, which write whole rows of their own.
bool addsIntoInputGates(const RecurrentSpec& spec, const DirectionScratch& scratch) {
  return scratch.packedStorage && spec.kind != CellKind::Gru;
}

// hiddenGates = 0 for the slice's rows and units of every gate: the product of a zero state.
void zeroHiddenGates(const DirectionScratch& scratch, const WorkerSlice& slice, int64_t rows, int64_t H,
                     int64_t gates) {
  for (int64_t b = slice.batchBegin; b < slice.batchBegin + rows; ++b) {
    float* row = scratch.hiddenGates + b * scratch.gatesStride;
    for (int64_t g = 0; g < gates; ++g) {
      std::fill(row + g * H + slice.unitBegin, row + g * H + slice.unitEnd, 0.0f);
    }
  }
}

}  // namespace

void runRecurrence(const RecurrentSpec& spec, const DirectionWeights& weights,
                   const SequenceLayout& layout, const DirectionIO& io, DirectionScratch& scratch,
                   const WorkerSlice& slice) {
  const int64_t ldc = scratch.gatesStride;
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  const bool projected = spec.projSize > 0;
  const int64_t steps = layout.steps();
  const int64_t copyBegin = projected ? slice.projBegin : slice.unitBegin;
  const int64_t copyFloats = (projected ? slice.projEnd : slice.unitEnd) - copyBegin;

  const KernelTable& table = kernels();  // the gate pass, looked up once per call, not per row
  const bool summed = addsIntoInputGates(spec, scratch);
  const int64_t stepGatesStride = layout.entryStride() * ldc;  // between the entries of one step
  for (int64_t s = 0; s < steps; ++s) {
    const int64_t t = io.reverse ? steps - 1 - s : s;
    const float* hPrev = scratch.hidden[s % 2];
    float* hNext = scratch.hidden[(s + 1) % 2];
    // Packed batches shrink over time: only entries below activeRows(t) take this step.
    const int64_t rowsEnd = std::min(slice.batchEnd, layout.activeRows(t));
    const int64_t rows = rowsEnd - slice.batchBegin;

    if (rows > 0) {
      const bool zeroState = s == 0 && !io.h0 && scratch.hiddenWeightsFinite;  // W_hh 0 = 0: no product
      if (!zeroState) {
        const HiddenProductTarget target =
            summed ? HiddenProductTarget{scratch.inputGates + layout.rowOf(t, slice.batchBegin) * ldc, stepGatesStride}
                   : HiddenProductTarget{};
        projectHidden(spec, weights, scratch, hPrev, slice, rows, s, target);
      } else if (!summed) {
        zeroHiddenGates(scratch, slice, rows, H, spec.gates());  // summed: nothing to add
      }
      for (int64_t b = slice.batchBegin; b < rowsEnd; ++b) {
        // The input projection was written long before this step and sits in DRAM; fetch
        // the next row's gates while this row's math runs (the GEMM fetched them when summed).
        if (!summed && b + 1 < rowsEnd) {
          prefetchGates(scratch.inputGates + layout.rowOf(t, b + 1) * ldc, slice, H, spec.gates());
        }
        const GateRow row{scratch.inputGates + layout.rowOf(t, b) * ldc, summed ? nullptr : scratch.hiddenGates + b * ldc,
                          H, slice.unitBegin, slice.unitEnd};
        switch (spec.kind) {
          case CellKind::RnnTanh: table.rnnTanhRow(row, hNext + b * hOut); break;
          case CellKind::RnnRelu: table.rnnReluRow(row, hNext + b * hOut); break;
          case CellKind::Gru: table.gruRow(row, scratch.hiddenNewBias, hPrev + b * hOut, hNext + b * hOut); break;
          case CellKind::Lstm:
            table.lstmRow(row, scratch.cell + b * H, projected ? scratch.preProjection + b * H : hNext + b * hOut);
            break;
        }
      }
    }
    if (projected) {  // h' = (o * tanh(c)) W_hr^T needs every unit of the step
      if (slice.stepBarrier) slice.stepBarrier->barrier();
      if (rows > 0) {
        multiplyTransposed(rows, slice.projEnd - slice.projBegin, H, scratch.preProjection + slice.batchBegin * H, H,
                           weights.projectionWeights + slice.projBegin * H, H,
                           hNext + slice.batchBegin * hOut + slice.projBegin, hOut);
      }
    }
    for (int64_t b = slice.batchBegin; b < rowsEnd; ++b) {
      float* outputRow = io.layerOutput + layout.rowOf(t, b) * io.outputRowStride + io.outputColumn;
      std::memcpy(outputRow + copyBegin, hNext + b * hOut + copyBegin, sizeof(float) * copyFloats);
    }
    if (slice.stepBarrier) slice.stepBarrier->barrier();
  }
}

void storeFinalState(const RecurrentSpec& spec, const SequenceLayout& layout, const DirectionIO& io,
                     const DirectionScratch& scratch) {
  const int64_t hOut = spec.outputSize();
  const int64_t H = spec.hiddenSize;
  const int64_t N = layout.batch();
  // Step s writes hidden[(s + 1) % 2]. The forward pass ends entry b at step lengthOf(b)-1;
  // the reverse pass ends every entry at the last step, t = 0.
  for (int64_t b = 0; b < N; ++b) {
    const int64_t stepsTaken = io.reverse ? layout.steps() : layout.lengthOf(b);
    std::memcpy(io.hN + b * hOut, scratch.hidden[stepsTaken % 2] + b * hOut, sizeof(float) * hOut);
  }
  if (io.cN) std::memcpy(io.cN, scratch.cell, sizeof(float) * N * H);
}

}  // namespace rnnblas
