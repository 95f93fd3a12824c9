// The monitor's statistics (scorers/drift.h): window specs, rolling windows by count and by time with unmeasured
// verdicts counted apart, and the one-sided two-proportion z-test against hand-computed values.
#include "scorers/drift.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

constexpr int64_t kSecond = 1000000000LL;

TEST(WindowSpec, ParsesCountsAndDurationsAndRefusesTheRest) {
  EXPECT_EQ(ParseWindowSpec("200", "--window")->count, 200);
  EXPECT_EQ(ParseWindowSpec("15m", "--window")->duration_ns, 900 * kSecond);
  EXPECT_EQ(ParseWindowSpec("7d", "--window")->duration_ns, 7 * 86400 * kSecond);
  for (const char* bad : {"", "0", "-5", "5q", "m", "1.5h", "0h"}) {
    Result<WindowSpec> r = ParseWindowSpec(bad, "--window");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--window: expected a number of traces"), std::string::npos);
  }
  EXPECT_EQ(FormatWindowSpec(*ParseWindowSpec("100", "w")), "100 traces");
  EXPECT_EQ(FormatWindowSpec(*ParseWindowSpec("120m", "w")), "2h");
  EXPECT_EQ(FormatWindowSpec(*ParseWindowSpec("90s", "w")), "90s");
}

std::vector<Verdict> Newest(const std::vector<std::string>& outcomes, int64_t newest_ns, int64_t step_ns) {
  std::vector<Verdict> out;
  for (size_t i = 0; i < outcomes.size(); ++i)
    out.push_back({newest_ns - static_cast<int64_t>(i) * step_ns, outcomes[i]});
  return out;
}

TEST(SplitWindows, CountWindowsTakeTheNewestThenTheOnesBeforeWithoutOverlap) {
  std::vector<Verdict> v = Newest({"fail", "error", "pass", "pass", "skipped", "fail", "pass", "pass"}, 1000, 1);
  WindowPair w = SplitWindows(v, {.count = 3}, {.count = 4}, 2000);
  EXPECT_EQ(w.current.passed, 1);
  EXPECT_EQ(w.current.failed, 1);
  EXPECT_EQ(w.current.unmeasured, 1);
  EXPECT_EQ(w.baseline.passed, 2);
  EXPECT_EQ(w.baseline.failed, 1);
  EXPECT_EQ(w.baseline.unmeasured, 1);  // The eighth verdict is in neither window.
  EXPECT_DOUBLE_EQ(w.current.pass_rate(), 0.5);
}

TEST(SplitWindows, DurationWindowsAreAnchoredAtNowAndTheBaselineEndsWhereTheCurrentBegins) {
  const int64_t now = 100 * 3600 * kSecond;
  // One verdict every 10 minutes, newest 5 minutes ago.
  std::vector<Verdict> v = Newest(std::vector<std::string>(30, "pass"), now - 300 * kSecond, 600 * kSecond);
  v[0].outcome = "fail";
  WindowPair w = SplitWindows(v, {.duration_ns = 3600 * kSecond}, {.duration_ns = 2 * 3600 * kSecond}, now);
  EXPECT_EQ(w.current.traces(), 6);  // 5, 15, ..., 55 minutes ago.
  EXPECT_EQ(w.current.failed, 1);
  EXPECT_EQ(w.baseline.traces(), 12);  // 65 .. 175 minutes ago.
  // A count current window with a duration baseline: the baseline is the hour before the oldest current trace.
  WindowPair mixed = SplitWindows(v, {.count = 2}, {.duration_ns = 3600 * kSecond}, now);
  EXPECT_EQ(mixed.current.traces(), 2);
  EXPECT_EQ(mixed.baseline.traces(), 6);
}

TEST(TwoProportionDropTest, MatchesTheHandComputedPooledZ) {
  // 90/100 then 75/100: pooled 0.825, se = sqrt(0.825 * 0.175 * 0.02) = 0.0537354, z = 2.79146, p = 0.002623.
  DropTest t = TwoProportionDropTest(90, 100, 75, 100, 0.05);
  EXPECT_NEAR(t.z, 2.79146, 1e-4);
  EXPECT_NEAR(t.p_value, 0.002623, 1e-5);
  EXPECT_TRUE(t.significant);
  // The same drop on 20 traces a window is not evidence: z = 1.248, p = 0.1059.
  DropTest small = TwoProportionDropTest(18, 20, 15, 20, 0.05);
  EXPECT_NEAR(small.p_value, 0.1059, 1e-3);
  EXPECT_FALSE(small.significant);
  EXPECT_TRUE(TwoProportionDropTest(18, 20, 15, 20, 0.20).significant);
  // A rise is never a drop (one-sided).
  DropTest rise = TwoProportionDropTest(75, 100, 90, 100, 0.05);
  EXPECT_LT(rise.z, 0);
  EXPECT_GT(rise.p_value, 0.99);
  EXPECT_FALSE(rise.significant);
}

TEST(TwoProportionDropTest, NoDataOrNoVariationIsNeverSignificant) {
  EXPECT_FALSE(TwoProportionDropTest(0, 0, 0, 10, 0.05).significant);
  EXPECT_EQ(TwoProportionDropTest(10, 10, 0, 0, 0.05).p_value, 1);
  EXPECT_FALSE(TwoProportionDropTest(10, 10, 10, 10, 0.05).significant);
  EXPECT_FALSE(TwoProportionDropTest(0, 10, 0, 10, 0.05).significant);
  // All passing then all failing is the strongest evidence there is.
  EXPECT_TRUE(TwoProportionDropTest(30, 30, 0, 30, 0.05).significant);
}

}  // namespace
}  // namespace llmeval
