// CompareRuns merges two runs streamed in item-key order. It must agree with pairing them in memory (a map from
// (item_key, repeat) to the item, the last row winning for a duplicated key) on every figure, whatever the order the
// items were stored in, and keep exact flip counts while listing at most kMaxListedFlips flips per scorer.
#include "engine/run/run_compare.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "testing/store_records.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

class RunCompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> store = Store::Open(dir_.Path("store.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  // A run with one variant; returns {run id, variant id}.
  std::pair<int64_t, int64_t> CreateRun(const std::string& prompt) {
    int64_t run = testing::AddTestRun(store_.get());
    return {run, testing::AddTestVariant(store_.get(), run, prompt)};
  }

  testing::ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

AssessmentRow Assessment(const std::string& name, const std::string& outcome) {
  AssessmentRow a;
  a.name = name;
  a.outcome = outcome;
  a.source = "code";
  a.rationale = name + " said " + outcome;
  return a;
}

// Random items: keys drawn from a small pool (so rows repeat keys), random repeats, outcomes that include errors and
// skips, scorers that are sometimes missing or present twice.
std::vector<ItemRecord> RandomItems(std::mt19937_64* rng, int64_t run, int64_t variant, int rows) {
  std::vector<ItemRecord> items;
  const char* outcomes[] = {"pass", "pass", "fail", "error", "skipped"};
  for (int row = 0; row < rows; ++row) {
    for (int repeat = 0; repeat < 2; ++repeat) {
      if ((*rng)() % 7 == 0) continue;
      ItemRecord it;
      it.run_id = run;
      it.variant_id = variant;
      it.row_index = row;
      it.repeat = repeat;
      it.item_key = "key" + std::to_string((*rng)() % (rows * 3 / 4 + 1));
      it.rendered_input = "question of row " + std::to_string(row) + std::string((*rng)() % 300, 'x');
      it.output = "answer";
      for (const char* scorer : {"alpha", "beta", "gamma"}) {
        int copies = static_cast<int>((*rng)() % 5 == 0 ? 0 : ((*rng)() % 9 == 0 ? 2 : 1));
        for (int c = 0; c < copies; ++c) it.assessments.push_back(Assessment(scorer, outcomes[(*rng)() % 5]));
      }
      items.push_back(it);
    }
  }
  std::shuffle(items.begin(), items.end(), *rng);  // Stored order must not matter.
  return items;
}

// The in-memory pairing CompareRuns must agree with.
struct Reference {
  int64_t items_a = 0, items_b = 0, paired_items = 0;
  std::map<std::string, std::tuple<int64_t, double, double, int64_t, int64_t>> scorers;  // paired, rate a, b, -, +
  std::map<std::string, PairedDifference> differences;  // The gate's clustered interval over the same pairs.
};

Reference Pair(const std::vector<ItemRecord>& a_items, const std::vector<ItemRecord>& b_items) {
  auto index = [](const std::vector<ItemRecord>& items) {
    std::vector<const ItemRecord*> sorted;
    for (const ItemRecord& it : items) sorted.push_back(&it);
    std::sort(sorted.begin(), sorted.end(),
              [](const ItemRecord* x, const ItemRecord* y) { return x->row_index < y->row_index; });
    std::map<std::pair<std::string, int>, const ItemRecord*> out;
    for (const ItemRecord* it : sorted) out[{it->item_key, it->repeat}] = it;  // The last row wins.
    return out;
  };
  auto find = [](const ItemRecord& it, const std::string& name) -> const AssessmentRow* {
    for (const AssessmentRow& a : it.assessments) {
      if (a.name == name) return &a;
    }
    return nullptr;
  };
  auto decided = [](const AssessmentRow* a) { return a != nullptr && (a->outcome == "pass" || a->outcome == "fail"); };
  auto a = index(a_items), b = index(b_items);
  Reference ref;
  ref.items_a = static_cast<int64_t>(a.size());
  ref.items_b = static_cast<int64_t>(b.size());
  for (const auto& [key, item_b] : b) ref.paired_items += static_cast<int64_t>(a.count(key));
  for (const char* name : {"alpha", "beta", "gamma"}) {
    int64_t paired = 0, worse = 0, better = 0;
    double pass_a = 0, pass_b = 0;
    std::vector<PairedOutcome> outcomes;
    std::map<std::string, int64_t> clusters;  // Item key -> cluster number.
    for (const auto& [key, item_b] : b) {
      auto found = a.find(key);
      if (found == a.end()) continue;
      const AssessmentRow* x = find(*found->second, name);
      const AssessmentRow* y = find(*item_b, name);
      if (!decided(x) || !decided(y)) continue;
      ++paired;
      pass_a += x->outcome == "pass";
      pass_b += y->outcome == "pass";
      if (x->outcome != y->outcome) (y->outcome == "pass" ? better : worse)++;
      int64_t cluster = clusters.emplace(key.first, static_cast<int64_t>(clusters.size())).first->second;
      outcomes.push_back({cluster, x->outcome == "pass", y->outcome == "pass"});
    }
    ref.differences[name] = ClusteredPairedDifference(outcomes);
    ref.scorers[name] = {paired, paired ? pass_a / paired : 0, paired ? pass_b / paired : 0, worse, better};
  }
  return ref;
}

TEST_F(RunCompareTest, AgreesWithPairingInMemory) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    auto [run_a, variant_a] = CreateRun("p");
    auto [run_b, variant_b] = CreateRun("p");
    std::vector<ItemRecord> a_items = RandomItems(&rng, run_a, variant_a, 400);
    std::vector<ItemRecord> b_items = RandomItems(&rng, run_b, variant_b, 400);
    ASSERT_TRUE(store_->WriteItems(a_items).ok());
    ASSERT_TRUE(store_->WriteItems(b_items).ok());

    Result<RunComparison> cmp = CompareRuns(store_.get(), run_a, run_b);
    ASSERT_TRUE(cmp.ok()) << cmp.status().message();
    ASSERT_EQ(cmp->variants.size(), 1u);
    const VariantComparison& vc = cmp->variants[0];
    Reference ref = Pair(a_items, b_items);
    EXPECT_EQ(vc.items_a, ref.items_a);
    EXPECT_EQ(vc.items_b, ref.items_b);
    EXPECT_EQ(vc.paired_items, ref.paired_items);
    ASSERT_EQ(vc.scorers.size(), 3u) << "seed " << seed;
    for (const ScorerComparison& sc : vc.scorers) {
      const auto& [paired, rate_a, rate_b, worse, better] = ref.scorers.at(sc.scorer);
      EXPECT_EQ(sc.paired, paired) << sc.scorer;
      EXPECT_DOUBLE_EQ(sc.rate_a, rate_a) << sc.scorer;
      EXPECT_DOUBLE_EQ(sc.rate_b, rate_b) << sc.scorer;
      EXPECT_NEAR(sc.delta.estimate, rate_b - rate_a, 1e-12) << sc.scorer;
      const PairedDifference& gate = ref.differences.at(sc.scorer);  // The same interval as the gate's.
      EXPECT_NEAR(sc.delta.ci95.low, gate.ci95.low, 1e-12) << sc.scorer;
      EXPECT_NEAR(sc.delta.ci95.high, gate.ci95.high, 1e-12) << sc.scorer;
      EXPECT_NEAR(sc.delta.design_effect, gate.design_effect, 1e-12) << sc.scorer;
      EXPECT_LT(sc.delta.ci95.low, sc.delta.estimate);
      EXPECT_EQ(sc.flipped_worse, worse) << sc.scorer;
      EXPECT_EQ(sc.flipped_better, better) << sc.scorer;
      ASSERT_EQ(static_cast<int64_t>(sc.flipped.size()), worse + better);
      for (const FlippedItem& f : sc.flipped) {
        EXPECT_LE(f.question.size(), 160u);
        EXPECT_EQ(f.question.rfind("question of row ", 0), 0u);
        EXPECT_NE(f.item_a, 0);
        EXPECT_NE(f.item_b, 0);
      }
      // Listed in item-key order.
      EXPECT_TRUE(std::is_sorted(sc.flipped.begin(), sc.flipped.end(), [](const FlippedItem& x, const FlippedItem& y) {
        return std::tie(x.item_key, x.repeat) < std::tie(y.item_key, y.repeat);
      }));
    }
  }
}

