// The fused gate pass of each cell over one batch row (gate_math.h has the contract),
// written once over a vector layer V. Whole vectors of units go through here; the last
// end % kLanes units through the scalar pass, which shares the contract (within 1e-6).
#pragma once
#include "../gate_math.h"
#include "activations.h"

namespace rnnblas::vectorized {

template <class V>
inline typename V::Reg gatePreactivation(const GateRow& row, int64_t offset) {
  if (!row.hiddenGates) return V::load(row.inputGates + offset);  // summed by the step's GEMM
  return V::add(V::load(row.inputGates + offset), V::load(row.hiddenGates + offset));
}

template <class V>
inline GateRow remainingUnits(const GateRow& row, int64_t begin) {
  GateRow rest = row;
  rest.begin = begin;
  return rest;
}

template <class V>
void rnnTanhRow(const GateRow& row, float* hNext) {
  int64_t j = row.begin;
  for (; j + V::kLanes <= row.end; j += V::kLanes) V::store(hNext + j, tanh<V>(gatePreactivation<V>(row, j)));
  rnnTanhRowScalar(remainingUnits<V>(row, j), hNext);
}

template <class V>
void rnnReluRow(const GateRow& row, float* hNext) {
  int64_t j = row.begin;
  for (; j + V::kLanes <= row.end; j += V::kLanes) V::store(hNext + j, relu<V>(gatePreactivation<V>(row, j)));
  rnnReluRowScalar(remainingUnits<V>(row, j), hNext);
}

template <class V>
void lstmRow(const GateRow& row, float* cell, float* hiddenOut) {
  const int64_t H = row.hiddenSize;
  int64_t j = row.begin;
  for (; j + V::kLanes <= row.end; j += V::kLanes) {
    const auto inputGate = sigmoid<V>(gatePreactivation<V>(row, j));
    const auto forgetGate = sigmoid<V>(gatePreactivation<V>(row, H + j));
    const auto cellGate = tanh<V>(gatePreactivation<V>(row, 2 * H + j));
    const auto outputGate = sigmoid<V>(gatePreactivation<V>(row, 3 * H + j));
    const auto c = V::fma(forgetGate, V::load(cell + j), V::mul(inputGate, cellGate));
    V::store(cell + j, c);
    V::store(hiddenOut + j, V::mul(outputGate, tanh<V>(c)));
  }
  lstmRowScalar(remainingUnits<V>(row, j), cell, hiddenOut);
}

template <class V>
void gruRow(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext) {
  const int64_t H = row.hiddenSize;
  const auto one = V::set1(1.0f);
  int64_t j = row.begin;
  for (; j + V::kLanes <= row.end; j += V::kLanes) {
    const auto resetGate = sigmoid<V>(gatePreactivation<V>(row, j));
    const auto updateGate = sigmoid<V>(gatePreactivation<V>(row, H + j));
    const auto hiddenNew = V::add(V::load(row.hiddenGates + 2 * H + j), V::load(hiddenNewBias + j));
    const auto newGate = tanh<V>(V::fma(resetGate, hiddenNew, V::load(row.inputGates + 2 * H + j)));
    const auto h = V::add(V::mul(V::sub(one, updateGate), newGate), V::mul(updateGate, V::load(hPrev + j)));
    V::store(hNext + j, h);
  }
  gruRowScalar(remainingUnits<V>(row, j), hiddenNewBias, hPrev, hNext);
}

// Activations over an array (the kernel tests and test/10 compare them with libm).
template <class V, typename V::Reg (*Activation)(typename V::Reg)>
void activateArray(const float* x, int64_t count, float* y) {
  int64_t i = 0;
  for (; i + V::kLanes <= count; i += V::kLanes) V::store(y + i, Activation(V::load(x + i)));
  if (i < count) V::storeFirst(y + i, Activation(V::loadFirst(x + i, count - i)), count - i);
}

}  // namespace rnnblas::vectorized
