#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;
using testing::MustMake;
using testing::Output;
constexpr auto kPass = AssessmentOutcome::kPass;
constexpr auto kFail = AssessmentOutcome::kFail;
constexpr auto kSkipped = AssessmentOutcome::kSkipped;

ScoringContext Conversation(std::vector<ChatMessage> messages, std::string stop, int turns) {
  ScoringContext ctx = Output(messages.back().content.value_or(""));
  ctx.transcript = std::move(messages);
  ctx.conversation_stop = std::move(stop);
  ctx.turns = turns;
  return ctx;
}

TEST(TurnsToGoal, PassesOnlyWhenTheGoalWasReachedInTime) {
  auto scorer = MustMake("turns_to_goal", R"({"max": 3})");
  std::vector<ChatMessage> m = {ChatMessage::User("Hi?"), ChatMessage::Assistant("Hello.")};
  Assessment a = scorer->Score(Conversation(m, "goal_reached", 2));
  EXPECT_EQ(a.outcome, kPass);
  EXPECT_EQ(a.score, 2);
  EXPECT_EQ(scorer->Score(Conversation(m, "goal_reached", 4)).outcome, kFail);
  a = scorer->Score(Conversation(m, "max_turns", 5));
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("ended by max_turns after 5 turns"));
  EXPECT_EQ(scorer->Score(Output("x")).outcome, kSkipped);
}

TEST(KnowledgeRetention, FailsWhenTheAssistantAsksForWhatTheUserSaid) {
  auto scorer = MustMake("knowledge_retention", "{}");
  std::vector<ChatMessage> good = {ChatMessage::User("I write Python services deployed on Kubernetes."),
                                   ChatMessage::Assistant("Good. Which database do you use?"),
                                   ChatMessage::User("Postgres."), ChatMessage::Assistant("Then use migrations.")};
  EXPECT_EQ(scorer->Score(Conversation(good, "end_of_script", 2)).outcome, kPass);
  std::vector<ChatMessage> bad = good;
  bad[3] = ChatMessage::Assistant("Fine. Are your services deployed on Kubernetes?");
  Assessment a = scorer->Score(Conversation(bad, "end_of_script", 2));
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("turn 2: the assistant asked \"Are your services deployed on Kubernetes?\""));
}

TEST(ConversationJudges, GoalAchievedJudgesTheTranscriptAgainstTheRowsGoal) {
  auto scorer = MustMake("goal_achieved", "{}");
  ASSERT_TRUE(scorer->is_judge());
  EXPECT_EQ(scorer->DatasetColumns().at(0), (std::pair<std::string, std::string>{"goal_column", "goal"}));
  ScoringContext ctx = Output("Integration tests check units together.");
  ctx.rendered_input = "user: What is a unit test?\nassistant: A test of one unit.\n";
  ctx.variables["goal"] = "understand unit tests";
  auto request = static_cast<const JudgeScorer*>(scorer.get())->BuildJudgeRequest(ctx, 0);
  ASSERT_TRUE(request.has_value());
  EXPECT_THAT(*request->messages[1].content,
              HasSubstr("By the end of the conversation the user's goal was achieved: understand unit tests"));
  EXPECT_THAT(*request->messages[1].content, HasSubstr("assistant: A test of one unit."));
}

TEST(ConversationJudges, TrajectoryJudgeSeesTheSteps) {
  auto scorer = MustMake("trajectory", "{}");
  ScoringContext ctx = Output("done");
  ctx.trace_summary = "tool search({\"q\":\"git\"}) -> results\n";
  auto request = static_cast<const JudgeScorer*>(scorer.get())->BuildJudgeRequest(ctx, 0);
  ASSERT_TRUE(request.has_value());
  EXPECT_THAT(*request->messages[1].content, HasSubstr("tool search({\"q\":\"git\"})"));
  EXPECT_THAT(*request->messages[0].content, HasSubstr("kind=trajectory"));
}

}  // namespace
}  // namespace llmeval
