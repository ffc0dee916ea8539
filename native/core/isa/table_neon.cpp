// The "neon" kernel table: the kernel templates over simd/vec_neon.h. The only translation
// unit compiled with this instruction set's flags (CMakeLists.txt).
#include "../simd/vec_neon.h"
#include "../kernels/make_table.h"

namespace rnnblas::neon {

const KernelTable& table() {
  static const KernelTable instance = vectorized::makeTable<Vec>("neon");
  return instance;
}

}  // namespace rnnblas::neon
