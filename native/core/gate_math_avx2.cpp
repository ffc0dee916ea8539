#include "gate_math_avx2.h"

#include "activations_avx2.h"

namespace rnnblas::avx2 {

namespace {

// Eight units at a time; the last end % 8 units go through the scalar pass, which
// shares the contract (within 1e-6 of it).
constexpr int64_t kLanes = 8;

inline __m256 gatePreactivation(const GateRow& row, int64_t offset) {
  return _mm256_add_ps(_mm256_loadu_ps(row.inputGates + offset), _mm256_loadu_ps(row.hiddenGates + offset));
}

GateRow tail(const GateRow& row, int64_t begin) {
  GateRow rest = row;
  rest.begin = begin;
  return rest;
}

}  // namespace

void rnnTanhRow(const GateRow& row, float* hNext) {
  int64_t j = row.begin;
  for (; j + kLanes <= row.end; j += kLanes) _mm256_storeu_ps(hNext + j, tanh(gatePreactivation(row, j)));
  rnnblas::rnnTanhRowScalar(tail(row, j), hNext);
}

void rnnReluRow(const GateRow& row, float* hNext) {
  int64_t j = row.begin;
  for (; j + kLanes <= row.end; j += kLanes) _mm256_storeu_ps(hNext + j, relu(gatePreactivation(row, j)));
  rnnblas::rnnReluRowScalar(tail(row, j), hNext);
}

void lstmRow(const GateRow& row, float* cell, float* hiddenOut) {
  const int64_t H = row.hiddenSize;
  int64_t j = row.begin;
  for (; j + kLanes <= row.end; j += kLanes) {
    const __m256 inputGate = sigmoid(gatePreactivation(row, j));
    const __m256 forgetGate = sigmoid(gatePreactivation(row, H + j));
    const __m256 cellGate = tanh(gatePreactivation(row, 2 * H + j));
    const __m256 outputGate = sigmoid(gatePreactivation(row, 3 * H + j));
    const __m256 c = _mm256_fmadd_ps(forgetGate, _mm256_loadu_ps(cell + j), _mm256_mul_ps(inputGate, cellGate));
    _mm256_storeu_ps(cell + j, c);
    _mm256_storeu_ps(hiddenOut + j, _mm256_mul_ps(outputGate, tanh(c)));
  }
  rnnblas::lstmRowScalar(tail(row, j), cell, hiddenOut);
}

void gruRow(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext) {
  const int64_t H = row.hiddenSize;
  const __m256 one = _mm256_set1_ps(1.0f);
  int64_t j = row.begin;
  for (; j + kLanes <= row.end; j += kLanes) {
    const __m256 resetGate = sigmoid(gatePreactivation(row, j));
    const __m256 updateGate = sigmoid(gatePreactivation(row, H + j));
    const __m256 hiddenNew = _mm256_add_ps(_mm256_loadu_ps(row.hiddenGates + 2 * H + j), _mm256_loadu_ps(hiddenNewBias + j));
    const __m256 inputNew = _mm256_loadu_ps(row.inputGates + 2 * H + j);
    const __m256 newGate = tanh(_mm256_fmadd_ps(resetGate, hiddenNew, inputNew));
    const __m256 h = _mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(one, updateGate), newGate),
                                   _mm256_mul_ps(updateGate, _mm256_loadu_ps(hPrev + j)));
    _mm256_storeu_ps(hNext + j, h);
  }
  rnnblas::gruRowScalar(tail(row, j), hiddenNewBias, hPrev, hNext);
}

}  // namespace rnnblas::avx2
