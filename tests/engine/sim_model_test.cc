#include "engine/sim/sim_model.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>

#include "core/strings.h"
#include "engine/sim/sim_judge.h"
#include "engine/sim/sim_text.h"

namespace llmeval {
namespace {

ChatRequest Ask(const std::string& user, const std::string& system = "You are a helpful assistant.") {
  ChatRequest request;
  request.model = "sim";
  request.messages = {ChatMessage::System(system), ChatMessage::User(user)};
  return request;
}

std::string Content(const ChatResponse& response) { return response.message.content.value_or(""); }

std::string Topic(int i) {
  static const char* kTopics[] = {"dependency injection", "unit testing", "code review",     "microservices",
                                  "technical debt",       "refactoring",  "version control", "pair programming",
                                  "continuous delivery",  "type systems"};
  return std::string(kTopics[i % 10]) + " number " + std::to_string(i);
}

TEST(SimQuestionTest, FindsTheQuestion) {
  struct Case {
    std::string user;
    std::string expected;  // "" means no question.
  };
  const Case cases[] = {
      {"Context: blah.\nQuestion: What is X?\nAnswer:", "What is X?"},
      {"question:   why do tests matter  \n", "why do tests matter"},
      {"Example Question: no\nQUESTION: second one\n", "second one"},
      {"Question:\nWhat is a monad?\n\nThanks", "What is a monad?"},
      {"Hello there. Is refactoring safe? Please answer.", "Is refactoring safe?"},
      {"First? Then the real one: how does caching work?", "Then the real one: how does caching work?"},
      {"Please summarise the text below.", ""},
  };
  for (const Case& c : cases) {
    ChatRequest request = Ask(c.user);
    auto question = FindSimQuestion(request);
    if (c.expected.empty()) {
      EXPECT_FALSE(question.has_value()) << c.user;
    } else {
      ASSERT_TRUE(question.has_value()) << c.user;
      EXPECT_EQ(*question, c.expected) << c.user;
    }
  }
}

TEST(SimModelTest, IsDeterministicAndIgnoresNeutralTemplateEdits) {
  ChatRequest a = Ask("Answer the question.\nQuestion: What is dependency injection?");
  ChatRequest b = Ask("Please answer the following question.\nQuestion: What is dependency injection?",
                      "You are an expert assistant.");
  ChatResponse first = SimulateChat(a);
  ChatResponse again = SimulateChat(a);
  EXPECT_EQ(Content(first), Content(again));
  EXPECT_EQ(first.id, again.id);
  EXPECT_EQ(first.created, again.created);
  EXPECT_EQ(Content(first), Content(SimulateChat(b)));
  EXPECT_NE(Content(first), Content(SimulateChat(a, /*seed=*/1)));
  ChatRequest seeded = a;
  seeded.seed = 42;
  EXPECT_NE(Content(first), Content(SimulateChat(seeded)));
  EXPECT_NE(Content(first), Content(SimulateChat(Ask("Question: What is unit testing?"))));
  EXPECT_TRUE(StartsWith(first.id, "chatcmpl-sim-"));
  EXPECT_EQ(first.model, "sim");
  EXPECT_EQ(first.finish_reason, "stop");
  EXPECT_EQ(first.message.role, "assistant");
}

TEST(SimModelTest, NormalAnswersReuseTheQuestionsKeyWords) {
  int mentions_se = 0;
  for (int i = 0; i < 50; ++i) {
    std::string question = "What is " + Topic(i) + "?";
    std::string answer = Content(SimulateChat(Ask(question)));
    EXPECT_TRUE(SharesKeyword(ExtractKeywords(question), answer)) << answer;
    mentions_se += ContainsIgnoreCase(answer, "software engineering");
  }
  EXPECT_GT(mentions_se, 15);  // Often...
  EXPECT_LT(mentions_se, 50);  // ...but not always.
}

TEST(SimModelTest, OneWordInstructionGivesOneWord) {
  for (int i = 0; i < 20; ++i) {
    ChatRequest request = Ask("Question: What is " + Topic(i) + "? Answer in one word only.");
    EXPECT_EQ(CountWords(Content(SimulateChat(request))), 1u);
  }
  ChatRequest in_system = Ask("What is refactoring?", "Reply in one word.");
  EXPECT_EQ(CountWords(Content(SimulateChat(in_system))), 1u);
}

TEST(SimModelTest, PromptWithoutQuestionIsOffTopic) {
  const std::string prompts[] = {
      "Summarise the key ideas of software design patterns for the reader.",
      "Write a short note about gardening and bread baking for our newsletter.",
      "Describe tides, migration of birds and jazz.",
  };
  for (const std::string& prompt : prompts) {
    ChatRequest request = Ask(prompt);
    ASSERT_FALSE(FindSimQuestion(request).has_value());
    std::string answer = AsciiLower(Content(SimulateChat(request)));
    ASSERT_FALSE(answer.empty());
    for (const std::string& keyword : ExtractKeywords(prompt + " You are a helpful assistant.", 100)) {
      EXPECT_EQ(answer.find(keyword), std::string::npos) << keyword << " in: " << answer;
    }
  }
}

TEST(SimModelTest, StyleInstructionsChangeTheAnswer) {
  int examples = 0;
  int definitions = 0;
  size_t concise_words = 0;
  size_t normal_words = 0;
  for (int i = 0; i < 30; ++i) {
    std::string question = "Question: How does " + Topic(i) + " work?";
    examples += Content(SimulateChat(Ask(question + "\nGive an example."))).find("For example, ") != std::string::npos;
    std::string rigorous = Content(SimulateChat(Ask(question, "Be rigorous and academic.")));
    definitions += ContainsIgnoreCase(rigorous, "defined as") || ContainsIgnoreCase(rigorous, "refers to");
    concise_words += CountWords(Content(SimulateChat(Ask(question, "Be concise."))));
    normal_words += CountWords(Content(SimulateChat(Ask(question))));
  }
  EXPECT_GE(examples, 27);  // All but the very short answers.
  EXPECT_GE(definitions, 27);
  EXPECT_LT(concise_words * 2, normal_words);
}

TEST(SimModelTest, LengthsVaryWithSomeVeryShortAndSomeVeryLong) {
  int very_short = 0;
  int very_long = 0;
  int normal = 0;
  for (int i = 0; i < 200; ++i) {
    size_t words = CountWords(Content(SimulateChat(Ask("Question: Why does " + Topic(i) + " matter?"))));
    very_short += words < 10;
    very_long += words > 1000;
    normal += words >= 40 && words <= 250;
  }
  EXPECT_GT(very_short, 0);
  EXPECT_LT(very_short, 30);
  EXPECT_GT(very_long, 0);
  EXPECT_LT(very_long, 20);
  EXPECT_EQ(very_short + very_long + normal, 200);
}

TEST(SimModelTest, MaxTokensCutsTheAnswer) {
  ChatRequest request = Ask("Question: Explain technical debt in depth.");
  request.max_tokens = 8;
  ChatResponse response = SimulateChat(request);
  EXPECT_EQ(response.finish_reason, "length");
  EXPECT_LE(CountWords(Content(response)), 6u);
  EXPECT_GE(CountWords(Content(response)), 1u);
  EXPECT_LE(response.usage.output_tokens, 8);
  request.max_tokens = 100000;
  EXPECT_EQ(SimulateChat(request).finish_reason, "stop");
}

TEST(SimModelTest, StopSequencesCutTheContent) {
  ChatRequest request = Ask("Question: What is code review?");
  std::string full = Content(SimulateChat(request));
  size_t space = full.find(' ');
  ASSERT_NE(space, std::string::npos);
  request.stop = {" "};
  EXPECT_EQ(Content(SimulateChat(request)), full.substr(0, space));
}

TEST(SimModelTest, UsageIsPlausible) {
  ChatRequest request = Ask("Question: What is version control?");
  ChatResponse response = SimulateChat(request);
  EXPECT_TRUE(response.usage.reported);
  EXPECT_GT(response.usage.input_tokens, 5);
  EXPECT_NEAR(static_cast<double>(response.usage.output_tokens), CountWords(Content(response)) * 1.3, 1.0);
  EXPECT_EQ(response.usage.reasoning_tokens, 0);
  for (const char* model : {"o3-mini", "gpt-5", "my-reasoning-model"}) {
    request.model = model;
    response = SimulateChat(request);
    EXPECT_GT(response.usage.reasoning_tokens, 0) << model;
    EXPECT_GT(response.usage.output_tokens, response.usage.reasoning_tokens) << model;
    EXPECT_EQ(response.model, model);
  }
  int cached = 0;
  std::string long_system(4000, 'x');
  for (int i = 0; i < 20; ++i) {
    ChatResponse r = SimulateChat(Ask("Question: What is " + Topic(i) + "?", long_system));
    if (r.usage.cached_tokens > 0) {
      ++cached;
      EXPECT_EQ(r.usage.cached_tokens % 128, 0);
      EXPECT_LT(r.usage.cached_tokens, r.usage.input_tokens);
    }
  }
  EXPECT_GT(cached, 0);
}

ChatRequest WithSearchTool(const std::string& question) {
  ChatRequest request = Ask(question);
  ToolSpec tool;
  tool.name = "web_search";
  tool.description = "Search the web";
  tool.parameters_schema_json =
      R"({"type":"object","properties":{"query":{"type":"string"},"max_results":{"type":"integer"}},)"
      R"("required":["query"]})";
  request.tools = {tool};
  return request;
}

TEST(SimModelTest, OfferedToolsAreCalledWithQueriesFromTheQuestion) {
  simdjson::dom::parser parser;
  int parallel = 0;
  for (int i = 0; i < 40; ++i) {
    ChatResponse response = SimulateChat(WithSearchTool("Question: What is " + Topic(i) + "?"));
    EXPECT_EQ(response.finish_reason, "tool_calls");
    EXPECT_FALSE(response.message.content.has_value());
    ASSERT_FALSE(response.message.tool_calls.empty());
    std::set<std::string> queries;
    for (const ToolCall& call : response.message.tool_calls) {
      EXPECT_EQ(call.name, "web_search");
      EXPECT_TRUE(StartsWith(call.id, "call_"));
      EXPECT_EQ(call.id.size(), 21u);
      simdjson::dom::element args;
      ASSERT_FALSE(parser.parse(call.arguments_json).get(args)) << call.arguments_json;
      std::string_view query;
      ASSERT_FALSE(args["query"].get_string().get(query)) << call.arguments_json;
      EXPECT_NE(query.find(ExtractKeywords(Topic(i))[0]), std::string_view::npos) << query;
      EXPECT_EQ(int64_t(args["max_results"]), 3);
      queries.insert(std::string(query));
    }
    EXPECT_EQ(queries.size(), response.message.tool_calls.size());  // Parallel calls differ.
    parallel += response.message.tool_calls.size() == 2;
  }
  EXPECT_GT(parallel, 3);
  EXPECT_LT(parallel, 25);
}

TEST(SimModelTest, ToolSchemaWithoutQueryUsesTheFirstStringProperty) {
  ChatRequest request = WithSearchTool("What is pair programming?");
  request.tools[0].parameters_schema_json =
      R"({"type":"object","properties":{"limit":{"type":"integer"},"topic":{"type":"string"}}})";
  ChatResponse response = SimulateChat(request);
  ASSERT_FALSE(response.message.tool_calls.empty());
  EXPECT_EQ(response.message.tool_calls[0].arguments_json.rfind("{\"topic\":\"pair programming", 0), 0u)
      << response.message.tool_calls[0].arguments_json;
}

TEST(SimModelTest, AnswersAfterToolResultsCiteTheirLinks) {
  ChatRequest request = WithSearchTool("Question: What is refactoring?");
  ChatResponse call = SimulateChat(request);
  ASSERT_FALSE(call.message.tool_calls.empty());
  request.messages.push_back(call.message);
  request.messages.push_back(ChatMessage::Tool(
      call.message.tool_calls[0].id,
      "1. [Refactoring Guide](https://example.com/guide) - intro\n2. [Martin on refactoring](https://example.com/"
      "martin)\n3. [Catalog](https://example.com/catalog)"));
  ChatResponse answer = SimulateChat(request);
  EXPECT_EQ(answer.finish_reason, "stop");
  EXPECT_TRUE(answer.message.tool_calls.empty());
  std::string text = Content(answer);
  int cited = 0;
  for (const char* link :
       {"(https://example.com/guide)", "(https://example.com/martin)", "(https://example.com/catalog)"}) {
    cited += text.find(link) != std::string::npos;
  }
  EXPECT_EQ(cited, 2) << text;
  EXPECT_NE(text.find("]("), std::string::npos);
}

}  // namespace
}  // namespace llmeval
