// What this CPU offers the kernels. The prebuilt binary runs on any x86-64: the *_avx2.cpp
// kernels are compiled for AVX2 + FMA and called only when this says the CPU has both;
// otherwise the portable code and BLAS run. RNN_BLAS_DISABLE_AVX2=1 in the environment
// (read once, at the first call) forces the portable code, so that tests cover it on any
// machine.
#pragma once

namespace rnnblas {

// AVX2 and FMA, checked once per process.
bool hasAvx2Fma();

// "avx2-fma" or "portable": the kernels hasAvx2Fma() selects.
const char* kernelSet();

}  // namespace rnnblas
