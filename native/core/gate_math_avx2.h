// AVX2 + FMA versions of the gate passes in gate_math.h, same contracts. Defined in a file
// compiled with -mavx2 -mfma; gate_math.cpp calls them only on CPUs that have both.
#pragma once
#include "gate_math.h"

namespace rnnblas::avx2 {

void rnnTanhRow(const GateRow& row, float* hNext);
void rnnReluRow(const GateRow& row, float* hNext);
void lstmRow(const GateRow& row, float* cell, float* hiddenOut);
void gruRow(const GateRow& row, const float* hiddenNewBias, const float* hPrev, float* hNext);

}  // namespace rnnblas::avx2
