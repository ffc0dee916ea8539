#include "forward_job.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>

#include "argument_reader.h"
#include "packed_weights_handle.h"

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

// Checks a packed layout's batch sizes (already read from JavaScript) and copies them.
SequenceLayout packedLayout(Napi::Env env, const int32_t* batchSizes, int64_t steps, int64_t batch,
                            int64_t& totalRows) {
  // A packed batch must shrink monotonically from `batch`: rowOf() relies on it.
  totalRows = 0;
  for (int64_t t = 0; t < steps; ++t) {
    const int64_t size = batchSizes[t];
    const int64_t previous = t == 0 ? batch : batchSizes[t - 1];
    if (size < 1 || size > previous || (t == 0 && size != batch)) {
      throw Napi::RangeError::New(env, "rnn-blas native: batchSizes must be positive, start at batch and never grow");
    }
    totalRows += size;  // at most steps * batch < 2^62
  }
  requireProduct(env, {totalRows}, "sum(batchSizes)");
  return SequenceLayout::packed(batchSizes, steps);
}

// Bytes of memory the machine can still give, or -1 when unknown. Linux: MemAvailable.
int64_t availableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    int64_t kib = -1;
    return fields >> kib ? checkedProduct(kib, 1024) : -1;
  }
  return -1;
}

// Workspaces up to this size are allocated without asking how much memory is left.
constexpr int64_t kWorkspaceCheckedAboveBytes = int64_t{256} << 20;

}  // namespace

