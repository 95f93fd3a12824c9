#include "engine/gate/gate.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/strings.h"

namespace llmeval {
namespace {

std::string Num(double v, int digits = 2) { return FormatFixed(v, digits); }

const ScorerSummary* FindScorer(const GateTarget& t, const std::string& scorer) {
  for (const ScorerSummary& s : t.summary.scorers) {
    if (s.scorer == scorer) return &s;
  }
  return nullptr;
}

const AssessmentRow* FindAssessment(const ItemRecord& item, const std::string& scorer) {
  for (const AssessmentRow& a : item.assessments) {
    if (a.ResultName() == scorer) return &a;
  }
  return nullptr;
}

bool Decided(const std::string& outcome) { return outcome == "pass" || outcome == "fail"; }

GateCheck NewCheck(const GateTarget& t, const GateRule& rule, const std::string& name, const std::string& scorer,
                   double limit) {
  GateCheck c;
  c.target = t.label;
  c.rule = name;
  c.scorer = scorer;
  c.rule_line = rule.line;
  c.limit = limit;
  return c;
}

GateCheck MinPassRate(const GateTarget& t, const GateRule& rule, const ScorerSummary& s) {
  GateCheck c = NewCheck(t, rule, rule.on_lower_bound ? "min_pass_rate (lower bound)" : "min_pass_rate", s.scorer,
                         *rule.min_pass_rate);
  std::string counts = std::to_string(s.passed) + "/" + std::to_string(s.decided());
  if (s.decided() == 0) {
    c.measured_text = "nothing decided";
    c.reason = "no item was decided (" + std::to_string(s.errored) + " errored, " + std::to_string(s.skipped) +
               " skipped): an unmeasured pass rate fails";
    return c;
  }
  // Repeats of an item are one cluster: the interval is over effective counts (scorers/statistics.h).
  if (s.design_effect > 1) counts += ", design effect " + Num(s.design_effect);
  double value = rule.on_lower_bound ? s.pass_rate_ci.low : s.pass_rate;
  c.measured = value;
  c.measured_text = rule.on_lower_bound ? Num(value) + " (rate " + Num(s.pass_rate) + ", " + counts + ")"
                                        : Num(value) + " (" + counts + ", 95% [" + Num(s.pass_rate_ci.low) + ", " +
                                              Num(s.pass_rate_ci.high) + "])";
  c.passed = value >= *rule.min_pass_rate;
  if (!c.passed) {
    c.reason = std::string(rule.on_lower_bound ? "the Wilson 95% lower bound " : "the pass rate ") + Num(value) +
               " is below " + Num(*rule.min_pass_rate);
  }
  return c;
}

GateCheck MaxErrorRate(const GateTarget& t, const GateRule& rule, const ScorerSummary& s) {
  GateCheck c = NewCheck(t, rule, "max_error_rate", s.scorer, *rule.max_error_rate);
  if (s.total == 0) {
    c.measured_text = "no items";
    c.reason = "the scorer assessed no item";
    return c;
  }
  c.measured = s.error_rate;
  c.measured_text = Num(s.error_rate) + " (" + std::to_string(s.errored) + "/" + std::to_string(s.total) + " errored)";
  c.passed = s.error_rate <= *rule.max_error_rate;
  if (!c.passed) {
    c.reason = std::to_string(s.errored) + " of " + std::to_string(s.total) +
               " items could not be scored: too many unmeasured items to trust the result";
  }
  return c;
}

GateCheck MaxDrop(const GateTarget& t, const GateRule& rule, const std::string& scorer) {
  GateCheck c = NewCheck(t, rule, rule.strict ? "max_drop (strict)" : "max_drop", scorer, *rule.max_drop);
  PairedComparison p = ComparePaired(t.items, *t.baseline, scorer);
  double margin = *rule.max_drop;
  if (p.pairs == 0) {
    c.measured_text = "no pairs";
    c.reason = "no item was decided in both the candidate and the baseline (" + std::to_string(p.unpaired) +
               " unpaired): nothing to compare";
    c.comparison = p;
    return c;
  }
  const PairedDifference& d = p.difference;
  c.measured = d.estimate;
  c.measured_text = Num(d.estimate) + " [" + Num(d.ci95.low) + ", " + Num(d.ci95.high) + "], " +
                    std::to_string(p.flipped.size()) + " flipped, MDE " + Num(p.minimum_detectable_drop);
  if (rule.strict) {
    c.passed = d.ci95.low > -margin;
    if (!c.passed) {
      c.reason = "non-inferiority not shown: the 95% lower bound " + Num(d.ci95.low) + " is not above -" + Num(margin);
    }
  } else {
    c.passed = d.ci95.high >= -margin;
    if (!c.passed) {
      c.reason = "the pass rate dropped by " + Num(-d.estimate) + " (95% [" + Num(-d.ci95.high) + ", " +
                 Num(-d.ci95.low) + "]): more than the allowed " + Num(margin) + " with 95% confidence";
    }
  }
  if (c.passed && p.minimum_detectable_drop > margin) {
    c.reason = "note: with " + std::to_string(p.items) + " items this comparison detects only drops of " +
               Num(p.minimum_detectable_drop) + " or more";
  }
  if (p.unpaired > 0) {
    c.reason += std::string(c.reason.empty() ? "" : "; ") + std::to_string(p.unpaired) + " unpaired repeats left out";
  }
  c.comparison = std::move(p);
  return c;
}

GateCheck MaxCost(const GateTarget& t, const GateRule& rule) {
  GateCheck c = NewCheck(t, rule, "max_cost_usd", "", *rule.max_cost_usd);
  const VariantSummary& s = t.summary;
  // Either part unknown makes the total unknown: the known part alone would understate it. A run without judge
  // calls has no judge cost to know.
  bool judge_called = s.judge_input_tokens > 0 || s.judge_output_tokens > 0;
  if (!s.cost_usd.has_value() || (judge_called && !s.judge_cost_usd.has_value())) {
    c.measured_text = "unknown";
    c.reason =
        !s.cost_usd.has_value()
            ? "the application's cost is unknown (no price for model '" + s.variant.model + "'): add it under prices:"
            : "the judge's cost is unknown (no price for the judge model): add it under prices:";
    return c;
  }
  double cost = s.cost_usd.value_or(0) + s.judge_cost_usd.value_or(0);
  c.measured = cost;
  c.measured_text = "$" + Num(cost, 4);
  c.passed = cost <= *rule.max_cost_usd;
  if (!c.passed) c.reason = "the evaluation cost $" + Num(cost, 4) + ", more than $" + Num(*rule.max_cost_usd, 4);
  return c;
}

GateCheck MaxLatency(const GateTarget& t, const GateRule& rule) {
  GateCheck c = NewCheck(t, rule, "max_p95_latency_ms", "", *rule.max_p95_latency_ms);
  const VariantSummary& s = t.summary;
  if (s.latency_measured == 0) {  // Like an unknown cost: a latency nobody measured cannot pass a limit.
    c.measured_text = "not measured";
    c.reason =
        "latency not measured: no item was answered by a model call (cache hits and errors are excluded); "
        "run the gate with --no-cache";
    return c;
  }
  c.measured = s.latency_p95_ms;
  c.measured_text = Num(s.latency_p95_ms, 0) + " ms";
  c.passed = s.latency_p95_ms <= *rule.max_p95_latency_ms;
  if (!c.passed)
    c.reason = "p95 latency " + Num(s.latency_p95_ms, 0) + " ms exceeds " + Num(*rule.max_p95_latency_ms, 0);
  return c;
}

}  // namespace

bool GateReport::passed() const { return failed_count() == 0; }

int GateReport::failed_count() const {
  int n = 0;
  for (const GateCheck& c : checks) n += c.passed ? 0 : 1;
  return n;
}

PairedComparison ComparePaired(const std::vector<ItemRecord>& candidate, const Baseline& baseline,
                               const std::string& scorer) {
  PairedComparison p;
  std::map<std::pair<std::string, int>, std::string> base;
  for (const BaselineItem& b : baseline.items) {
    auto it = b.outcomes.find(scorer);
    base[{b.item_key, b.repeat}] = it == b.outcomes.end() ? "" : it->second;
  }
  std::map<std::string, int64_t> cluster_of;
  std::map<std::string, GateFlippedItem> flips;
  std::vector<PairedOutcome> outcomes;
  for (const ItemRecord& item : candidate) {
    const AssessmentRow* a = FindAssessment(item, scorer);
    auto it = base.find({item.item_key, item.repeat});
    if (a == nullptr || !Decided(a->outcome) || it == base.end() || !Decided(it->second)) {
      ++p.unpaired;
      continue;
    }
    auto [cluster, inserted] = cluster_of.try_emplace(item.item_key, static_cast<int64_t>(cluster_of.size()));
    PairedOutcome o{cluster->second, it->second == "pass", a->outcome == "pass"};
    outcomes.push_back(o);
    if (o.baseline_pass != o.candidate_pass) {
      GateFlippedItem& f = flips[item.item_key];
      f.item_key = item.item_key;
      if (f.label.empty()) f.label = ItemLabel(item);
      if (o.baseline_pass) {
        ++f.regressions;
        if (f.rationale.empty()) f.rationale = a->rationale;
      } else {
        ++f.improvements;
      }
    }
  }
  p.items = static_cast<int64_t>(cluster_of.size());
  p.pairs = static_cast<int64_t>(outcomes.size());
  p.difference = ClusteredPairedDifference(outcomes);
  // The design effect shrinks the pairs to effective pairs; the discordant share is unchanged by it.
  PairedTable raw;
  for (const PairedOutcome& o : outcomes) {
    (o.baseline_pass ? (o.candidate_pass ? raw.both_pass : raw.baseline_only)
                     : (o.candidate_pass ? raw.candidate_only : raw.both_fail)) += 1;
  }
  p.minimum_detectable_drop = MinimumDetectableDrop(p.difference.n, raw.discordant_share());
  for (auto& [key, f] : flips) p.flipped.push_back(std::move(f));
  std::stable_sort(p.flipped.begin(), p.flipped.end(), [](const GateFlippedItem& x, const GateFlippedItem& y) {
    return x.regressions - x.improvements > y.regressions - y.improvements;
  });
  return p;
}

Result<GateReport> EvaluateGate(const std::vector<GateRule>& rules, const std::vector<GateTarget>& targets) {
  GateReport report;
  bool any_baseline = false;
  for (const GateTarget& t : targets) any_baseline = any_baseline || t.baseline.has_value();
  for (const GateRule& rule : rules) {
    std::string where = "gate rule at line " + std::to_string(rule.line);
    if (!rule.scorer.empty()) {
      bool found = false;
      std::set<std::string> known;
      for (const GateTarget& t : targets) {
        found = found || FindScorer(t, rule.scorer) != nullptr;
        for (const ScorerSummary& s : t.summary.scorers) known.insert(s.scorer);
      }
      if (!found) {
        std::vector<std::string> names(known.begin(), known.end());
        return Status::InvalidInput(where + ": no results for scorer '" + rule.scorer + "' (the run has: " +
                                    (names.empty() ? "no scorers" : JoinStrings(names, ", ")) + ")");
      }
    }
    if (rule.max_drop.has_value() && !any_baseline) {
      return Status::InvalidInput(where +
                                  ": max_drop compares against a baseline; pass --baseline (a baseline file, "
                                  "a run id or a prompt reference) or set gate.baseline");
    }
    for (const GateTarget& t : targets) {
      std::vector<const ScorerSummary*> scorers;
      for (const ScorerSummary& s : t.summary.scorers) {
        if (rule.scorer.empty() || s.scorer == rule.scorer) scorers.push_back(&s);
      }
      for (const ScorerSummary* s : scorers) {
        if (rule.min_pass_rate.has_value()) report.checks.push_back(MinPassRate(t, rule, *s));
        if (rule.max_error_rate.has_value()) report.checks.push_back(MaxErrorRate(t, rule, *s));
        if (rule.max_drop.has_value()) {
          if (t.baseline.has_value()) {
            report.checks.push_back(MaxDrop(t, rule, s->scorer));
          } else {
            report.notes.push_back(t.label + " has no baseline (a new prompt?): max_drop not applied");
          }
        }
      }
      if (rule.max_cost_usd.has_value()) report.checks.push_back(MaxCost(t, rule));
      if (rule.max_p95_latency_ms.has_value()) report.checks.push_back(MaxLatency(t, rule));
    }
  }
  std::sort(report.notes.begin(), report.notes.end());
  report.notes.erase(std::unique(report.notes.begin(), report.notes.end()), report.notes.end());
  return report;
}

}  // namespace llmeval
