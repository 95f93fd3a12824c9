#include "engine/run/concurrency_check.h"

#include <cstdint>
#include <cstdio>

#include "engine/os/open_file_limit.h"

namespace llmeval {
namespace {

std::string Number(double v) {
  char buffer[32];
  // Whole numbers as written in the config (1000000, not 1e+06); others to three significant digits.
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", v);
  }
  return buffer;
}

}  // namespace

std::string OpenFileWarning(int concurrency, bool over_http) {
  constexpr int64_t kOtherFiles = 64;
  int64_t limit = OpenFileLimit();
  if (!over_http || limit < 0 || concurrency + kOtherFiles <= limit) return "";
  return "--concurrency " + std::to_string(concurrency) + " keeps up to " + std::to_string(concurrency) +
         " connections open, but this process may open only " + std::to_string(limit) +
         " files (ulimit -n, hard limit included); calls past that fail to connect: raise the limit or lower the "
         "concurrency";
}

std::vector<std::string> ConcurrencyWarnings(int concurrency, const ProviderSet& providers) {
  std::vector<std::string> warnings;
  const std::string asked = "--concurrency " + std::to_string(concurrency);
  for (const ProviderLimits& p : providers.Limits()) {
    const std::string setting = "providers." + p.name;
    if (p.max_concurrency > 0 && p.max_concurrency < concurrency) {
      warnings.push_back("provider '" + p.name + "' has max_concurrency " + std::to_string(p.max_concurrency) +
                         ": at most " + std::to_string(p.max_concurrency) +
                         " of its calls are in flight at once, not " + "the " + std::to_string(concurrency) + " of " +
                         asked + " (raise " + setting + ".max_concurrency, or remove it to follow --concurrency)");
    }
    if (p.requests_per_minute > 0) {
      // Little's law: N calls in flight at R per minute need each call to take N * 60 / R seconds.
      double seconds = concurrency * 60.0 / p.requests_per_minute;
      warnings.push_back("provider '" + p.name + "' is limited to " + Number(p.requests_per_minute) +
                         " requests per minute: " + asked + " is reached only by calls taking at least " +
                         Number(seconds) + " s each; faster calls are paced below it (" + setting +
                         ".requests_per_minute)");
    }
    if (p.tokens_per_minute > 0) {
      warnings.push_back("provider '" + p.name + "' is limited to " + Number(p.tokens_per_minute) +
                         " tokens per minute: calls are paced to it, which may hold the run below " + asked + " (" +
                         setting + ".tokens_per_minute)");
    }
  }
  std::string files = OpenFileWarning(concurrency, providers.over_http());
  if (!files.empty()) warnings.push_back(files);
  return warnings;
}

}  // namespace llmeval
