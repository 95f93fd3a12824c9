// AssessmentAggregator: per-scorer summaries of a run's assessments: counts of passed/failed/errored/skipped, the pass
// rate over DECIDED items (pass + fail; errors never count as failures) with its Wilson interval (clustered by item
// when items are repeated: see BeginItem), the error rate over
// all items, the mean numeric score with its 95% interval, and the judge's tokens and cost kept apart from the
// application's. Optionally broken down by the value of one dataset column (e.g. category).
//
// Not thread-safe: feed it from one thread (or lock around it). Pure: no IO.
#ifndef LLMEVAL_SCORERS_AGGREGATE_H_
#define LLMEVAL_SCORERS_AGGREGATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scorers/assessment.h"
#include "scorers/statistics.h"

namespace llmeval {

struct ScorerSummary {
  std::string scorer;
  std::string group;  // The breakdown column's value; "" in the overall summaries (and for rows without a value).
  int64_t total = 0;
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t errored = 0;
  int64_t skipped = 0;
  int64_t decided() const { return passed + failed; }
  double pass_rate = 0;               // passed / decided; 0 when nothing was decided.
  Interval pass_rate_ci{0, 1};        // Wilson 95%, over effective counts when repeats are clustered.
  double design_effect = 1;           // Of the repeats of an item; 1 without repeats.
  double error_rate = 0;              // errored / total.
  std::optional<MeanEstimate> score;  // Over the assessments that carry a score; absent when none does.
  int64_t judge_input_tokens = 0;
  int64_t judge_output_tokens = 0;
  std::optional<double> judge_cost_usd;  // Sum of known judge costs; absent when none was known.
};

struct UsageTotals {
  int64_t calls = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  std::optional<double> cost_usd;  // Sum of known costs; absent when none was known.
  int64_t calls_without_cost = 0;
};

class AssessmentAggregator {
 public:
  // `group_column`: the dataset column to break results down by; "" for no breakdown.
  explicit AssessmentAggregator(std::string group_column = "") : group_column_(std::move(group_column)) {}

  const std::string& group_column() const { return group_column_; }

  // The assessments added from now on belong to dataset item `item` (e.g. its row index) until the next call. The
  // repeats of one item must be added one after another: their outcomes are correlated, so the pass rate's interval
  // treats each item's repeats as one cluster. Without calls every assessment is its own item.
  void BeginItem(int64_t item) { item_ = item; }

  // Adds one assessment of one item; `variables` are the item's dataset columns (for the breakdown).
  void Add(const Assessment& assessment, const std::map<std::string, std::string>& variables);
  // Adds one assessment with its breakdown value given directly.
  void Add(const Assessment& assessment, std::string_view group_value = {});

  // Adds the application's own usage for one item (not the judge's).
  void AddApplicationUsage(int64_t input_tokens, int64_t output_tokens, std::optional<double> cost_usd);

  // One summary per scorer, in the order scorers were first seen.
  std::vector<ScorerSummary> Overall() const;
  // One summary per (scorer, group value): scorers in first-seen order, groups sorted. Empty without a group column.
  std::vector<ScorerSummary> ByGroup() const;

  const UsageTotals& application_usage() const { return application_; }
  // The judges' usage over all assessments: calls counts judge samples.
  UsageTotals judge_usage() const;

 private:
  struct Tally {
    int64_t passed = 0, failed = 0, errored = 0, skipped = 0;
    RunningMean scores;  // Constant memory, however many items.
    int64_t judge_input_tokens = 0, judge_output_tokens = 0, judge_samples = 0, judge_samples_without_cost = 0;
    std::optional<double> judge_cost_usd;
    // The decided outcomes per item: the items closed so far and the open one.
    ClusterTotals items;
    int64_t open_item = -1;
    double open_passed = 0, open_decided = 0;
    void Add(const Assessment& a, int64_t item);
    ClusterTotals AllItems() const;
  };
  static ScorerSummary Summarize(const std::string& scorer, const std::string& group, const Tally& tally);
  size_t ScorerIndex(const std::string& name);

  std::string group_column_;
  int64_t item_ = -1;                 // Set by BeginItem; -1: each assessment is its own item.
  int64_t next_unnamed_ = -2;         // Item ids for assessments added without BeginItem (never >= 0).
  std::vector<std::string> scorers_;  // First-seen order.
  std::map<std::string, size_t> scorer_index_;
  std::vector<Tally> overall_;                          // By scorer index.
  std::vector<std::map<std::string, Tally>> by_group_;  // By scorer index, then group value.
  UsageTotals application_;
};

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_AGGREGATE_H_
