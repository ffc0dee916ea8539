#include "forward_job.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <new>
#include <stdexcept>
#include <string>

#include "argument_reader.h"

namespace rnnblas::binding {

namespace {

// BLAS dimensions are 32-bit ints in the LP64 OpenBLAS the addon links.
constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();

int64_t requireProduct(Napi::Env env, std::initializer_list<int64_t> factors, const char* what) {
  int64_t product = 1;
  for (int64_t factor : factors) {
    product = checkedProduct(product, factor);
    if (product < 0 || product > kMaxDim * int64_t{64}) {
      throw Napi::RangeError::New(env, std::string("rnn-blas native: ") + what + " is too large");
    }
  }
  return product;
}

SequenceLayout readLayout(Napi::Env env, const ArgumentReader& reader, int64_t& totalRows) {
  const int64_t steps = reader.integer("steps", 1, kMaxDim);
  const int64_t batch = reader.integer("batch", 1, kMaxDim);
  const bool batchFirst = reader.boolean("batchFirst");
  const int32_t* batchSizes = reader.optionalInts("batchSizes", steps);
  if (!batchSizes) {
    totalRows = requireProduct(env, {steps, batch}, "steps x batch");
    return SequenceLayout::padded(steps, batch, batchFirst);
  }
  // A packed batch must shrink monotonically from `batch`: rowOf() relies on it.
  totalRows = 0;
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t size = batchSizes[t];
    const int64_t previous = t == 0 ? batch : batchSizes[t - 1];
    if (size < 1 || size > previous || (t == 0 && size != batch)) {
      throw Napi::RangeError::New(env, "rnn-blas native: batchSizes must be positive, start at batch and never grow");
    }
    totalRows += size;
  }
  return SequenceLayout::packed(batchSizes, steps);
}

}  // namespace

