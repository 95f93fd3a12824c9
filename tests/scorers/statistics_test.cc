#include "scorers/statistics.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

struct WilsonCase {
  int64_t successes, trials;
  double low, high;
};

class WilsonKnownValues : public ::testing::TestWithParam<WilsonCase> {};

TEST_P(WilsonKnownValues, MatchesReference) {
  Interval ci = WilsonInterval(GetParam().successes, GetParam().trials);
  EXPECT_NEAR(ci.low, GetParam().low, 5e-5) << GetParam().successes << "/" << GetParam().trials;
  EXPECT_NEAR(ci.high, GetParam().high, 5e-5) << GetParam().successes << "/" << GetParam().trials;
}

INSTANTIATE_TEST_SUITE_P(Reference, WilsonKnownValues,
                         ::testing::Values(WilsonCase{0, 10, 0.0, 0.2775}, WilsonCase{10, 10, 0.7225, 1.0},
                                           WilsonCase{8, 10, 0.4902, 0.9433}, WilsonCase{50, 100, 0.4038, 0.5962},
                                           WilsonCase{1, 1, 0.2065, 1.0}, WilsonCase{0, 0, 0.0, 1.0}));

// k items, each repeated `repeats` times with the same outcome; the first `passing` items pass.
ClusterTotals IdenticalRepeats(int k, int passing, int repeats) {
  ClusterTotals c;
  for (int i = 0; i < k; ++i) c.Add(i < passing ? repeats : 0, repeats);
  return c;
}

TEST(ClusteredWilson, WithoutRepeatsItIsTheWilsonInterval) {
  ClusteredRate r = ClusteredWilsonInterval(11, 12, IdenticalRepeats(12, 11, 1));
  EXPECT_EQ(r.design_effect, 1);
  EXPECT_EQ(r.ci95.low, WilsonInterval(11, 12).low);
  EXPECT_EQ(r.ci95.high, WilsonInterval(11, 12).high);
}

TEST(ClusteredWilson, IdenticalRepeatsDoNotNarrowTheInterval) {
  // 11 of 12 items pass on every repeat. Counted as 66/72 independent trials the lower bound would be 0.83; the
  // repeats say nothing new, so it stays near 11/12's 0.65 however many there are.
  ClusteredRate three = ClusteredWilsonInterval(33, 36, IdenticalRepeats(12, 11, 3));
  ClusteredRate six = ClusteredWilsonInterval(66, 72, IdenticalRepeats(12, 11, 6));
  // Design effect r * k / (k - 1) (the m/(m-1) factor): 11 effective observations.
  EXPECT_NEAR(three.design_effect, 3 * 12.0 / 11.0, 1e-9);
  EXPECT_NEAR(six.design_effect, 6 * 12.0 / 11.0, 1e-9);
  EXPECT_NEAR(six.ci95.low, WilsonIntervalReal(11 * 11.0 / 12.0, 11).low, 1e-9);
  EXPECT_NEAR(six.ci95.low, three.ci95.low, 1e-9);
  EXPECT_NEAR(six.ci95.low, 0.6316, 1e-4);
  EXPECT_LT(six.ci95.low, WilsonInterval(11, 12).low);
  // Every item passing: the design effect is the cluster size, so 12 x 6 passes count as 12.
  ClusteredRate all = ClusteredWilsonInterval(72, 72, IdenticalRepeats(12, 12, 6));
  EXPECT_NEAR(all.design_effect, 6, 1e-12);
  EXPECT_NEAR(all.ci95.low, WilsonInterval(12, 12).low, 1e-9);
}

TEST(ClusteredWilson, RepeatsThatDisagreeWithinItemsAddInformation) {
  // Each of 10 items passes 2 of 3 repeats: no between-item variance, so the 30 repeats are as good as independent.
  ClusterTotals c;
  for (int i = 0; i < 10; ++i) c.Add(2, 3);
  ClusteredRate r = ClusteredWilsonInterval(20, 30, c);
  EXPECT_EQ(r.design_effect, 1);
  EXPECT_NEAR(r.ci95.low, WilsonInterval(20, 30).low, 1e-9);
}

