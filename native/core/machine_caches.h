// The cache sizes of the CPU this process runs on, read once: sysconf where the C library
// reports them, else /sys/devices/system/cpu/cpu0/cache, else the sizes of the smallest
// machine we tune for (32 KiB L1d, 512 KiB L2).
#pragma once
#include <cstdint>

namespace rnnblas {

struct MachineCaches {
  int64_t l1dBytes;
  int64_t l2Bytes;  // per core
};

const MachineCaches& machineCaches();

}  // namespace rnnblas
