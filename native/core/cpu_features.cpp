#include "cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace rnnblas {

namespace {
bool disabledByEnvironment() {
  const char* value = std::getenv("RNN_BLAS_DISABLE_AVX2");
  return value && *value && std::strcmp(value, "0") != 0;
}
}  // namespace

bool hasAvx2Fma() {
  static const bool available =
      !disabledByEnvironment() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
}

const char* kernelSet() { return hasAvx2Fma() ? "avx2-fma" : "portable"; }

}  // namespace rnnblas
