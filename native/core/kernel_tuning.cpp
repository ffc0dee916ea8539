#include "kernel_tuning.h"

#include <algorithm>

#include "machine_caches.h"

namespace rnnblas {

const CacheBlocking& cacheBlocking() {
  // At least 16 Ki floats (64 KiB), so that a misread cache size cannot shrink blocks to
  // a handful of rows.
  static const CacheBlocking blocking{
      std::max<int64_t>(16 * 1024, machineCaches().l2Bytes * 3 / 8 / static_cast<int64_t>(sizeof(float)))};
  return blocking;
}

}  // namespace rnnblas
