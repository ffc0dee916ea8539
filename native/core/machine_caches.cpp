#include "machine_caches.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace rnnblas {

namespace {

constexpr int64_t kFallbackL1d = 32 * 1024;
constexpr int64_t kFallbackL2 = 512 * 1024;
// Anything outside this range is a misreport (a VM that says 0, or a shared L3 for L2).
constexpr int64_t kMinPlausible = 4 * 1024;
constexpr int64_t kMaxPlausible = 64 * 1024 * 1024;

bool plausible(int64_t bytes) { return bytes >= kMinPlausible && bytes <= kMaxPlausible; }

// "2048K" or "48K" or "1M" from /sys/devices/system/cpu/cpu0/cache/index<i>/size, whose
// level and type are checked first.
int64_t fromSysfs(int level, const char* type) {
  for (int index = 0; index < 8; ++index) {
    char path[96];
    auto readLine = [&](const char* file, char* out, size_t size) {
      std::snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/%s", index, file);
      FILE* f = std::fopen(path, "r");
      if (!f) return false;
      const bool ok = std::fgets(out, static_cast<int>(size), f) != nullptr;
      std::fclose(f);
      return ok;
    };
    char text[32];
    if (!readLine("level", text, sizeof(text)) || std::atoi(text) != level) continue;
    if (!readLine("type", text, sizeof(text))) continue;
    const bool typeMatches = (text[0] == type[0]) || (type[0] == 'D' && text[0] == 'U');
    if (!typeMatches) continue;
    if (!readLine("size", text, sizeof(text))) continue;
    char* end = nullptr;
    int64_t value = std::strtoll(text, &end, 10);
    if (end && (*end == 'K' || *end == 'k')) value *= 1024;
    if (end && (*end == 'M' || *end == 'm')) value *= 1024 * 1024;
    return value;
  }
  return 0;
}

int64_t cacheBytes(int sysconfName, int level, const char* type, int64_t fallback) {
#if defined(_SC_LEVEL1_DCACHE_SIZE)
  const long reported = sysconf(sysconfName);
  if (plausible(reported)) return reported;
#else
  (void)sysconfName;
#endif
  const int64_t fromFiles = fromSysfs(level, type);
  return plausible(fromFiles) ? fromFiles : fallback;
}

MachineCaches readCaches() {
#if defined(_SC_LEVEL1_DCACHE_SIZE)
  return MachineCaches{cacheBytes(_SC_LEVEL1_DCACHE_SIZE, 1, "Data", kFallbackL1d),
                       cacheBytes(_SC_LEVEL2_CACHE_SIZE, 2, "Unified", kFallbackL2)};
#else
  return MachineCaches{cacheBytes(0, 1, "Data", kFallbackL1d), cacheBytes(0, 2, "Unified", kFallbackL2)};
#endif
}

}  // namespace

const MachineCaches& machineCaches() {
  static const MachineCaches caches = readCaches();
  return caches;
}

}  // namespace rnnblas
