// Scalar activations of the gate math. Kept in one place so that a vectorised
// version can replace them without touching the cells.
#pragma once
#include <cmath>

namespace rnnblas {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
inline float tanhActivation(float x) { return std::tanh(x); }
inline float reluActivation(float x) { return x > 0.0f ? x : (x == x ? 0.0f : x); }  // NaN stays NaN

}  // namespace rnnblas
