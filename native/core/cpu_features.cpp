#include "cpu_features.h"

namespace rnnblas {

bool hasAvx2Fma() {
  static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
}

}  // namespace rnnblas
