// What this CPU offers the kernel tables (kernel_table.cpp is the only caller). x86-64:
// cpuid through the compiler's builtins, which also check that the OS saves the wider
// registers. AArch64: NEON is part of the architecture.
#pragma once

namespace rnnblas {

struct CpuFeatures {
  bool avx2Fma = false;
  bool avx512 = false;  // F + BW + VL + DQ, the subsets the avx512 table is compiled for
  bool neon = false;
};

const CpuFeatures& cpuFeatures();

}  // namespace rnnblas
