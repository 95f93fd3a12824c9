#include "scorers/paired_statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace llmeval {
namespace {

TEST(PairedStatistics, WilsonRealMatchesKnownValues) {
  Interval zero = WilsonIntervalReal(0, 10);
  EXPECT_NEAR(zero.low, 0.0, 1e-9);
  EXPECT_NEAR(zero.high, 0.2775, 1e-4);
  Interval eight = WilsonIntervalReal(8, 10);
  EXPECT_NEAR(eight.low, 0.4902, 1e-4);
  EXPECT_NEAR(eight.high, 0.9433, 1e-4);
  Interval integer = WilsonInterval(81, 263);
  Interval real = WilsonIntervalReal(81, 263);
  EXPECT_NEAR(real.low, integer.low, 1e-12);
  EXPECT_NEAR(real.high, integer.high, 1e-12);
  EXPECT_NEAR(real.low, 0.2553, 1e-4);
}

// Newcombe (1998), Statistics in Medicine 17:2635, example with a=36, b=12, c=2, d=0 (n=50): theta=0.2 and
// method 10 gives 0.0569 to 0.3404. Here the candidate is the first proportion.
TEST(PairedStatistics, NewcombeMethodTenMatchesThePublishedExample) {
  PairedTable t{36, 2, 12, 0};
  PairedDifference d = NewcombePairedDifference(t);
  EXPECT_DOUBLE_EQ(d.n, 50);
  EXPECT_NEAR(d.estimate, 0.2, 1e-12);
  EXPECT_NEAR(d.ci95.low, 0.0569, 1e-4);
  EXPECT_NEAR(d.ci95.high, 0.3404, 1e-4);
  EXPECT_NEAR(d.candidate_rate, 0.96, 1e-12);
  EXPECT_NEAR(d.baseline_rate, 0.76, 1e-12);

  PairedDifference mirrored = NewcombePairedDifference(PairedTable{36, 12, 2, 0});
  EXPECT_NEAR(mirrored.estimate, -0.2, 1e-12);
  EXPECT_NEAR(mirrored.ci95.low, -0.3404, 1e-4);
  EXPECT_NEAR(mirrored.ci95.high, -0.0569, 1e-4);
}

TEST(PairedStatistics, NoChangeGivesASymmetricIntervalAroundZero) {
  PairedDifference d = NewcombePairedDifference(PairedTable{12, 0, 0, 0});
  EXPECT_DOUBLE_EQ(d.estimate, 0);
  EXPECT_NEAR(d.ci95.low, -0.2425, 1e-4);
  EXPECT_NEAR(d.ci95.high, 0.2425, 1e-4);
  EXPECT_DOUBLE_EQ(d.se, 0);
}

TEST(PairedStatistics, EveryItemRegressingIsAClearDrop) {
  PairedDifference d = NewcombePairedDifference(PairedTable{0, 12, 0, 0});
  EXPECT_DOUBLE_EQ(d.estimate, -1);
  EXPECT_DOUBLE_EQ(d.ci95.low, -1);
  EXPECT_NEAR(d.ci95.high, -0.6571, 1e-4);
}

TEST(PairedStatistics, EmptyTableIsUninformative) {
  PairedDifference d = NewcombePairedDifference(PairedTable{});
  EXPECT_DOUBLE_EQ(d.ci95.low, -1);
  EXPECT_DOUBLE_EQ(d.ci95.high, 1);
}

TEST(PairedStatistics, PairedStandardError) {
  // p_disc = 14/50, estimate 0.2: sqrt((0.28 - 0.04) / 50).
  PairedDifference d = NewcombePairedDifference(PairedTable{36, 2, 12, 0});
  EXPECT_NEAR(d.se, std::sqrt(0.24 / 50), 1e-12);
}

std::vector<PairedOutcome> Repeated(int both_pass, int regress, int improve, int both_fail, int repeats) {
  std::vector<PairedOutcome> out;
  int64_t cluster = 0;
  auto add = [&](int count, bool base, bool cand) {
    for (int i = 0; i < count; ++i, ++cluster) {
      for (int r = 0; r < repeats; ++r) out.push_back({cluster, base, cand});
    }
  };
  add(both_pass, true, true);
  add(regress, true, false);
  add(improve, false, true);
  add(both_fail, false, false);
  return out;
}

TEST(PairedStatistics, WithoutRepeatsClusteringChangesNothing) {
  PairedDifference clustered = ClusteredPairedDifference(Repeated(36, 2, 12, 0, 1));
  EXPECT_DOUBLE_EQ(clustered.design_effect, 1);
  EXPECT_NEAR(clustered.ci95.low, 0.0569, 1e-4);
  EXPECT_NEAR(clustered.ci95.high, 0.3404, 1e-4);
}

TEST(PairedStatistics, IdenticalRepeatsCountAsOneObservationPerItem) {
  // 10 items x 3 identical repeats: the cluster-robust variance over the independent one is 3 * m/(m-1) = 10/3, so
  // the 30 pairs count as 9 effective pairs, and the interval is no narrower than the one item per pair table's.
  PairedDifference clustered = ClusteredPairedDifference(Repeated(6, 3, 1, 0, 3));
  EXPECT_NEAR(clustered.design_effect, 10.0 / 3.0, 1e-9);
  EXPECT_NEAR(clustered.n, 9, 1e-9);
  EXPECT_NEAR(clustered.estimate, -0.2, 1e-12);
  PairedDifference once = NewcombePairedDifference(PairedTable{6, 3, 1, 0});
  EXPECT_LE(clustered.ci95.low, once.ci95.low);
  EXPECT_GE(clustered.ci95.high, once.ci95.high);
  PairedDifference naive = NewcombePairedDifference(PairedTable{18, 9, 3, 0});
  EXPECT_LT(clustered.ci95.low, naive.ci95.low);
}

TEST(PairedStatistics, RepeatsWithNoDiscordanceUseTheClusterSize) {
  PairedDifference clustered = ClusteredPairedDifference(Repeated(12, 0, 0, 0, 3));
  EXPECT_DOUBLE_EQ(clustered.design_effect, 3);
  EXPECT_NEAR(clustered.ci95.low, -0.2425, 1e-4);  // As wide as 12 single items.
}

TEST(PairedStatistics, MinimumDetectableDrop) {
  // (z_0.975 + z_0.8)^2 / (n + z^2) with no discordant pairs.
  EXPECT_NEAR(MinimumDetectableDrop(12, 0), 0.39543, 1e-4);
  // z * sqrt(p / (n + z^2)).
  EXPECT_NEAR(MinimumDetectableDrop(12, 1), 0.62883, 1e-4);
  EXPECT_NEAR(MinimumDetectableDrop(100, 0.2), 0.12065, 1e-4);
  EXPECT_DOUBLE_EQ(MinimumDetectableDrop(0, 0.5), 1);
  EXPECT_LT(MinimumDetectableDrop(1000, 0.1), MinimumDetectableDrop(100, 0.1));
}

}  // namespace
}  // namespace llmeval
