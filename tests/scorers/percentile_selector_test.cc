// PercentileSelector against sorting: the exact interpolated percentiles, whatever the number of passes it takes.
#include "scorers/percentile_selector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "testing/sorted_percentile.h"

namespace llmeval {
namespace {

using testing::SortedPercentile;

const std::vector<double> kPs = {0.0, 0.25, 0.5, 0.95, 0.999, 1.0};

// Feeds `values` to a selector pass after pass, as the store does; returns the passes taken.
int Select(const std::vector<double>& values, PercentileSelector* selector) {
  for (int pass = 1;; ++pass) {
    for (double v : values) selector->Add(v);
    Result<bool> again = selector->EndPass();
    EXPECT_TRUE(again.ok()) << again.status().message();
    if (!again.ok() || !*again) return pass;
    EXPECT_LT(pass, 200) << "does not converge";
    if (pass >= 200) return pass;
  }
}

void ExpectExact(const std::vector<double>& values, size_t max_buffered, size_t buckets, const std::string& what,
                 int* passes = nullptr) {
  PercentileSelector selector(kPs, max_buffered, buckets);
  int taken = Select(values, &selector);
  if (passes != nullptr) *passes = taken;
  EXPECT_EQ(selector.count(), static_cast<int64_t>(values.size())) << what;
  for (size_t i = 0; i < kPs.size(); ++i) {
    EXPECT_EQ(selector.Percentile(i), SortedPercentile(values, kPs[i]))
        << what << ": p" << kPs[i] << " with max_buffered " << max_buffered << ", " << buckets << " buckets";
  }
}

TEST(PercentileSelectorTest, NoValuesGiveZero) {
  PercentileSelector selector({0.5, 0.95});
  EXPECT_EQ(Select({}, &selector), 1);
  EXPECT_EQ(selector.Percentile(0), 0);
  EXPECT_EQ(selector.Percentile(1), 0);
}

TEST(PercentileSelectorTest, FewValuesTakeOnePass) {
  std::vector<double> values = {12.5, 3, 7.25, 3, 100, 0.5, 41};
  int passes = 0;
  ExpectExact(values, 16, 8, "seven values", &passes);
  EXPECT_EQ(passes, 1);
  ExpectExact({42}, 16, 8, "one value");
}

TEST(PercentileSelectorTest, ManyValuesAreNarrowedInPassesToTheExactValues) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> latency(1.0, 1.2);
  std::vector<double> skewed;
  for (int i = 0; i < 5000; ++i) skewed.push_back(latency(rng));
  std::uniform_int_distribution<int> small(0, 9);
  std::vector<double> duplicates;  // Ten distinct values: ranges collapse to one value.
  for (int i = 0; i < 3000; ++i) duplicates.push_back(small(rng) * 1.5);
  std::vector<double> equal(2000, 3.25);
  std::vector<double> extremes = {-0.0,
                                  0.0,
                                  -1e308,
                                  1e308,
                                  std::numeric_limits<double>::denorm_min(),
                                  -std::numeric_limits<double>::denorm_min(),
                                  std::numeric_limits<double>::max(),
                                  std::numeric_limits<double>::lowest(),
                                  1,
                                  1 + 1e-15,
                                  -2.5};
  for (int i = 0; i < 500; ++i) extremes.push_back(std::ldexp(1.0 + i * 1e-16, (i % 40) - 20) * (i % 3 == 0 ? -1 : 1));
  std::vector<double> sorted_input = skewed;
  std::sort(sorted_input.begin(), sorted_input.end());

  for (auto [max_buffered, buckets] : {std::pair<size_t, size_t>{1, 2}, {4, 3}, {16, 8}, {64, 4096}, {100000, 2}}) {
    int passes = 0;
    ExpectExact(skewed, max_buffered, buckets, "lognormal", &passes);
    if (max_buffered < skewed.size()) {
      EXPECT_GT(passes, 1) << "more values than max_buffered must take more than one pass";
    } else {
      EXPECT_EQ(passes, 1);
    }
    ExpectExact(duplicates, max_buffered, buckets, "ten distinct values");
    ExpectExact(equal, max_buffered, buckets, "all equal");
    ExpectExact(extremes, max_buffered, buckets, "extremes");
    ExpectExact(sorted_input, max_buffered, buckets, "sorted input");
  }
}

TEST(PercentileSelectorTest, APassThatSeesOtherValuesIsAnError) {
  PercentileSelector selector({0.5}, 2, 2);
  for (double v : {1.0, 2.0, 3.0, 4.0}) selector.Add(v);
  Result<bool> again = selector.EndPass();
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(*again);
  for (double v : {1.0, 2.0, 3.0}) selector.Add(v);
  again = selector.EndPass();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace llmeval
