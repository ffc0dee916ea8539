// The "avx512" kernel table: the kernel templates over simd/vec_avx512.h. The only translation
// unit compiled with this instruction set's flags (CMakeLists.txt).
#include "../simd/vec_avx512.h"
#include "../kernels/make_table.h"

namespace rnnblas::avx512 {

const KernelTable& table() {
  static const KernelTable instance = vectorized::makeTable<Vec>("avx512");
  return instance;
}

}  // namespace rnnblas::avx512