TEST_F(RunCompareTest, CountsEveryFlipButListsAtMostTheCap) {
  auto [run_a, variant_a] = CreateRun("p");
  auto [run_b, variant_b] = CreateRun("p");
  const int n = static_cast<int>(kMaxListedFlips) + 300;
  std::vector<ItemRecord> a_items, b_items;
  for (int row = 0; row < n; ++row) {
    for (bool in_b : {false, true}) {
      ItemRecord it;
      it.run_id = in_b ? run_b : run_a;
      it.variant_id = in_b ? variant_b : variant_a;
      it.row_index = row;
      it.item_key = "k" + std::to_string(row);
      // Every item flips: two thirds get worse, one third better.
      bool passes = (row % 3 == 0) == in_b;
      it.assessments.push_back(Assessment("s", passes ? "pass" : "fail"));
      (in_b ? b_items : a_items).push_back(it);
    }
  }
  ASSERT_TRUE(store_->WriteItems(a_items).ok());
  ASSERT_TRUE(store_->WriteItems(b_items).ok());
  Result<RunComparison> cmp = CompareRuns(store_.get(), run_a, run_b);
  ASSERT_TRUE(cmp.ok()) << cmp.status().message();
  const ScorerComparison& sc = cmp->variants.at(0).scorers.at(0);
  EXPECT_EQ(sc.paired, n);
  EXPECT_EQ(sc.flipped_better + sc.flipped_worse, n);
  EXPECT_EQ(sc.flipped_better, (n + 2) / 3);
  EXPECT_EQ(sc.flipped.size(), kMaxListedFlips);
}