ForwardJob ForwardJob::fromCall(Napi::Env env, Napi::Object call) {
  ArgumentReader reader(env, call);
  ForwardJob job;
  RecurrentSpec& spec = job.spec_;

  // 1. Read every field. Reads may run JavaScript (getters); nothing is trusted yet.
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
  const int64_t steps = reader.integer("steps", 1, kMaxDim);
  const int64_t batch = reader.integer("batch", 1, kMaxDim);
  const bool batchFirst = reader.boolean("batchFirst");
  const int64_t perDirection = 2 + (spec.hasBias ? 2 : 0) + (spec.projSize > 0 ? 1 : 0);
  const std::vector<Napi::Value> weights =
      reader.elements("weights", static_cast<uint32_t>(spec.numLayers * spec.numDirections * perDirection));
  const Napi::Value batchSizesValue = reader.value("batchSizes");
  const Napi::Value inputValue = reader.value("input");
  const Napi::Value outputValue = reader.value("output");
  const Napi::Value h0Value = reader.value("h0");
  const Napi::Value hNValue = reader.value("hN");
  const Napi::Value c0Value = reader.value("c0");
  const Napi::Value cNValue = reader.value("cN");
  const Napi::Value masksValue = reader.value("dropoutMasks");
  const Napi::Value packedWeightsValue = reader.value("packedWeights");
  const Napi::Value failInWorker = reader.value("failInWorker");
  job.failForTesting_ = failInWorker.IsBoolean() && failInWorker.As<Napi::Boolean>().Value();

  // 2. Check every buffer against the sizes and take its pointer. No JavaScript runs from
  // here on, so no buffer can be detached or shrunk under a pointer taken below.
  int64_t totalRows = 0;
  const int32_t* batchSizes = reader.optionalIntsFrom(batchSizesValue, "batchSizes", steps);
  if (batchSizes) {
    job.layout_ = packedLayout(env, batchSizes, steps, batch, totalRows);
  } else {
    totalRows = requireProduct(env, {steps, batch}, "steps x batch");
    job.layout_ = SequenceLayout::padded(steps, batch, batchFirst);
  }
  const int64_t N = job.layout_.batch();
  const int64_t D = spec.numDirections;
  const int64_t H = spec.hiddenSize;
  const int64_t hOut = spec.outputSize();
  const int64_t G = spec.gateWidth();
  requireProduct(env, {totalRows, G}, "the input projection");
  const int64_t outputFloats = requireProduct(env, {totalRows, D, hOut}, "the output");
  BufferSet buffersOfCall;

  // Weights, in torch's named_parameters order per layer and direction.
  job.weights_.resize(spec.numLayers * D);
  job.weightSizes_.resize(spec.numLayers * D);
  size_t next = 0;
  for (int64_t layer = 0; layer < spec.numLayers; ++layer) {
    for (int64_t d = 0; d < D; ++d) {
      DirectionWeights& w = job.weights_[layer * D + d];
      WeightSizes& sizes = job.weightSizes_[layer * D + d];
      const std::string suffix = "_l" + std::to_string(layer) + (d == 1 ? "_reverse" : "");
      sizes.input = requireProduct(env, {G, spec.layerInputSize(layer)}, "weight_ih");
      sizes.hidden = requireProduct(env, {G, hOut}, "weight_hh");
      w.inputWeights = reader.floatsFrom(weights[next++], "weight_ih" + suffix, sizes.input);
      w.hiddenWeights = reader.floatsFrom(weights[next++], "weight_hh" + suffix, sizes.hidden);
      buffersOfCall.read(w.inputWeights, sizes.input);
      buffersOfCall.read(w.hiddenWeights, sizes.hidden);
      if (spec.hasBias) {
        sizes.inputBias = sizes.hiddenBias = G;
        w.inputBias = reader.floatsFrom(weights[next++], "bias_ih" + suffix, G);
        w.hiddenBias = reader.floatsFrom(weights[next++], "bias_hh" + suffix, G);
        buffersOfCall.read(w.inputBias, G);
        buffersOfCall.read(w.hiddenBias, G);
      }
      if (spec.projSize > 0) {
        sizes.projection = requireProduct(env, {hOut, H}, "weight_hr");
        w.projectionWeights = reader.floatsFrom(weights[next++], "weight_hr" + suffix, sizes.projection);
        buffersOfCall.read(w.projectionWeights, sizes.projection);
      }
    }
  }

  const int64_t stateRows = requireProduct(env, {spec.numLayers, D, N}, "the state");
  const int64_t hiddenStateFloats = requireProduct(env, {stateRows, hOut}, "h0");
  const int64_t cellStateFloats = requireProduct(env, {stateRows, H}, "c0");
  const bool lstm = spec.kind == CellKind::Lstm;
  ForwardBuffers& buffers = job.buffers_;
  job.inputFloats_ = requireProduct(env, {totalRows, spec.inputSize}, "input");
  buffers.input = reader.floatsFrom(inputValue, "input", job.inputFloats_);
  buffers.output = reader.floatsFrom(outputValue, "output", outputFloats);
  buffers.h0 = reader.floatsFrom(h0Value, "h0", hiddenStateFloats, true);
  job.h0Floats_ = buffers.h0 ? hiddenStateFloats : 0;
  buffers.hN = reader.floatsFrom(hNValue, "hN", hiddenStateFloats);
  buffersOfCall.read(buffers.input, job.inputFloats_);
  buffersOfCall.written(buffers.output, outputFloats);
  buffersOfCall.read(buffers.h0, job.h0Floats_);
  buffersOfCall.written(buffers.hN, hiddenStateFloats);
  if (lstm) {
    buffers.c0 = reader.floatsFrom(c0Value, "c0", cellStateFloats, true);
    job.c0Floats_ = buffers.c0 ? cellStateFloats : 0;
    buffers.cN = reader.floatsFrom(cNValue, "cN", cellStateFloats);
    buffersOfCall.read(buffers.c0, job.c0Floats_);
    buffersOfCall.written(buffers.cN, cellStateFloats);
  }
  if (spec.numLayers > 1) {
    const int64_t maskFloats = requireProduct(env, {spec.numLayers - 1, totalRows, D, hOut}, "dropoutMasks");
    buffers.dropoutMasks = reader.floatsFrom(masksValue, "dropoutMasks", maskFloats, true);
    job.maskFloats_ = buffers.dropoutMasks ? maskFloats : 0;
    buffersOfCall.read(buffers.dropoutMasks, job.maskFloats_);
  }
  buffersOfCall.requireNoOverlap(env);

  job.packedWeights_ = packedWeightsFrom(env, packedWeightsValue);
  if (job.packedWeights_ && !job.packedWeights_->cache->matchesOrAdopts(spec)) {
    throw Napi::RangeError::New(env, "rnn-blas native: packedWeights were made for a module of another shape");
  }
  // Filled caches stay filled: such a call never packs, and needs no room to.
  const bool cachedWeights = job.cacheFilled();
  job.workspaceFloats_ = forwardWorkspaceFloats(spec, job.layout_, cachedWeights);
  if (job.workspaceFloats_ < 0 || job.workspaceFloats_ > kMaxWorkspaceBytes / int64_t{sizeof(float)}) {
    throw Napi::RangeError::New(env, "rnn-blas: this call needs more than " +
                                         std::to_string(kMaxWorkspaceBytes >> 30) +
                                         " GiB of workspace; split the batch or the sequence");
  }
  // A workspace the machine does not have would be granted by the kernel's overcommit and
  // kill the process once touched: refuse it while a RangeError can still say why.
  const int64_t workspaceBytes = job.workspaceFloats_ * int64_t{sizeof(float)};
  if (workspaceBytes > kWorkspaceCheckedAboveBytes) {
    const int64_t available = availableMemoryBytes();
    if (available >= 0 && workspaceBytes > available) {
      throw Napi::RangeError::New(env, "rnn-blas: this call needs " + std::to_string(workspaceBytes >> 20) +
                                           " MiB of workspace, more than the " + std::to_string(available >> 20) +
                                           " MiB of memory available; split the batch or the sequence");
    }
  }
  return job;
}

void ForwardJob::snapshotInputs() {
  // What a filled cache makes unread is not copied: its pointers are cleared instead, so
  // that nothing can reach the caller's arrays once this returns.
  const StoredWeightsRead read = storedWeightsRead(spec_, layout_, cacheFilled());
  for (size_t i = 0; i < weights_.size(); ++i) {
    if (!read.hidden) {
      weights_[i].hiddenWeights = nullptr;
      weightSizes_[i].hidden = 0;
    }
    if (!read.input) {
      weights_[i].inputWeights = nullptr;
      weightSizes_[i].input = 0;
    }
  }
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

void ForwardJob::run(ThreadTeam* team, int threads, const SplitTuning& tuning, WorkspacePool& workspaces) {
  if (failForTesting_) throw std::runtime_error("rnn-blas: simulated failure inside the native computation");
  WorkspacePool::Lease workspace = workspaces.acquire(workspaceFloats_);
  recurrentForward(spec_, weights_.data(), layout_, buffers_, workspace.data(), team, threads, tuning,
                   packedWeights_ ? packedWeights_->cache.get() : nullptr);
}

void ForwardJob::reportMemory(Napi::Env env) { reportPackedWeightsMemory(env, packedWeights_.get()); }

}  // namespace rnnblas::binding
