// The "avx2-fma" kernel table: the kernel templates over simd/vec_avx2.h. The only translation
// unit compiled with this instruction set's flags (CMakeLists.txt).
#include "../simd/vec_avx2.h"
#include "../kernels/make_table.h"

namespace rnnblas::avx2 {

const KernelTable& table() {
  static const KernelTable instance = vectorized::makeTable<Vec>("avx2-fma");
  return instance;
}

}  // namespace rnnblas::avx2
