// Rolling windows and the two-proportion drop test (scorers/drift.h).
#include "scorers/drift.h"

#include <cmath>
#include <optional>

#include "core/strings.h"

namespace llmeval {
namespace {

void Count(const std::string& outcome, WindowCounts* counts) {
  if (outcome == "pass") {
    ++counts->passed;
  } else if (outcome == "fail") {
    ++counts->failed;
  } else {
    ++counts->unmeasured;
  }
}

}  // namespace

Result<WindowSpec> ParseWindowSpec(const std::string& text, const std::string& what) {
  const std::string expected = what + ": expected a number of traces (like 200) or a duration (like 90s, 15m, 1h or " +
                               "7d); got '" + text + "'";
  if (text.empty()) return Status::InvalidInput(expected);
  WindowSpec spec;
  char last = text.back();
  if (last >= '0' && last <= '9') {
    std::optional<int64_t> n = ParseInt(text);
    if (!n.has_value() || *n < 1) return Status::InvalidInput(expected);
    spec.count = *n;
    return spec;
  }
  std::optional<int64_t> n = ParseInt(text.substr(0, text.size() - 1));
  int64_t unit = last == 's' ? 1 : last == 'm' ? 60 : last == 'h' ? 3600 : last == 'd' ? 86400 : 0;
  if (!n.has_value() || *n < 1 || unit == 0 || *n > INT64_MAX / (unit * 1000000000LL)) {
    return Status::InvalidInput(expected);
  }
  spec.duration_ns = *n * unit * 1000000000LL;
  return spec;
}

std::string FormatWindowSpec(const WindowSpec& spec) {
  if (spec.count > 0) return std::to_string(spec.count) + " traces";
  int64_t s = spec.duration_ns / 1000000000LL;
  if (s % 86400 == 0) return std::to_string(s / 86400) + "d";
  if (s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s % 60 == 0) return std::to_string(s / 60) + "m";
  return std::to_string(s) + "s";
}

WindowPair SplitWindows(const std::vector<Verdict>& verdicts, const WindowSpec& current, const WindowSpec& baseline,
                        int64_t now_unix_ns) {
  WindowPair out;
  size_t i = 0;
  // The current window: the newest `count`, or those started at or after now - duration.
  int64_t boundary_ns = now_unix_ns - current.duration_ns;
  if (current.count > 0) {
    for (; i < verdicts.size() && static_cast<int64_t>(i) < current.count; ++i)
      Count(verdicts[i].outcome, &out.current);
    boundary_ns = i > 0 ? verdicts[i - 1].start_unix_ns : now_unix_ns;
  } else {
    for (; i < verdicts.size() && verdicts[i].start_unix_ns >= boundary_ns; ++i)
      Count(verdicts[i].outcome, &out.current);
  }
  // The baseline: what comes right after, by count or by time before the current window's start.
  if (baseline.count > 0) {
    for (int64_t n = 0; i < verdicts.size() && n < baseline.count; ++i, ++n) Count(verdicts[i].outcome, &out.baseline);
  } else {
    const int64_t from_ns = boundary_ns - baseline.duration_ns;
    for (; i < verdicts.size() && verdicts[i].start_unix_ns >= from_ns; ++i) Count(verdicts[i].outcome, &out.baseline);
  }
  return out;
}

DropTest TwoProportionDropTest(int64_t baseline_passed, int64_t baseline_measured, int64_t current_passed,
                               int64_t current_measured, double alpha) {
  DropTest out;
  if (baseline_measured <= 0 || current_measured <= 0) return out;
  const double n1 = static_cast<double>(baseline_measured);
  const double n2 = static_cast<double>(current_measured);
  const double p1 = static_cast<double>(baseline_passed) / n1;
  const double p2 = static_cast<double>(current_passed) / n2;
  const double pooled = static_cast<double>(baseline_passed + current_passed) / (n1 + n2);
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return out;
  out.z = (p1 - p2) / se;
  out.p_value = 0.5 * std::erfc(out.z / std::sqrt(2.0));
  out.significant = out.p_value < alpha;
  return out;
}

}  // namespace llmeval
