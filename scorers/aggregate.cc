#include "scorers/aggregate.h"

namespace llmeval {

void AssessmentAggregator::Tally::Add(const Assessment& a, int64_t item) {
  if (a.outcome == AssessmentOutcome::kPass || a.outcome == AssessmentOutcome::kFail) {
    if (item != open_item) {
      if (open_decided > 0) items.Add(open_passed, open_decided);
      open_item = item;
      open_passed = open_decided = 0;
    }
    open_passed += a.outcome == AssessmentOutcome::kPass ? 1 : 0;
    open_decided += 1;
  }
  switch (a.outcome) {
    case AssessmentOutcome::kPass:
      ++passed;
      break;
    case AssessmentOutcome::kFail:
      ++failed;
      break;
    case AssessmentOutcome::kError:
      ++errored;
      break;
    case AssessmentOutcome::kSkipped:
      ++skipped;
      break;
  }
  if (a.score && a.outcome != AssessmentOutcome::kError && a.outcome != AssessmentOutcome::kSkipped) {
    scores.Add(*a.score);
  }
  judge_input_tokens += a.judge_input_tokens;
  judge_output_tokens += a.judge_output_tokens;
  judge_samples += a.judge_samples;
  if (a.judge_cost_usd) {
    judge_cost_usd = judge_cost_usd.value_or(0) + *a.judge_cost_usd;
  } else {
    judge_samples_without_cost += a.judge_samples;
  }
}

ClusterTotals AssessmentAggregator::Tally::AllItems() const {
  ClusterTotals all = items;
  if (open_decided > 0) all.Add(open_passed, open_decided);
  return all;
}

size_t AssessmentAggregator::ScorerIndex(const std::string& name) {
  auto it = scorer_index_.find(name);
  if (it != scorer_index_.end()) return it->second;
  size_t index = scorers_.size();
  scorers_.push_back(name);
  scorer_index_[name] = index;
  overall_.emplace_back();
  by_group_.emplace_back();
  return index;
}

void AssessmentAggregator::Add(const Assessment& assessment, const std::map<std::string, std::string>& variables) {
  std::string_view group;
  if (!group_column_.empty()) {
    auto it = variables.find(group_column_);
    if (it != variables.end()) group = it->second;
  }
  Add(assessment, group);
}

void AssessmentAggregator::Add(const Assessment& assessment, std::string_view group_value) {
  size_t index = ScorerIndex(assessment.name);
  int64_t item = item_ >= 0 ? item_ : next_unnamed_--;
  overall_[index].Add(assessment, item);
  if (!group_column_.empty()) by_group_[index][std::string(group_value)].Add(assessment, item);
}

void AssessmentAggregator::AddApplicationUsage(int64_t input_tokens, int64_t output_tokens,
                                               std::optional<double> cost_usd) {
  ++application_.calls;
  application_.input_tokens += input_tokens;
  application_.output_tokens += output_tokens;
  if (cost_usd) {
    application_.cost_usd = application_.cost_usd.value_or(0) + *cost_usd;
  } else {
    ++application_.calls_without_cost;
  }
}

ScorerSummary AssessmentAggregator::Summarize(const std::string& scorer, const std::string& group, const Tally& t) {
  ScorerSummary s;
  s.scorer = scorer;
  s.group = group;
  s.passed = t.passed;
  s.failed = t.failed;
  s.errored = t.errored;
  s.skipped = t.skipped;
  s.total = t.passed + t.failed + t.errored + t.skipped;
  if (s.decided() > 0) s.pass_rate = static_cast<double>(s.passed) / static_cast<double>(s.decided());
  ClusteredRate rate = ClusteredWilsonInterval(s.passed, s.decided(), t.AllItems());
  s.pass_rate_ci = rate.ci95;
  s.design_effect = rate.design_effect;
  if (s.total > 0) s.error_rate = static_cast<double>(s.errored) / static_cast<double>(s.total);
  if (t.scores.count() > 0) s.score = t.scores.Estimate();
  s.judge_input_tokens = t.judge_input_tokens;
  s.judge_output_tokens = t.judge_output_tokens;
  s.judge_cost_usd = t.judge_cost_usd;
  return s;
}

std::vector<ScorerSummary> AssessmentAggregator::Overall() const {
  std::vector<ScorerSummary> out;
  for (size_t i = 0; i < scorers_.size(); ++i) out.push_back(Summarize(scorers_[i], "", overall_[i]));
  return out;
}

std::vector<ScorerSummary> AssessmentAggregator::ByGroup() const {
  std::vector<ScorerSummary> out;
  for (size_t i = 0; i < scorers_.size(); ++i) {
    for (const auto& [group, tally] : by_group_[i]) out.push_back(Summarize(scorers_[i], group, tally));
  }
  return out;
}

UsageTotals AssessmentAggregator::judge_usage() const {
  UsageTotals u;
  for (const Tally& t : overall_) {
    u.calls += t.judge_samples;
    u.input_tokens += t.judge_input_tokens;
    u.output_tokens += t.judge_output_tokens;
    u.calls_without_cost += t.judge_samples_without_cost;
    if (t.judge_cost_usd) u.cost_usd = u.cost_usd.value_or(0) + *t.judge_cost_usd;
  }
  return u;
}

}  // namespace llmeval
