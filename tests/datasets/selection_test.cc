// Column normalization, row ids, filters and the reservoir sampler.
#include "datasets/selection.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "datasets/column_names.h"
#include "datasets/data_row.h"

namespace llmeval {
namespace {

TEST(NormalizeColumnNameTest, Table) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Category", "category"},
      {"WEIGHT (DIFFICULTY)", "weight_difficulty"},
      {"Expected Response", "expected_response"},
      {"expected_response", "expected_response"},
      {"  __Leading and trailing!!  ", "leading_and_trailing"},
      {"a--b..c", "a_b_c"},
      {"Q1 / Q2", "q1_q2"},
      {"Caf\xC3\xA9 Cr\xC3\xA8me", "caf\xC3\xA9_cr\xC3\xA8me"},  // Non-ASCII letters kept as is.
      {"\xC3\x89t\xC3\xA9", "\xC3\x89t\xC3\xA9"},                // Not lowercased: ASCII only.
      {"no\xC2\xA0"
       "break",
       "no_break"},  // U+00A0 separates like a space.
      {"tab\tand\nnewline", "tab_and_newline"},
      {"?\?\?", ""},
      {"", ""},
      {"x", "x"},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(NormalizeColumnName(input), expected) << input;
}

TEST(RowContentIdTest, StableAcrossRunsAndPositions) {
  DataRow row;
  row.values = {"math", "What is 2+2?", "1"};
  // Fixed value: changing it breaks pairing of rows with earlier runs.
  EXPECT_EQ(RowContentId(row), "81be6b788a5f4e54");
  DataRow moved = row;
  moved.index = 41;
  moved.line = 99;
  moved.warnings = {"w"};
  EXPECT_EQ(RowContentId(moved), RowContentId(row));
  DataRow changed = row;
  changed.values[2] = "2";
  EXPECT_NE(RowContentId(changed), RowContentId(row));
  DataRow split;  // The separator keeps ["ab","c"] and ["a","bc"] apart.
  split.values = {"ab", "c"};
  DataRow split2;
  split2.values = {"a", "bc"};
  EXPECT_NE(RowContentId(split), RowContentId(split2));
}

TEST(RowContentIdTest, IdColumn) {
  DataRow row;
  row.values = {"q-17", "text"};
  EXPECT_EQ(RowContentId(row, 0), "q-17");
  EXPECT_EQ(RowContentId(row, 5), RowContentId(row));
  EXPECT_EQ(RowContentId(row, -1), RowContentId(row));
}

TEST(RowFilterTest, Parse) {
  Result<RowFilter> f = ParseRowFilter("Category=Math");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->column, "category");
  EXPECT_EQ(f->value, "Math");
  Result<RowFilter> eq = ParseRowFilter("Expected Response=a=b");
  ASSERT_TRUE(eq.ok());
  EXPECT_EQ(eq->column, "expected_response");
  EXPECT_EQ(eq->value, "a=b");
  Result<RowFilter> empty_value = ParseRowFilter("tag=");
  ASSERT_TRUE(empty_value.ok());
  EXPECT_EQ(empty_value->value, "");
  Result<RowFilter> no_equals = ParseRowFilter("category");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_EQ(no_equals.status().message(), "filter 'category' must look like column=value");
  Result<RowFilter> no_column = ParseRowFilter("=x");
  ASSERT_FALSE(no_column.ok());
  EXPECT_EQ(no_column.status().message(), "filter '=x' names no column; it must look like column=value");
}

TEST(RowSelectorTest, MatchesEveryFilterExactly) {
  std::vector<std::string> columns = {"category", "difficulty", "question"};
  Result<RowSelector> selector =
      RowSelector::Create({*ParseRowFilter("Category=math"), *ParseRowFilter("difficulty=hard")}, columns);
  ASSERT_TRUE(selector.ok());
  DataRow row;
  row.values = {"math", "hard", "q"};
  EXPECT_TRUE(selector->Matches(row));
  row.values = {"Math", "hard", "q"};  // Case-sensitive.
  EXPECT_FALSE(selector->Matches(row));
  row.values = {"math", "easy", "q"};
  EXPECT_FALSE(selector->Matches(row));
  row.values = {"math"};  // Short row: never matches, never crashes.
  EXPECT_FALSE(selector->Matches(row));
  EXPECT_TRUE(RowSelector().Matches(row));
}

TEST(RowSelectorTest, UnknownColumnSuggests) {
  Result<RowSelector> selector = RowSelector::Create({*ParseRowFilter("categroy=x")}, {"category", "question"});
  ASSERT_FALSE(selector.ok());
  EXPECT_EQ(selector.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(selector.status().message(),
            "filter column 'categroy' is not a column of the data set; did you mean 'category'? "
            "(columns: category, question)");
}

std::vector<int64_t> Sample(size_t n, uint64_t seed, int total) {
  ReservoirSampler sampler(n, seed);
  for (int i = 0; i < total; ++i) {
    DataRow row;
    row.index = i;
    row.values = {std::to_string(i)};
    sampler.Offer(row);
  }
  EXPECT_EQ(sampler.seen(), total);
  std::vector<int64_t> out;
  for (const DataRow& row : sampler.Take()) {
    EXPECT_EQ(row.values[0], std::to_string(row.index));
    out.push_back(row.index);
  }
  return out;
}

TEST(ReservoirSamplerTest, DeterministicSizedAndInOriginalOrder) {
  std::vector<int64_t> a = Sample(10, 42, 1000);
  EXPECT_EQ(a, Sample(10, 42, 1000));
  EXPECT_NE(a, Sample(10, 43, 1000));
  ASSERT_EQ(a.size(), 10u);
  EXPECT_TRUE(std::is_sorted(a.begin(), a.end()));
  EXPECT_EQ(std::set<int64_t>(a.begin(), a.end()).size(), 10u);
  EXPECT_EQ(Sample(10, 1, 4), (std::vector<int64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(Sample(0, 1, 4).empty());
}

TEST(ReservoirSamplerTest, RoughlyUniform) {
  std::map<int64_t, int> hits;
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    for (int64_t index : Sample(3, seed, 10)) ++hits[index];
  }
  ASSERT_EQ(hits.size(), 10u);
  for (const auto& [index, count] : hits) {  // Expected 600 each; deterministic, so not flaky.
    EXPECT_GT(count, 500) << index;
    EXPECT_LT(count, 700) << index;
  }
}

}  // namespace
}  // namespace llmeval
