#include "kernel_table.h"

#include <cstdlib>
#include <cstring>

#include "cpu_features.h"

namespace rnnblas {

namespace {

// Tables ranked, so that RNN_BLAS_MAX_ISA can cap the choice.
enum Rank : int { kPortable = 0, kVector = 1, kWideVector = 2 };

int rankCap() {
  const char* legacy = std::getenv("RNN_BLAS_DISABLE_AVX2");
  if (legacy && *legacy && std::strcmp(legacy, "0") != 0) return kPortable;
  const char* cap = std::getenv("RNN_BLAS_MAX_ISA");
  if (!cap || !*cap) return kWideVector;
  if (std::strcmp(cap, "portable") == 0) return kPortable;
  if (std::strcmp(cap, "avx2") == 0 || std::strcmp(cap, "avx2-fma") == 0 || std::strcmp(cap, "neon") == 0) {
    return kVector;
  }
  return kWideVector;  // "avx512" or a name lib/native.ts has already warned about
}

const KernelTable& choose() {
  const CpuFeatures& cpu = cpuFeatures();
  const int cap = rankCap();
#if defined(__x86_64__) || defined(_M_X64)
  if (cpu.avx512 && cap >= kWideVector) return avx512::table();
  if (cpu.avx2Fma && cap >= kVector) return avx2::table();
#endif
#if defined(__aarch64__)
  if (cpu.neon && cap >= kVector) return neon::table();
#endif
  (void)cpu;
  (void)cap;
  return portableTable();
}

}  // namespace

const KernelTable& kernels() {
  static const KernelTable& chosen = choose();
  return chosen;
}

const KernelTable& portableTable() {
  static const KernelTable table{};
  return table;
}

std::vector<const KernelTable*> supportedKernelTables() {
  std::vector<const KernelTable*> tables;
  const CpuFeatures& cpu = cpuFeatures();
#if defined(__x86_64__) || defined(_M_X64)
  if (cpu.avx512) tables.push_back(&avx512::table());
  if (cpu.avx2Fma) tables.push_back(&avx2::table());
#endif
#if defined(__aarch64__)
  if (cpu.neon) tables.push_back(&neon::table());
#endif
  (void)cpu;
  tables.push_back(&portableTable());
  return tables;
}

std::vector<const char*> builtKernelTableNames() {
#if defined(__x86_64__) || defined(_M_X64)
  return {"avx512", "avx2-fma", "portable"};
#elif defined(__aarch64__)
  return {"neon", "portable"};
#else
  return {"portable"};
#endif
}

}  // namespace rnnblas
