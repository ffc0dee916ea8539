// What this CPU offers the kernels. The prebuilt binary runs on any x86-64: the *_avx2.cpp
// kernels are compiled for AVX2 + FMA and called only when this says the CPU has both;
// otherwise the portable code and BLAS run.
#pragma once

namespace rnnblas {

// AVX2 and FMA, checked once per process.
bool hasAvx2Fma();

}  // namespace rnnblas