TEST(StudentT, TableAndExpansion) {
  EXPECT_NEAR(StudentT975(1), 12.7062, 1e-4);
  EXPECT_NEAR(StudentT975(9), 2.2622, 1e-4);
  EXPECT_NEAR(StudentT975(30), 2.0423, 1e-4);
  EXPECT_NEAR(StudentT975(40), 2.0211, 1e-3);
  EXPECT_NEAR(StudentT975(120), 1.9799, 1e-3);
  EXPECT_NEAR(StudentT975(1000000), 1.96, 1e-3);
}

TEST(MeanWithInterval, TBasedInterval) {
  MeanEstimate m = MeanWithInterval({2, 4, 4, 4, 5, 5, 7, 9});
  EXPECT_EQ(m.n, 8);
  EXPECT_DOUBLE_EQ(m.mean, 5.0);
  EXPECT_NEAR(m.stddev, 2.13809, 1e-5);
  // 5 ± 2.3646 * 2.13809 / sqrt(8)
  EXPECT_NEAR(m.ci95.low, 3.21250, 1e-4);
  EXPECT_NEAR(m.ci95.high, 6.78750, 1e-4);

  MeanEstimate one = MeanWithInterval({0.7});
  EXPECT_EQ(one.n, 1);
  EXPECT_DOUBLE_EQ(one.ci95.low, 0.7);
  EXPECT_DOUBLE_EQ(one.ci95.high, 0.7);
  EXPECT_EQ(MeanWithInterval({}).n, 0);
}

TEST(RunningMean, StableOnLargeOffsetsAndEqualToTheBatchEstimate) {
  RunningMean running;
  for (double v : {1e9 + 1, 1e9 + 2, 1e9 + 3}) running.Add(v);
  MeanEstimate m = running.Estimate();
  EXPECT_EQ(m.n, 3);
  EXPECT_DOUBLE_EQ(m.mean, 1e9 + 2);
  EXPECT_NEAR(m.stddev, 1.0, 1e-9);  // The textbook sum-of-squares formula loses this to cancellation.
  EXPECT_EQ(RunningMean().Estimate().n, 0);
}

std::vector<std::string> Repeat(const std::string& label, int n) { return std::vector<std::string>(n, label); }

TEST(CohensKappa, TextbookExample) {
  // The classic 50-item example: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
  std::vector<std::string> a, b;
  auto add = [&](const char* x, const char* y, int n) {
    for (int i = 0; i < n; ++i) {
      a.push_back(x);
      b.push_back(y);
    }
  };
  add("yes", "yes", 20);
  add("yes", "no", 5);
  add("no", "yes", 10);
  add("no", "no", 15);
  Result<Agreement> agreement = CohensKappa(a, b);
  ASSERT_TRUE(agreement.ok());
  EXPECT_EQ(agreement->n, 50);
  EXPECT_NEAR(agreement->percent_agreement, 0.7, 1e-12);
  EXPECT_NEAR(agreement->kappa, 0.4, 1e-12);
}

TEST(CohensKappa, EdgeCases) {
  Result<Agreement> same = CohensKappa(Repeat("yes", 4), Repeat("yes", 4));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->kappa, 1.0);
  EXPECT_EQ(same->percent_agreement, 1.0);
  Result<Agreement> opposite = CohensKappa({"yes", "no"}, {"no", "yes"});
  ASSERT_TRUE(opposite.ok());
  EXPECT_NEAR(opposite->kappa, -1.0, 1e-12);
  EXPECT_EQ(CohensKappa({"a"}, {"a", "b"}).status().message(), "cannot compare labels: 1 labels against 2");
  EXPECT_EQ(CohensKappa({}, {}).status().code(), StatusCode::kInvalidInput);
}

TEST(MajorityVote, WinnerAgreementAndTies) {
  MajorityResult m = MajorityVote({"yes", "no", "yes"});
  EXPECT_EQ(m.label, "yes");
  EXPECT_EQ(m.votes, 2);
  EXPECT_NEAR(m.agreement, 2.0 / 3.0, 1e-12);
  EXPECT_FALSE(m.tie);
  MajorityResult tie = MajorityVote({"no", "yes"});
  EXPECT_EQ(tie.label, "no");
  EXPECT_TRUE(tie.tie);
  EXPECT_EQ(tie.agreement, 0.5);
  MajorityResult three = MajorityVote({"a", "b", "c", "c", "b", "b"});
  EXPECT_EQ(three.label, "b");
  EXPECT_EQ(three.votes, 3);
  EXPECT_EQ(MajorityVote({}).label, "");
}

}  // namespace
}  // namespace llmeval
