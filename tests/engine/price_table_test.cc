// Tests of the price table: known models, dated snapshots, router prefixes, cached tokens, unknown = nullopt.
#include "engine/providers/price_table.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

Usage MakeUsage(int64_t input, int64_t output, int64_t cached = 0) {
  Usage u;
  u.reported = true;
  u.input_tokens = input;
  u.output_tokens = output;
  u.cached_tokens = cached;
  return u;
}

TEST(PriceTableTest, DefaultsCoverCommonModels) {
  PriceTable table = PriceTable::Defaults();
  for (const char* model : {"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini", "gpt-5", "gpt-5-mini",
                            "gpt-5-nano", "o3", "o4-mini", "sim"}) {
    std::optional<Price> price = table.Find(model);
    ASSERT_TRUE(price.has_value()) << model;
    EXPECT_GT(price->input_per_mtok, 0) << model;
    EXPECT_GT(price->output_per_mtok, price->input_per_mtok) << model;
    EXPECT_LE(price->cached_input_per_mtok, price->input_per_mtok) << model;
  }
}

TEST(PriceTableTest, CostFromUsage) {
  PriceTable table = PriceTable::Defaults();
  // gpt-4.1-mini: $0.40 in, $1.60 out, $0.10 cached per million.
  EXPECT_DOUBLE_EQ(*table.CostUsd("gpt-4.1-mini", MakeUsage(1'000'000, 0)), 0.40);
  EXPECT_DOUBLE_EQ(*table.CostUsd("gpt-4.1-mini", MakeUsage(0, 1'000'000)), 1.60);
  EXPECT_DOUBLE_EQ(*table.CostUsd("gpt-4.1-mini", MakeUsage(1'000'000, 0, 500'000)), 0.25);
  EXPECT_DOUBLE_EQ(*table.CostUsd("sim", MakeUsage(1000, 500)), *table.CostUsd("gpt-4.1-mini", MakeUsage(1000, 500)));
}

TEST(PriceTableTest, SnapshotsAndPrefixesMatchTheirBase) {
  PriceTable table = PriceTable::Defaults();
  Usage u = MakeUsage(1000, 1000);
  EXPECT_EQ(table.CostUsd("gpt-4.1-mini-2025-04-14", u), table.CostUsd("gpt-4.1-mini", u));
  EXPECT_EQ(table.CostUsd("gpt-4o-2024-08-06", u), table.CostUsd("gpt-4o", u));
  EXPECT_EQ(table.CostUsd("openai/gpt-4o-mini", u), table.CostUsd("gpt-4o-mini", u));
  EXPECT_NE(table.CostUsd("gpt-4o-mini", u), table.CostUsd("gpt-4o", u));
}

TEST(PriceTableTest, UnknownIsNotZero) {
  PriceTable table = PriceTable::Defaults();
  EXPECT_FALSE(table.CostUsd("llama3:8b", MakeUsage(10, 10)).has_value());
  EXPECT_FALSE(table.CostUsd("gpt-4.1-mini-preview", MakeUsage(10, 10)).has_value());
  EXPECT_FALSE(table.CostUsd("gpt-4.1-mini", Usage{}).has_value());  // No usage reported.
  table.Set("llama3:8b", {0.0, 0.0, 0.0});
  EXPECT_EQ(table.CostUsd("llama3:8b", MakeUsage(10, 10)), 0.0);  // Explicitly free.
}

}  // namespace
}  // namespace llmeval
