#include "engine/os/open_file_limit.h"

#include <sys/resource.h>

namespace llmeval {

void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlim_t wanted = limit.rlim_max;
  if (wanted == RLIM_INFINITY || wanted > static_cast<rlim_t>(kOpenFileCap)) wanted = static_cast<rlim_t>(kOpenFileCap);
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur >= wanted) return;  // Never lowered.
  limit.rlim_cur = wanted;
  setrlimit(RLIMIT_NOFILE, &limit);
}

int64_t OpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return -1;
  return static_cast<int64_t>(limit.rlim_cur);
}

}  // namespace llmeval
