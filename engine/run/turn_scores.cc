// The `scope: turn` steps of ItemTask (declared in item_task.h): a scorer or judge applied to every assistant turn of
// a conversation, each turn seen with the conversation before it as its input, its verdict kept as a
// `score NAME turn N` span (the turn-level results, stored with the trace), the turns combined as the share of decided
// turns passing. Code scorers run in one go; a judge asks one turn at a time, each call under its turn's span.
#include <string>
#include <utility>
#include <vector>

#include "datasets/conversation.h"
#include "engine/run/item_task.h"
#include "tracing/semconv.h"

namespace llmeval {

std::vector<ScoringContext> ItemTask::TurnContexts() const {
  std::vector<ScoringContext> turns;
  std::vector<ChatMessage> history;
  for (const ChatMessage& m : scoring_.transcript) {
    if (m.role == "assistant" && m.content.has_value() && !m.content->empty()) {
      ScoringContext turn = scoring_;
      turn.output = *m.content;
      turn.rendered_input = ConversationText(history);
      turns.push_back(std::move(turn));
    }
    history.push_back(m);
  }
  return turns;
}

void ItemTask::EndTurnSpan(SpanHandle span, int turn, const std::string& scorer, const Assessment& verdict) {
  trace_.SetAttribute(span, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeScorer));
  trace_.SetAttribute(span, semconv::kLlmevalConversationTurn, static_cast<int64_t>(turn));
  trace_.SetAttribute(span, semconv::kGenAiEvaluationName, scorer);
  trace_.SetAttribute(span, semconv::kGenAiEvaluationScoreLabel, std::string(AssessmentOutcomeName(verdict.outcome)));
  if (verdict.score.has_value()) trace_.SetAttribute(span, semconv::kGenAiEvaluationScoreValue, *verdict.score);
  const std::string& why = verdict.outcome == AssessmentOutcome::kError ? verdict.error : verdict.rationale;
  if (!why.empty()) trace_.SetAttribute(span, semconv::kGenAiEvaluationExplanation, why);
  trace_.End(span);
}

Assessment ItemTask::CombineTurns(const std::string& name, const std::vector<Assessment>& turns) {
  int passed = 0, decided = 0;
  std::string first_failure;
  for (size_t i = 0; i < turns.size(); ++i) {
    const Assessment& t = turns[i];
    if (t.outcome == AssessmentOutcome::kPass) ++passed;
    if (t.outcome == AssessmentOutcome::kPass || t.outcome == AssessmentOutcome::kFail) ++decided;
    if (t.outcome == AssessmentOutcome::kFail && first_failure.empty()) {
      first_failure = "turn " + std::to_string(i + 1) + ": " + t.rationale;
    }
  }
  if (decided == 0) return ErrorAssessment(name, "none of the " + std::to_string(turns.size()) + " turns was decided");
  std::string summary = std::to_string(passed) + " of " + std::to_string(decided) + " turns pass";
  Assessment a = passed == decided ? PassAssessment(name, summary)
                                   : FailAssessment(name, summary + "; first failing " + first_failure);
  a.score = static_cast<double>(passed) / static_cast<double>(decided);
  return a;
}

Assessment ItemTask::ScoreTurns(const Scorer& scorer, SpanHandle parent) {
  if (scoring_.transcript.empty()) return scorer.Score(scoring_);  // Not a conversation: the item is its one turn.
  std::vector<Assessment> verdicts;
  int turn = 0;
  for (const ScoringContext& context : TurnContexts()) {
    verdicts.push_back(scorer.Score(context));
    SpanHandle span =
        trace_.StartSpan(std::string(semconv::kSpanScore) + " " + scorer.name() + " turn " + std::to_string(++turn),
                         SpanKind::kInternal, parent);
    EndTurnSpan(span, turn, scorer.name(), verdicts.back());
  }
  return CombineTurns(scorer.name(), verdicts);
}

bool ItemTask::AskJudgeTurn(const JudgeScorer* judge) {
  while (judge_turn_ < judge_turns_.size()) {
    int turn = static_cast<int>(judge_turn_) + 1;
    SpanHandle span =
        trace_.StartSpan(std::string(semconv::kSpanScore) + " " + judge->name() + " turn " + std::to_string(turn),
                         SpanKind::kInternal, judge_span_);
    judge_scoring_ = &judge_turns_[judge_turn_];
    judge_samples_.clear();
    std::optional<ChatRequest> request = judge->BuildJudgeRequest(*judge_scoring_, 0);
    if (!request.has_value()) {
      Assessment skipped = SkippedAssessment(judge->name(), "the judge does not apply to this turn");
      EndTurnSpan(span, turn, judge->name(), skipped);
      judge_turn_verdicts_.push_back(std::move(skipped));
      ++judge_turn_;
      continue;
    }
    judge_parent_ = span;
    AskJudge(judge, 0, false, std::move(*request));
    return true;
  }
  return false;
}

}  // namespace llmeval
