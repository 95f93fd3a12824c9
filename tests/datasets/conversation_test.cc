#include "datasets/conversation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace llmeval {
namespace {

using ::testing::HasSubstr;

TEST(Conversation, ParsesOpenAiShapedMessagesWithToolCalls) {
  Result<std::vector<ChatMessage>> m = ParseConversation(
      R"([{"role":"system","content":"Be brief."},{"role":"user","content":"Weather?"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function",)"
      R"("function":{"name":"weather","arguments":{"city":"Oslo"}}}]},)"
      R"({"role":"tool","tool_call_id":"c1","content":"rain"},{"role":"assistant","content":"Rain."}])");
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 5u);
  EXPECT_EQ((*m)[2].tool_calls.at(0).name, "weather");
  EXPECT_EQ((*m)[2].tool_calls.at(0).arguments_json, R"({"city":"Oslo"})");
  EXPECT_FALSE((*m)[2].content.has_value());
  EXPECT_EQ((*m)[3].tool_call_id, "c1");
  EXPECT_EQ(ConversationText(*m),
            "system: Be brief.\nuser: Weather?\nassistant calls weather({\"city\":\"Oslo\"})\ntool: rain\n"
            "assistant: Rain.\n");
}

TEST(Conversation, RejectsMalformedConversationsSayingWhichMessage) {
  auto error = [](const char* json) { return ParseConversation(json).status().message(); };
  EXPECT_THAT(error("[]"), HasSubstr("has no messages"));
  EXPECT_THAT(error("{}"), HasSubstr("expected a JSON array of messages"));
  EXPECT_THAT(error("not json"), HasSubstr("expected a JSON array"));
  EXPECT_THAT(error(R"([{"role":"user","content":"a"},{"role":"bot","content":"b"}])"),
              HasSubstr("message 2: unknown role 'bot'"));
  EXPECT_THAT(error(R"([{"role":"tool","tool_call_id":"x","content":"r"}])"),
              HasSubstr("message 1: tool message answers call 'x', which no earlier assistant message made"));
  EXPECT_THAT(error(R"([{"role":"tool","content":"r"}])"), HasSubstr("needs the \"tool_call_id\""));
  EXPECT_THAT(error(R"([{"role":"user"}])"), HasSubstr("message 1: has no \"content\""));
  EXPECT_THAT(error(R"([{"content":"x"}])"), HasSubstr("has no \"role\""));
  EXPECT_THAT(error(R"([{"role":"user","content":"a","tool_calls":[]}])"), HasSubstr("only assistant messages"));
}

}  // namespace
}  // namespace llmeval
