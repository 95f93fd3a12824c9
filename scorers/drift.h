// Drift detection for `llmeval monitor`: rolling windows of per-trace verdicts and a one-sided two-proportion z-test
// of the current window's pass rate against the baseline window's. Items a scorer could not measure (error, skipped)
// are counted per window and reported, never counted as passes or failures. Pure functions, thread-safe.
//
// Windows, over one scorer's verdicts ordered by the trace's own start time (newest first):
//   current:  the newest `count` traces, or the traces that started within `duration` before `now`;
//   baseline: the window immediately before the current one (no overlap): the next `count` older traces, or the
//             traces that started within `duration` before the current window's start.
#ifndef LLMEVAL_SCORERS_DRIFT_H_
#define LLMEVAL_SCORERS_DRIFT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace llmeval {

// A window is either a number of traces or a duration; exactly one of the two is positive.
struct WindowSpec {
  int64_t count = 0;
  int64_t duration_ns = 0;
};

// "100" (traces) or "90s", "15m", "1h", "7d"; `what` names the flag in the InvalidInput message.
Result<WindowSpec> ParseWindowSpec(const std::string& text, const std::string& what);
// "100 traces" / "1h".
std::string FormatWindowSpec(const WindowSpec& spec);

struct WindowCounts {
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t unmeasured = 0;  // error or skipped: reported, not in the rate.
  int64_t traces() const { return passed + failed + unmeasured; }
  int64_t measured() const { return passed + failed; }
  double pass_rate() const { return measured() > 0 ? static_cast<double>(passed) / measured() : 0; }
};

struct Verdict {
  int64_t start_unix_ns = 0;  // The trace's root start.
  std::string outcome;        // pass, fail, error, skipped
};

struct WindowPair {
  WindowCounts current;
  WindowCounts baseline;
};

// `verdicts` sorted newest first (ties in any order). `now_unix_ns` anchors a duration current window.
WindowPair SplitWindows(const std::vector<Verdict>& verdicts, const WindowSpec& current, const WindowSpec& baseline,
                        int64_t now_unix_ns);

struct DropTest {
  double z = 0;        // (baseline rate - current rate) / pooled standard error; positive when the rate fell.
  double p_value = 1;  // One-sided: P(Z >= z) under "no drop". 1 when the test cannot be made.
  bool significant = false;
};

// The one-sided pooled two-proportion z-test of H1: current pass rate < baseline pass rate, at `alpha`. With no
// measured item in either window, or a pooled rate of 0 or 1 (no variation), nothing is significant (p = 1).
DropTest TwoProportionDropTest(int64_t baseline_passed, int64_t baseline_measured, int64_t current_passed,
                               int64_t current_measured, double alpha);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_DRIFT_H_