TEST_F(RunCompareTest, UnchangedItemsStillLeaveAnInterval) {
  // Twelve items (three repeats each) that pass in both runs: no flip, yet twelve items cannot rule out a drop of
  // about a quarter (docs/GATE.md). A t-interval over the differences collapsed to [0, 0] here.
  auto [run_a, variant_a] = CreateRun("p");
  auto [run_b, variant_b] = CreateRun("p");
  std::vector<ItemRecord> items;
  for (int row = 0; row < 12; ++row) {
    for (int repeat = 0; repeat < 3; ++repeat) {
      for (bool in_b : {false, true}) {
        ItemRecord it;
        it.run_id = in_b ? run_b : run_a;
        it.variant_id = in_b ? variant_b : variant_a;
        it.row_index = row;
        it.repeat = repeat;
        it.item_key = "k" + std::to_string(row);
        it.assessments.push_back(Assessment("s", "pass"));
        items.push_back(it);
      }
    }
  }
  ASSERT_TRUE(store_->WriteItems(items).ok());
  Result<RunComparison> cmp = CompareRuns(store_.get(), run_a, run_b);
  ASSERT_TRUE(cmp.ok()) << cmp.status().message();
  const ScorerComparison& sc = cmp->variants.at(0).scorers.at(0);
  EXPECT_EQ(sc.paired, 36);
  EXPECT_EQ(sc.delta.estimate, 0);
  EXPECT_GT(sc.delta.design_effect, 2.9);  // Identical repeats count about once per item.
  EXPECT_LT(sc.delta.ci95.low, -0.2);
  EXPECT_GT(sc.delta.ci95.high, 0.2);
}

}  // namespace
}  // namespace llmeval
