// `llmeval cache`: what the response cache in the store holds, and clearing it (all of it, or what is older than a
// duration), as `promptfoo cache clear` does. Runs keep their own answers; only future cache hits are affected.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/strings.h"

namespace llmeval {
namespace {

const char kUsage[] =
    "llmeval cache stats\n"
    "       llmeval cache clear [--older-than DURATION]   (DURATION: 90s, 45m, 12h, 30d)";

// "30d" -> nanoseconds. Units: s, m, h, d.
Result<int64_t> ParseDuration(const std::string& text) {
  const std::string expected =
      "--older-than: expected a number and a unit (s, m, h or d), like 30d or 12h; got '" + text + "'";
  if (text.size() < 2) return Status::InvalidInput(expected);
  std::optional<int64_t> count = ParseInt(text.substr(0, text.size() - 1));
  if (!count.has_value() || *count < 0) return Status::InvalidInput(expected);
  int64_t unit_seconds = 0;
  switch (text.back()) {
    case 's':
      unit_seconds = 1;
      break;
    case 'm':
      unit_seconds = 60;
      break;
    case 'h':
      unit_seconds = 3600;
      break;
    case 'd':
      unit_seconds = 86400;
      break;
    default:
      return Status::InvalidInput(expected);
  }
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1'000'000'000;
  if (*count > kMaxSeconds / unit_seconds) return Status::InvalidInput(expected);
  return *count * unit_seconds * 1'000'000'000;
}

std::string FormatBytes(int64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%lld B", static_cast<long long>(bytes));
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  }
  return buf;
}

}  // namespace

int CmdCache(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"older-than", true, "clear only responses cached longer ago than this (90s, 45m, 12h, 30d)", ""});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("cache", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.size() != 1 || (pos[0] != "stats" && pos[0] != "clear")) {
    PrintCommandHelp(kUsage,
                     "The response cache answers a call whose provider, model, messages, parameters, tools and repeat "
                     "index match one made before. Runs keep their own answers; clearing only affects later runs.",
                     specs);
    if (flags->Has("help")) return 0;
    return Fail("cache", Status::InvalidInput(pos.empty() ? "expected a subcommand: stats or clear"
                                                          : "unknown subcommand '" + JoinStrings(pos, " ") +
                                                                "': expected stats or clear"));
  }
  const std::string command = "cache " + pos[0];
  if (pos[0] == "stats" && flags->Has("older-than")) {
    return Fail(command, Status::InvalidInput("--older-than goes with cache clear"));
  }
  int64_t before = std::numeric_limits<int64_t>::max();
  if (flags->Has("older-than")) {
    Result<int64_t> age = ParseDuration(flags->Get("older-than"));
    if (!age.ok()) return Fail(command, age.status());
    before = Clock::Real()->NowUnixNanos() - *age;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail(command, config.status());
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail(command, store.status());
  if (pos[0] == "stats") {
    Result<Store::CacheStats> stats = (*store)->GetCacheStats();
    if (!stats.ok()) return Fail(command, stats.status());
    std::printf("cached responses  %lld (%s)\n", static_cast<long long>(stats->entries),
                FormatBytes(stats->bytes).c_str());
    const char* zone = stats->entries > 0 ? " UTC" : "";
    std::printf("oldest            %s%s\nnewest            %s%s\nstore             %s\n",
                FormatTime(stats->oldest_unix_ns).c_str(), zone, FormatTime(stats->newest_unix_ns).c_str(), zone,
                (*store)->path().c_str());
    return 0;
  }
  Result<int64_t> cleared = (*store)->ClearCache(before);
  if (!cleared.ok()) return Fail(command, cleared.status());
  std::printf("cleared %lld cached response%s from %s\n", static_cast<long long>(*cleared), *cleared == 1 ? "" : "s",
              (*store)->path().c_str());
  return 0;
}

}  // namespace llmeval
