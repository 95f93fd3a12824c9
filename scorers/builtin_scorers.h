// Internal to the scorers module: the base class of the built-in code scorers, and the functions that register the
// built-in types with the registry in scorer.cc. Each Register* function adds its types to `out`.
#ifndef LLMEVAL_SCORERS_BUILTIN_SCORERS_H_
#define LLMEVAL_SCORERS_BUILTIN_SCORERS_H_

#include <map>
#include <string>
#include <utility>

#include "scorers/scorer.h"

namespace llmeval {

// A code scorer with a name. Items whose application call failed get an error assessment ("could not decide")
// unless the scorer judges the failure itself (override ScoresErroredItems()).
class CodeScorer : public Scorer {
 public:
  explicit CodeScorer(std::string name) : name_(std::move(name)) {}
  const std::string& name() const override { return name_; }
  Assessment Score(const ScoringContext& ctx) const final;

 protected:
  virtual bool ScoresErroredItems() const { return false; }
  virtual Assessment ScoreItem(const ScoringContext& ctx) const = 0;

  Assessment Pass(std::string rationale = {}) const { return PassAssessment(name_, std::move(rationale)); }
  Assessment Fail(std::string rationale) const { return FailAssessment(name_, std::move(rationale)); }
  Assessment Error(std::string error) const { return ErrorAssessment(name_, std::move(error)); }
  Assessment Skip(std::string rationale) const { return SkippedAssessment(name_, std::move(rationale)); }
  // Pass or fail by `ok`, with the same rationale.
  Assessment Decide(bool ok, std::string rationale) const {
    return ok ? Pass(std::move(rationale)) : Fail(std::move(rationale));
  }

 private:
  std::string name_;
};

using ScorerFactoryMap = std::map<std::string, ScorerFactory>;

void RegisterTextScorers(ScorerFactoryMap* out);          // word_count, contains, not_contains, regex, equals
void RegisterJsonScorers(ScorerFactoryMap* out);          // json_valid, json_schema
void RegisterRunScorers(ScorerFactoryMap* out);           // latency_max, cost_max, token_count_max, tool_called,
                                                          // tool_args_match, no_error, finish_reason
void RegisterTrajectoryScorers(ScorerFactoryMap* out);    // tool_sequence, step_count_max, no_repeated_calls
void RegisterConversationScorers(ScorerFactoryMap* out);  // turns_to_goal, knowledge_retention
void RegisterJudgeScorers(
    ScorerFactoryMap* out);  // + trajectory, goal_achieved       // guidelines, relevance_to_query, correctness, safety

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_BUILTIN_SCORERS_H_