ForwardJob ForwardJob::fromCall(Napi::Env env, Napi::Object call) {
  ArgumentReader reader(env, call);
  ForwardJob job;
  RecurrentSpec& spec = job.spec_;
  spec.kind = static_cast<CellKind>(reader.integer("kind", 0, 3));
  spec.inputSize = reader.integer("inputSize", 0, kMaxDim);
  spec.hiddenSize = reader.integer("hiddenSize", 1, kMaxDim / 4);
  spec.projSize = reader.integer("projSize", 0, spec.hiddenSize - 1);
  if (spec.projSize > 0 && spec.kind != CellKind::Lstm) {
    throw Napi::RangeError::New(env, "rnn-blas native: projSize is for LSTM only");
  }
  spec.numLayers = reader.integer("numLayers", 1, 1 << 16);
  spec.numDirections = reader.boolean("bidirectional") ? 2 : 1;
  spec.hasBias = reader.boolean("bias");

  int64_t totalRows = 0;
  job.layout_ = readLayout(env, reader, totalRows);
  const int64_t N = job.layout_.batch();
  const int64_t D = spec.numDirections;
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  const int64_t G = spec.gateWidth();
  requireProduct(env, {totalRows, G}, "the input projection");
  requireProduct(env, {totalRows, D, hOut}, "the output");

  // Weights, in torch's named_parameters order per layer and direction.
  const int64_t perDirection = 2 + (spec.hasBias ? 2 : 0) + (spec.projSize > 0 ? 1 : 0);
  Napi::Array weights = reader.array("weights", static_cast<uint32_t>(spec.numLayers * D * perDirection));
  job.weights_.resize(spec.numLayers * D);
  job.weightSizes_.resize(spec.numLayers * D);
  uint32_t next = 0;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    for (int64_t d = 0; d < D; ++d) {
      DirectionWeights& w = job.weights_[layer * D + d];
      WeightSizes& sizes = job.weightSizes_[layer * D + d];
      const std::string suffix = "_l" + std::to_string(layer) + (d == 1 ? "_reverse" : "");
      sizes.input = requireProduct(env, {G, spec.layerInputSize(layer)}, "weight_ih");
      sizes.hidden = G * hOut;
      w.inputWeights = reader.floatsFrom(weights[next++], "weight_ih" + suffix, sizes.input);
      w.hiddenWeights = reader.floatsFrom(weights[next++], "weight_hh" + suffix, sizes.hidden);
      if (spec.hasBias) {
        sizes.inputBias = sizes.hiddenBias = G;
        w.inputBias = reader.floatsFrom(weights[next++], "bias_ih" + suffix, G);
        w.hiddenBias = reader.floatsFrom(weights[next++], "bias_hh" + suffix, G);
      }
      if (spec.projSize > 0) {
        sizes.projection = hOut * H;
        w.projectionWeights = reader.floatsFrom(weights[next++], "weight_hr" + suffix, sizes.projection);
      }
    }
  }

  const int64_t stateRows = requireProduct(env, {spec.numLayers, D, N}, "the state");
  const bool lstm = spec.kind == CellKind::Lstm;
  ForwardBuffers& buffers = job.buffers_;
  job.inputFloats_ = requireProduct(env, {totalRows, spec.inputSize}, "input");
  buffers.input = reader.floats("input", job.inputFloats_);
  buffers.output = reader.floats("output", totalRows * D * hOut);
  buffers.h0 = reader.floats("h0", stateRows * hOut, true);
  job.h0Floats_ = buffers.h0 ? stateRows * hOut : 0;
  buffers.hN = reader.floats("hN", stateRows * hOut);
  if (lstm) {
    buffers.c0 = reader.floats("c0", requireProduct(env, {stateRows, H}, "c0"), true);
    job.c0Floats_ = buffers.c0 ? stateRows * H : 0;
    buffers.cN = reader.floats("cN", stateRows * H);
  }
  if (spec.numLayers > 1) {
    const int64_t maskFloats = requireProduct(env, {spec.numLayers - 1, totalRows, D * hOut}, "dropoutMasks");
    buffers.dropoutMasks = reader.floats("dropoutMasks", maskFloats, true);
    job.maskFloats_ = buffers.dropoutMasks ? maskFloats : 0;
  }

  const Napi::Value failInWorker = call.Get("failInWorker");
  job.failForTesting_ = failInWorker.IsBoolean() && failInWorker.As<Napi::Boolean>().Value();

  job.workspaceFloats_ = forwardWorkspaceFloats(spec, job.layout_);
  if (job.workspaceFloats_ < 0 || job.workspaceFloats_ > kMaxWorkspaceBytes / int64_t{sizeof(float)}) {
    throw Napi::RangeError::New(env, "rnn-blas: this call needs more than " +
                                         std::to_string(kMaxWorkspaceBytes >> 30) +
                                         " GiB of workspace; split the batch or the sequence");
  }
  return job;
}

void ForwardJob::snapshotInputs() {
  int64_t total = inputFloats_ + h0Floats_ + c0Floats_ + maskFloats_;
  for (const WeightSizes& sizes : weightSizes_) {
    total += sizes.input + sizes.hidden + sizes.inputBias + sizes.hiddenBias + sizes.projection;
  }
  snapshot_.resize(static_cast<size_t>(total));
  float* cursor = snapshot_.data();
  auto keep = [&cursor](const float*& source, int64_t floats) {
    if (!source || floats == 0) return;
    std::copy(source, source + floats, cursor);
    source = cursor;
    cursor += floats;
  };
  for (size_t i = 0; i < weights_.size(); ++i) {
    keep(weights_[i].inputWeights, weightSizes_[i].input);
    keep(weights_[i].hiddenWeights, weightSizes_[i].hidden);
    keep(weights_[i].inputBias, weightSizes_[i].inputBias);
    keep(weights_[i].hiddenBias, weightSizes_[i].hiddenBias);
    keep(weights_[i].projectionWeights, weightSizes_[i].projection);
  }
  keep(buffers_.input, inputFloats_);
  keep(buffers_.h0, h0Floats_);
  keep(buffers_.c0, c0Floats_);
  keep(buffers_.dropoutMasks, maskFloats_);
}

void ForwardJob::run(ThreadTeam* team, int threads, const SplitTuning& tuning) {
  if (failForTesting_) throw std::runtime_error("rnn-blas: simulated failure inside the native computation");
  std::unique_ptr<float[]> workspace(new float[static_cast<size_t>(workspaceFloats_)]);
  recurrentForward(spec_, weights_.data(), layout_, buffers_, workspace.get(), team, threads, tuning);
}

}  // namespace rnnblas::binding
