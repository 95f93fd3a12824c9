// SummarizeRun over a real store: the latency percentiles are the exact interpolated ones (cache hits and errors
// excluded) whatever the number of passes they take, and items stream in order with their own assessments.
#include "engine/run/run_summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "testing/sorted_percentile.h"
#include "testing/store_records.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using testing::SortedPercentile;

class RunSummaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.Path("store.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    run_ = testing::AddTestRun(store_.get());
  }

  int64_t AddVariant(const std::string& prompt) { return testing::AddTestVariant(store_.get(), run_, prompt); }

  static ItemRecord Item(int64_t run, int64_t variant, int64_t row, double latency_ms, bool from_cache = false,
                         const std::string& error = "") {
    ItemRecord it;
    it.run_id = run;
    it.variant_id = variant;
    it.row_index = row;
    it.item_key = "k" + std::to_string(row);
    it.latency_ms = latency_ms;
    it.from_cache = from_cache;
    it.error = error;
    it.output = error.empty() ? std::optional<std::string>("answer " + std::to_string(row)) : std::nullopt;
    AssessmentRow a;
    a.name = "enough_words";
    a.outcome = row % 4 == 0 ? "fail" : "pass";
    a.source = "code";
    a.rationale = "row " + std::to_string(row);
    it.assessments.push_back(a);
    return it;
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Store> store_;
  int64_t run_ = 0;
};

TEST_F(RunSummaryTest, PercentilesAreExactAndExcludeCacheHitsAndErrors) {
  int64_t big = AddVariant("big");
  int64_t small = AddVariant("small");
  int64_t cached = AddVariant("cached");
  // More measured items than the selector keeps at once (16384): the store is read again in passes.
  std::mt19937_64 rng(11);
  std::lognormal_distribution<double> latency(2.0, 0.8);
  std::vector<double> big_measured;
  std::vector<ItemRecord> batch;
  int64_t big_cache_hits = 0;
  int64_t big_errors = 0;
  for (int64_t row = 0; row < 20000; ++row) {
    double ms = std::round(latency(rng) * 1000) / 1000;
    if (row % 97 == 0) {
      batch.push_back(Item(run_, big, row, 1e6 + row, true));  // Cache hits: huge latencies that must not count.
      ++big_cache_hits;
    } else if (row % 89 == 0) {
      batch.push_back(Item(run_, big, row, 2e6 + row, false, "provider: HTTP 500"));
      ++big_errors;
    } else {
      batch.push_back(Item(run_, big, row, ms));
      big_measured.push_back(ms);
    }
    if (batch.size() == 512) {
      ASSERT_TRUE(store_->WriteItems(batch).ok());
      batch.clear();
    }
  }
  std::vector<double> small_measured = {30, 10, 20, 40, 25.5};
  int64_t row = 0;
  for (double ms : small_measured) batch.push_back(Item(run_, small, row++, ms));
  batch.push_back(Item(run_, small, row++, 5000, true));
  batch.push_back(Item(run_, small, row++, 9000, false, "timeout"));
  batch.push_back(Item(run_, cached, 0, 7, true));
  ASSERT_TRUE(store_->WriteItems(batch).ok());

  Result<RunSummary> summary = SummarizeRun(store_.get(), run_);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_EQ(summary->variants.size(), 3u);
  const VariantSummary& b = summary->variants[0];
  EXPECT_EQ(b.variant.prompt_name, "big");
  EXPECT_EQ(b.items, 20000);
  EXPECT_EQ(b.cache_hits, big_cache_hits);
  EXPECT_EQ(b.errors, big_errors);
  EXPECT_EQ(b.latency_p50_ms, SortedPercentile(big_measured, 0.50));
  EXPECT_EQ(b.latency_p95_ms, SortedPercentile(big_measured, 0.95));
  ASSERT_EQ(b.scorers.size(), 1u);
  EXPECT_EQ(b.scorers[0].passed + b.scorers[0].failed, 20000);
  EXPECT_EQ(b.scorers[0].failed, 5000);

  const VariantSummary& s = summary->variants[1];
  EXPECT_EQ(s.items, 7);
  EXPECT_EQ(s.latency_p50_ms, 25.5);                  // 10 20 25.5 30 40: rank 2.
  EXPECT_DOUBLE_EQ(s.latency_p95_ms, 30 + 10 * 0.8);  // Rank 3.8.
  const VariantSummary& c = summary->variants[2];
  EXPECT_EQ(c.cache_hits, 1);
  EXPECT_EQ(c.latency_p50_ms, 0);
  EXPECT_EQ(c.latency_p95_ms, 0);
}

TEST_F(RunSummaryTest, ItemsStreamInVariantRowOrderWithTheirOwnAssessments) {
  int64_t a = AddVariant("a");
  int64_t b = AddVariant("b");
  // Stored out of order, as concurrent items finish.
  std::vector<ItemRecord> items = {Item(run_, b, 1, 1), Item(run_, a, 2, 1), Item(run_, a, 0, 1), Item(run_, b, 0, 1),
                                   Item(run_, a, 1, 1)};
  items[2].assessments.clear();  // An item without assessments between two with.
  items[4].assessments.push_back(items[4].assessments[0]);
  items[4].assessments[1].name = "second";
  ASSERT_TRUE(store_->WriteItems(items).ok());
  std::vector<std::pair<int64_t, int64_t>> order;
  Status s = store_->ForEachItem(run_, true, [&](const ItemRecord& it) {
    order.emplace_back(it.variant_id, it.row_index);
    size_t expected = it.variant_id == a && it.row_index == 0 ? 0 : it.variant_id == a && it.row_index == 1 ? 2 : 1;
    ASSERT_EQ(it.assessments.size(), expected) << it.variant_id << "/" << it.row_index;
    for (const AssessmentRow& row : it.assessments) EXPECT_EQ(row.rationale, "row " + std::to_string(it.row_index));
    if (expected == 2) {
      EXPECT_EQ(it.assessments[1].name, "second");
    }
    EXPECT_EQ(*it.output, "answer " + std::to_string(it.row_index));
  });
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<std::pair<int64_t, int64_t>> want = {{a, 0}, {a, 1}, {a, 2}, {b, 0}, {b, 1}};
  EXPECT_EQ(order, want);
}

TEST_F(RunSummaryTest, ReadTransactionsNest) {
  int64_t v = AddVariant("a");
  ASSERT_TRUE(store_->WriteItems({Item(run_, v, 0, 4), Item(run_, v, 1, 8)}).ok());
  double p50 = 0;
  Status s = store_->InReadTransaction([&] {
    Result<RunSummary> inner = SummarizeRun(store_.get(), run_);
    if (inner.ok()) p50 = inner->variants[0].latency_p50_ms;
    return inner.status();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(p50, 6);
  // The store is usable for writing afterwards: no transaction was left open.
  ASSERT_TRUE(store_->WriteItems({Item(run_, v, 2, 12)}).ok());
  Result<RunSummary> after = SummarizeRun(store_.get(), run_);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->variants[0].latency_p50_ms, 8);
}

}  // namespace
}  // namespace llmeval
