// RunSummary: what a finished (or interrupted) run measured, per prompt x model variant: items, errors, tokens, cost,
// latency percentiles (cache hits excluded), and per scorer the passed / failed / errored / skipped counts with the
// pass rate's Wilson 95% interval, optionally broken down by a dataset column. Computed from the store.
#ifndef LLMEVAL_ENGINE_RUN_RUN_SUMMARY_H_
#define LLMEVAL_ENGINE_RUN_RUN_SUMMARY_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/run/engine_scorers.h"
#include "engine/store/store.h"
#include "scorers/aggregate.h"
#include "scorers/percentile_selector.h"

namespace llmeval {

struct VariantSummary {
  VariantRecord variant;
  int64_t items = 0;
  int64_t errors = 0;
  int64_t cache_hits = 0;
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  std::optional<double> cost_usd;  // Application calls; absent when no price is known.
  std::optional<double> judge_cost_usd;
  int64_t judge_input_tokens = 0;
  int64_t judge_output_tokens = 0;
  int64_t latency_measured = 0;  // Items whose latency counts: answered by a model call, not the cache, no error.
  double latency_p50_ms = 0;     // Of the measured items; 0 when none was measured (latency_measured == 0).
  double latency_p95_ms = 0;
  int64_t tool_calls = 0;
  std::vector<ScorerSummary> scorers;
  std::vector<ScorerSummary> by_group;  // When a group column was asked for.
  // Scorers against people (human feedback, human label columns); human verdicts themselves are summarized
  // under "<scorer> (human)", never in the scorer's own counts.
  std::vector<HumanAgreement> human_agreement;
};

struct RunSummary {
  RunRecord run;
  std::vector<VariantSummary> variants;
  std::string group_column;
};

// `group_column` (normalised name, or "") selects the breakdown. Memory does not grow with the run's items: they are
// streamed once, and the latency percentiles come from a few more streaming passes (PercentileSelector), all in one
// read transaction of the store.
Result<RunSummary> SummarizeRun(Store* store, int64_t run_id, const std::string& group_column = "");

// Converts a stored assessment back to the scorers' type.
Assessment AssessmentFromRow(const AssessmentRow& row);

// The value of a column in an item's stored inputs, or "".
std::string InputValue(const ItemRecord& item, const std::string& column);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_SUMMARY_H_
