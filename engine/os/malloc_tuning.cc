#include "engine/os/malloc_tuning.h"

#include <malloc.h>

#include <cstdlib>
#include <cstring>

namespace llmeval {

void TuneMallocForThroughput() {
#if defined(__GLIBC__)
  // Setting either threshold also turns off glibc's dynamic adjustment of both. A user who tunes malloc through
  // GLIBC_TUNABLES keeps exactly what they asked for.
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return;
  constexpr int kTrimThreshold = 64 << 20;
  constexpr int kMmapThreshold = 1 << 20;
  mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  // A thread's heap grows 1 MiB at a time rather than page by page (an mprotect call each); pages are only
  // resident once touched.
  constexpr int kTopPad = 1 << 20;
  mallopt(M_TOP_PAD, kTopPad);
#endif
}

}  // namespace llmeval
