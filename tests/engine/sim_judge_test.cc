#include "engine/sim/sim_judge.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "core/strings.h"
#include "engine/sim/sim_model.h"

namespace llmeval {
namespace {

ChatRequest JudgeRequest(const std::string& question, const std::string& answer,
                         const std::vector<std::string>& guidelines, bool with_response_format = false) {
  ChatRequest request;
  request.model = "sim-judge";
  std::string user = "<question>\n" + question + "\n</question>\n<answer>\n" + answer + "\n</answer>\n<guidelines>\n";
  for (const std::string& g : guidelines) user += "- " + g + "\n";
  user += "</guidelines>";
  request.messages = {ChatMessage::System("You are a strict grader. llmeval-judge v1"), ChatMessage::User(user)};
  if (with_response_format) request.response_format_json = R"({"type":"json_object"})";
  return request;
}

struct Parsed {
  bool ok = false;
  std::string verdict;
  std::string rationale;
  bool bare = false;  // The reply was exactly the JSON object.
};

Parsed ParseReply(const std::string& reply) {
  Parsed parsed;
  size_t open = reply.find('{');
  size_t close = reply.rfind('}');
  if (open == std::string::npos || close == std::string::npos) return parsed;
  parsed.bare = open == 0 && close + 1 == reply.size();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(reply.substr(open, close - open + 1)).get(root)) return parsed;
  std::string_view verdict;
  std::string_view rationale;
  if (root["verdict"].get_string().get(verdict) || root["rationale"].get_string().get(rationale)) return parsed;
  parsed.ok = true;
  parsed.verdict = std::string(verdict);
  parsed.rationale = std::string(rationale);
  return parsed;
}

std::string Verdict(const std::string& question, const std::string& answer, const std::string& guideline) {
  Parsed parsed = ParseReply(SimulateChat(JudgeRequest(question, answer, {guideline}, true)).message.content.value());
  EXPECT_TRUE(parsed.ok);
  return parsed.verdict;
}

TEST(SimJudgeTest, VerdictsParseAndAreMixed) {
  int yes = 0;
  int no = 0;
  int wrapped = 0;
  for (int i = 0; i < 50; ++i) {
    std::string question = "What is topic number " + std::to_string(i) + "?";
    ChatRequest request = JudgeRequest(question, "Some answer " + std::to_string(i * 7), {"The answer is helpful."});
    ChatResponse response = SimulateChat(request);
    Parsed parsed = ParseReply(response.message.content.value());
    ASSERT_TRUE(parsed.ok) << *response.message.content;
    ASSERT_TRUE(parsed.verdict == "yes" || parsed.verdict == "no");
    EXPECT_FALSE(parsed.rationale.empty());
    (parsed.verdict == "yes" ? yes : no)++;
    wrapped += !parsed.bare;
    request.response_format_json = R"({"type":"json_object"})";
    EXPECT_TRUE(ParseReply(SimulateChat(request).message.content.value()).bare);
  }
  EXPECT_GT(yes, no);
  EXPECT_GT(no, 3);
  EXPECT_LT(wrapped, 15);
}

TEST(SimJudgeTest, SomeRepliesWithoutResponseFormatAreWrapped) {
  int wrapped = 0;
  for (int i = 0; i < 200; ++i) {
    ChatRequest request = JudgeRequest("Q" + std::to_string(i) + "?", "A" + std::to_string(i), {"Be nice."});
    Parsed parsed = ParseReply(SimulateChat(request).message.content.value());
    ASSERT_TRUE(parsed.ok);
    wrapped += !parsed.bare;
  }
  EXPECT_GT(wrapped, 5);
  EXPECT_LT(wrapped, 45);
}

TEST(SimJudgeTest, Heuristics) {
  struct Case {
    std::string question;
    std::string answer;
    std::string guideline;
    std::string expected;
  };
  const std::string english = "Refactoring improves the structure of code without changing its behaviour.";
  const std::string greek = "Η αναδιάρθρωση βελτιώνει τη δομή του κώδικα χωρίς να αλλάζει τη συμπεριφορά του.";
  const Case cases[] = {
      {"What is refactoring?", english, "The response must be in English.", "yes"},
      {"What is refactoring?", greek, "The response must be in English.", "no"},
      {"What is refactoring?", english, "The answer is relevant to the question.", "yes"},
      {"What is refactoring?", "Bananas are yellow and taste sweet.", "The answer is relevant to the question.", "no"},
      {"Q?", "one two three", "The answer has at least 5 words.", "no"},
      {"Q?", "one two three four five six", "The answer has at least 5 words.", "yes"},
      {"Q?", "one two three four five six", "Use no more than 4 words.", "no"},
      {"Q?", english, "The answer relates the topic to software engineering.", "yes"},
      {"Q?", "Bananas are yellow.", "The answer relates the topic to software engineering.", "no"},
      {"Q?", "Refactoring is defined as restructuring code.", "The answer should give a definition.", "yes"},
      {"Q?", "Refactoring is nice.", "The answer should define the term.", "no"},
      {"Q?", english, "The answer should mention 'behaviour'.", "yes"},
      {"Q?", english, "The answer should mention \"unit tests\".", "no"},
      {"Q?", english, "The answer should not mention 'unit tests'.", "yes"},
      {"Q?", english, "The answer must not mention 'structure'.", "no"},
      {"Q?", english, "The answer is concise.", "yes"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Verdict(c.question, c.answer, c.guideline), c.expected) << c.guideline << " / " << c.answer;
  }
}

TEST(SimJudgeTest, AllGuidelinesMustPassAndTheRationaleSaysWhy) {
  ChatRequest request = JudgeRequest("What is refactoring?", "Bananas are yellow.",
                                     {"The answer is in English.", "The answer is relevant."}, true);
  Parsed parsed = ParseReply(SimulateChat(request).message.content.value());
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.verdict, "no");
  EXPECT_NE(parsed.rationale.find("key term"), std::string::npos) << parsed.rationale;
}

TEST(SimJudgeTest, SectionsAreFound) {
  std::string text = "x <answer>\n  hello \n</answer> y";
  EXPECT_EQ(FindJudgeSection(text, "answer").value_or("?"), "hello");
  EXPECT_FALSE(FindJudgeSection(text, "question").has_value());
  ChatRequest missing_answer;
  missing_answer.messages = {ChatMessage::System("llmeval-judge"), ChatMessage::User("<question>Q?</question>")};
  missing_answer.response_format_json = "{}";
  Parsed parsed = ParseReply(SimulateChat(missing_answer).message.content.value());
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.verdict, "no");
}

}  // namespace
}  // namespace llmeval
