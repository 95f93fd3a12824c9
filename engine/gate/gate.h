// The quality gate (`llmeval gate`): evaluates the rules of the project's `gate:` section against the results of one
// or more targets (a prompt x model variant of a run), each optionally paired with a baseline.
//
// Absolute rules per scorer: min_pass_rate (point estimate or Wilson lower bound; nothing decided fails),
// max_error_rate (errored / all items: unmeasured items fail the gate rather than passing it silently), and per
// target max_cost_usd (application + judge; an unknown cost fails) and max_p95_latency_ms (cache hits excluded).
// Relative rules (max_drop) pair candidate and baseline outcomes by item id and repeat; pairs where either side is not
// decided are left out and counted. The drop is candidate - baseline with Newcombe's paired interval, clustered by
// item over repeats (scorers/paired_statistics.h). By default the rule fails when the whole 95% interval lies below
// -max_drop (the data show a drop larger than the margin); `strict: true` is the classic non-inferiority test and
// fails unless the interval's lower bound is above -max_drop. Every relative check reports the estimate, interval,
// flipped items and the minimum detectable drop.
#ifndef LLMEVAL_ENGINE_GATE_GATE_H_
#define LLMEVAL_ENGINE_GATE_GATE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/gate/baseline.h"
#include "engine/run/run_summary.h"
#include "engine/store/store.h"
#include "scorers/paired_statistics.h"

namespace llmeval {

// One thing being gated: a variant's items and summary, with its baseline when there is one.
struct GateTarget {
  std::string label;  // "basic/3 x sim"
  VariantSummary summary;
  std::vector<ItemRecord> items;  // This variant's items (assessments included).
  std::optional<Baseline> baseline;
};

struct GateFlippedItem {
  std::string item_key;
  std::string label;
  int regressions = 0;    // Repeats that passed in the baseline and failed in the candidate.
  int improvements = 0;   // The other way round.
  std::string rationale;  // The candidate's rationale on a regressed repeat.
};

struct PairedComparison {
  int64_t items = 0;     // Items with at least one decided pair.
  int64_t pairs = 0;     // Decided (item, repeat) pairs.
  int64_t unpaired = 0;  // Candidate repeats without a decided baseline counterpart, or undecided themselves.
  PairedDifference difference;
  double minimum_detectable_drop = 1;
  std::vector<GateFlippedItem> flipped;  // Regressions first.
};

struct GateCheck {
  std::string target;
  std::string rule;    // min_pass_rate, max_error_rate, max_drop, max_cost_usd, max_p95_latency_ms
  std::string scorer;  // "" for target-wide rules.
  int rule_line = 0;
  double limit = 0;
  std::optional<double> measured;  // Absent when nothing could be measured.
  std::string measured_text;       // "0.83 (lower bound 0.55)", "-0.25 [-0.51, -0.02]"
  bool passed = false;
  std::string reason;  // Why it failed, or notes on a pass.
  std::optional<PairedComparison> comparison;
};

struct GateReport {
  std::vector<GateCheck> checks;
  std::vector<std::string> notes;
  bool passed() const;
  int failed_count() const;
};

// Evaluates `rules` against `targets`. InvalidInput when a rule names a scorer no target has results for, or a
// relative rule has no baseline.
Result<GateReport> EvaluateGate(const std::vector<GateRule>& rules, const std::vector<GateTarget>& targets);

// Pairs a target's items with its baseline for one scorer.
PairedComparison ComparePaired(const std::vector<ItemRecord>& candidate, const Baseline& baseline,
                               const std::string& scorer);

// Report formats. Markdown for a PR comment or $GITHUB_STEP_SUMMARY; JUnit XML with one test case per item and scorer
// (failures carry the rationale) plus one per gate check; JSON with every number.
std::string FormatGateTable(const GateReport& report);
std::string FormatGateMarkdown(const GateReport& report, const std::vector<GateTarget>& targets);
std::string FormatGateJunit(const GateReport& report, const std::vector<GateTarget>& targets);
std::string FormatGateJson(const GateReport& report, const std::vector<GateTarget>& targets);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_GATE_GATE_H_
