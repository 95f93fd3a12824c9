#include "engine/run/run_summary.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "core/strings.h"

namespace llmeval {
namespace {

// The passes after the first over a variant's measured latencies, in the caller's read transaction.
Status FinishLatencies(Store* store, int64_t run_id, int64_t variant_id, PercentileSelector* selector) {
  while (true) {
    Result<bool> again = selector->EndPass();
    if (!again.ok()) return again.status();
    if (!*again) return Status::OK();
    Status s = store->ForEachMeasuredLatency(run_id, variant_id, [&](double v) { selector->Add(v); });
    if (!s.ok()) return s;
  }
}

}  // namespace

Assessment AssessmentFromRow(const AssessmentRow& row) {
  Assessment a;
  a.name = row.name;
  a.outcome = ParseAssessmentOutcome(row.outcome).value_or(AssessmentOutcome::kError);
  a.score = row.score;
  a.label = row.label;
  a.rationale = row.rationale;
  a.source = ParseAssessmentSource(row.source).value_or(AssessmentSource::kCode);
  a.error = row.error;
  a.judge_model = row.judge_model;
  a.judge_input_tokens = row.judge_input_tokens;
  a.judge_output_tokens = row.judge_output_tokens;
  a.judge_cost_usd = row.judge_cost_usd;
  a.judge_samples = row.judge_samples;
  a.judge_agreement = row.judge_agreement.value_or(0);
  return a;
}

std::string InputValue(const ItemRecord& item, const std::string& column) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(item.inputs_json).get(root) != simdjson::SUCCESS) return "";
  std::string_view v;
  if (root[column].get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

namespace {

// The columns of `item`'s inputs, in order; empty when they do not parse.
std::vector<std::string> InputColumns(const ItemRecord& item) {
  std::vector<std::string> columns;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(item.inputs_json).get(root) != simdjson::SUCCESS) return columns;
  for (auto field : root) columns.emplace_back(field.key);
  return columns;
}

// SummarizeRun's reads, in one read transaction: the first pass over the latencies is the pass over the items, and
// the later ones (see PercentileSelector) see the same items even while a writer adds more.
Status SummarizeInSnapshot(Store* store, int64_t run_id, const std::string& group_column, RunSummary* out) {
  RunSummary& summary = *out;
  Result<RunRecord> run = store->GetRun(run_id);
  if (!run.ok()) return run.status();
  summary.run = *run;
  Result<std::vector<VariantRecord>> variants = store->Variants(run_id);
  if (!variants.ok()) return variants.status();
  std::map<std::string, std::string> human_columns = ReadJudgeRunInfo(run->params_json).human_label_columns;

  // One streaming pass over the items: memory holds the per-variant tallies, not the items (except the few that carry
  // human labels, which agreement needs).
  struct Tally {
    VariantSummary vs;
    std::unique_ptr<AssessmentAggregator> aggregator;
    std::vector<ItemRecord> labelled;
    PercentileSelector latency{{0.50, 0.95}};  // Of the measured items: no error, not answered from the cache.
    bool cost_known = false;
    double cost = 0;
  };
  std::map<int64_t, Tally> tallies;
  for (const VariantRecord& v : *variants) {
    Tally& t = tallies[v.id];
    t.vs.variant = v;
    t.aggregator = std::make_unique<AssessmentAggregator>(group_column);
  }
  bool with_text = !group_column.empty() || !human_columns.empty();
  Status group_error;
  bool group_checked = false;
  Status s = store->ForEachItem(run_id, with_text, [&](const ItemRecord& item) {
    if (!group_column.empty() && !group_checked) {  // Every item of a run has the same columns: check the first.
      group_checked = true;
      std::vector<std::string> columns = InputColumns(item);
      if (std::find(columns.begin(), columns.end(), group_column) == columns.end()) {
        group_error = Status::InvalidInput("--group-by '" + group_column + "' is not a column of run " +
                                           std::to_string(run_id) + " (columns: " + JoinStrings(columns, ", ") + ")");
      }
    }
    auto found = tallies.find(item.variant_id);
    if (found == tallies.end()) return;
    Tally& t = found->second;
    VariantSummary& vs = t.vs;
    ++vs.items;
    if (!item.error.empty()) ++vs.errors;
    if (item.from_cache) {
      ++vs.cache_hits;
    } else if (item.error.empty()) {
      t.latency.Add(item.latency_ms);
      ++vs.latency_measured;
    }
    vs.input_tokens += item.input_tokens;
    vs.output_tokens += item.output_tokens;
    vs.tool_calls += item.tool_calls;
    if (item.cost_usd.has_value()) {
      t.cost_known = true;
      t.cost += *item.cost_usd;
    }
    t.aggregator->AddApplicationUsage(item.input_tokens, item.output_tokens, item.cost_usd);
    std::string group;
    if (!group_column.empty()) group = InputValue(item, group_column);
    bool has_human = false;
    t.aggregator->BeginItem(item.row_index);  // Repeats of a row come one after another (items stream in row order).
    for (const AssessmentRow& row : item.assessments) {
      Assessment a = AssessmentFromRow(row);
      if (a.source == AssessmentSource::kHuman) {
        a.name += " (human)";
        has_human = true;
      }
      t.aggregator->Add(a, group);
    }
    if (has_human || !human_columns.empty()) t.labelled.push_back(item);
  });
  if (!s.ok()) return s;
  if (!group_error.ok()) return group_error;
  for (const VariantRecord& v : *variants) {
    Tally& t = tallies[v.id];
    VariantSummary& vs = t.vs;
    if (t.cost_known) vs.cost_usd = t.cost;
    s = FinishLatencies(store, run_id, v.id, &t.latency);
    if (!s.ok()) return s;
    vs.latency_p50_ms = t.latency.Percentile(0);
    vs.latency_p95_ms = t.latency.Percentile(1);
    vs.scorers = t.aggregator->Overall();
    if (!group_column.empty()) vs.by_group = t.aggregator->ByGroup();
    std::vector<const ItemRecord*> labelled;
    for (const ItemRecord& item : t.labelled) labelled.push_back(&item);
    vs.human_agreement = ComputeHumanAgreement(labelled, human_columns);
    UsageTotals judge = t.aggregator->judge_usage();
    // No judge call costs nothing: $0, not an unknown price.
    vs.judge_cost_usd = judge.calls == 0 ? std::optional<double>(0.0) : judge.cost_usd;
    vs.judge_input_tokens = judge.input_tokens;
    vs.judge_output_tokens = judge.output_tokens;
    summary.variants.push_back(std::move(vs));
  }
  return Status::OK();
}

}  // namespace

Result<RunSummary> SummarizeRun(Store* store, int64_t run_id, const std::string& group_column) {
  RunSummary summary;
  summary.group_column = group_column;
  Status s = store->InReadTransaction([&] { return SummarizeInSnapshot(store, run_id, group_column, &summary); });
  if (!s.ok()) return s;
  return summary;
}

}  // namespace llmeval
