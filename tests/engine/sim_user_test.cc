#include "engine/sim/sim_user.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/sim/sim_model.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;

ChatRequest SimulatorRequest(const std::string& extra, int exchanges) {
  ChatRequest r;
  r.model = "sim";
  r.messages.push_back(
      ChatMessage::System("llmeval-user-simulator\nRole-play a user.\nGoal: learn git rebase\n" + extra));
  // Roles as the simulator sees them: its own messages are "assistant", the assistant's answers "user".
  for (int i = 0; i < exchanges; ++i) {
    r.messages.push_back(ChatMessage::Assistant("Question " + std::to_string(i) + "?"));
    r.messages.push_back(ChatMessage::User("Rebasing replays commits onto another branch tip."));
  }
  if (exchanges == 0) r.messages.push_back(ChatMessage::User("(Write your first message.)"));
  return r;
}

TEST(SimUser, OpensWithTheGoalThenAsksFollowUpsThenReportsTheGoalReached) {
  const std::string marker = "When your goal has been reached, reply with exactly GOAL_ACHIEVED and nothing else.";
  ChatRequest opening = SimulatorRequest(marker, 0);
  ASSERT_TRUE(IsUserSimulatorRequest(opening));
  EXPECT_EQ(*SimulateChat(opening).message.content, "Hello! Can you help me learn git rebase?");
  int needed = SimUserTurnsToGoal("learn git rebase");
  ASSERT_GE(needed, 2);
  ASSERT_LE(needed, 4);
  for (int i = 1; i < needed; ++i) {
    std::string follow_up = *SimulateChat(SimulatorRequest(marker, i)).message.content;
    EXPECT_EQ(follow_up.back(), '?') << follow_up;
    EXPECT_EQ(follow_up, *SimulateChat(SimulatorRequest(marker, i)).message.content) << "deterministic";
  }
  EXPECT_EQ(*SimulateChat(SimulatorRequest(marker, needed)).message.content, "GOAL_ACHIEVED");
  // Without the marker, the stop phrase; without either, it keeps asking.
  EXPECT_EQ(*SimulateChat(SimulatorRequest("When you are done, say \"bye\".", needed)).message.content, "Thanks, bye.");
  EXPECT_THAT(*SimulateChat(SimulatorRequest("", needed)).message.content, HasSubstr("?"));
  ChatRequest plain;
  plain.messages.push_back(ChatMessage::User("What is git?"));
  EXPECT_FALSE(IsUserSimulatorRequest(plain));
}

TEST(SimModel, CallsToolsAgainAfterEachNewUserMessage) {
  ChatRequest r;
  r.model = "sim";
  r.tools.push_back({"web_search", "Search.", R"({"type":"object","properties":{"query":{"type":"string"}}})"});
  r.messages.push_back(ChatMessage::User("What is git?"));
  ChatResponse first = SimulateChat(r);
  ASSERT_FALSE(first.message.tool_calls.empty());
  r.messages.push_back(first.message);
  for (const ToolCall& c : first.message.tool_calls)
    r.messages.push_back(ChatMessage::Tool(c.id, "[Git](https://git-scm.com)"));
  EXPECT_TRUE(SimulateChat(r).message.tool_calls.empty());  // Answers from the results.
  r.messages.push_back(ChatMessage::Assistant("Git is a version control system."));
  r.messages.push_back(ChatMessage::User("What is a rebase?"));
  EXPECT_FALSE(SimulateChat(r).message.tool_calls.empty());  // A new question searches again.
}

}  // namespace
}  // namespace llmeval
