// Tests of engine/providers/openai_server_codec.h, the server side of the OpenAI wire format used by the sim server.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "engine/providers/openai_server_codec.h"
#include "engine/sim/sim_model.h"

namespace llmeval {
namespace {

TEST(OpenAiServerCodecTest, DecodesAFullRequest) {
  const std::string body = R"({
    "model": "sim", "temperature": 0.5, "top_p": 1, "max_completion_tokens": 64, "seed": 7, "stop": ["END"],
    "unknown_field": {"ignored": true},
    "response_format": {"type": "json_object"},
    "messages": [
      {"role": "system", "content": "Be brief."},
      {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there?"}]},
      {"role": "assistant", "content": null, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": "search", "arguments": "{\"q\":\"x\"}"}},
        {"id": "call_2", "type": "function", "function": {"name": "search", "arguments": {"q": "y"}}}]},
      {"role": "tool", "tool_call_id": "call_1", "content": "result"}
    ],
    "tools": [{"type": "function", "function": {"name": "search", "description": "d",
               "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}],
    "tool_choice": "auto", "parallel_tool_calls": false,
    "stream": true, "stream_options": {"include_usage": true}
  })";
  bool include_usage = false;
  Result<ChatRequest> request = DecodeChatRequestJson(body, &include_usage);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request->model, "sim");
  EXPECT_DOUBLE_EQ(request->temperature.value(), 0.5);
  EXPECT_DOUBLE_EQ(request->top_p.value(), 1.0);
  EXPECT_EQ(request->max_tokens.value(), 64);
  EXPECT_TRUE(request->use_max_completion_tokens);
  EXPECT_EQ(request->seed.value(), 7);
  EXPECT_EQ(request->stop, std::vector<std::string>{"END"});
  EXPECT_EQ(request->response_format_json, R"({"type":"json_object"})");
  ASSERT_EQ(request->messages.size(), 4u);
  EXPECT_EQ(request->messages[1].content.value(), "Hello there?");
  EXPECT_FALSE(request->messages[2].content.has_value());
  ASSERT_EQ(request->messages[2].tool_calls.size(), 2u);
  EXPECT_EQ(request->messages[2].tool_calls[0].arguments_json, R"({"q":"x"})");
  EXPECT_EQ(request->messages[2].tool_calls[1].arguments_json, R"({"q":"y"})");
  EXPECT_EQ(request->messages[3].tool_call_id, "call_1");
  ASSERT_EQ(request->tools.size(), 1u);
  EXPECT_EQ(request->tools[0].name, "search");
  EXPECT_EQ(request->tools[0].parameters_schema_json, R"({"type":"object","properties":{"q":{"type":"string"}}})");
  EXPECT_EQ(request->tool_choice_json, "\"auto\"");
  EXPECT_EQ(request->parallel_tool_calls, false);
  EXPECT_TRUE(request->stream);
  EXPECT_TRUE(include_usage);
}

TEST(OpenAiServerCodecTest, RejectsBadRequestsClearly) {
  struct Case {
    const char* body;
    const char* mentions;
  };
  const Case cases[] = {
      {"{not json", "not valid JSON"},
      {"[1,2]", "JSON object"},
      {R"({"messages": []})", "'model'"},
      {R"({"model": "sim"})", "'messages'"},
      {R"({"model": 3, "messages": [{"role": "user", "content": "x"}]})", "'model'"},
      {R"({"model": "sim", "messages": [{"content": "x"}]})", "'messages[0].role'"},
      {R"({"model": "sim", "messages": [{"role": "user", "content": 5}]})", "'messages[0].content'"},
      {R"({"model": "sim", "messages": []})", "non-empty"},
      {R"({"model": "sim", "messages": [{"role": "user"}], "max_tokens": "x"})", "'max_tokens'"},
  };
  for (const Case& c : cases) {
    Result<ChatRequest> request = DecodeChatRequestJson(c.body);
    ASSERT_FALSE(request.ok()) << c.body;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(request.status().message().find(c.mentions), std::string::npos) << request.status().message();
  }
}

ChatResponse SampleResponse(bool with_tools) {
  ChatRequest request;
  request.model = "sim";
  request.messages = {ChatMessage::User("Question: What is caching? Answer in one word.")};
  if (with_tools) {
    request.messages = {ChatMessage::User("Question: What is caching?")};
    request.tools = {ToolSpec{"search", "Search", R"({"type":"object","properties":{"query":{"type":"string"}}})"}};
  }
  return SimulateChat(request);
}

TEST(OpenAiServerCodecTest, EncodesTheOpenAiShape) {
  ChatResponse response = SampleResponse(true);
  response.usage.cached_tokens = 128;
  std::string json = EncodeChatResponseJson(response);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_FALSE(parser.parse(json).get(root)) << json;
  EXPECT_EQ(std::string_view(root["object"]), "chat.completion");
  EXPECT_EQ(std::string_view(root["id"]), response.id);
  EXPECT_EQ(int64_t(root["created"]), response.created);
  simdjson::dom::element choice = root["choices"].at(0);
  EXPECT_EQ(std::string_view(choice["finish_reason"]), "tool_calls");
  EXPECT_TRUE(choice["message"]["content"].is_null());
  EXPECT_EQ(std::string_view(choice["message"]["role"]), "assistant");
  simdjson::dom::element call = choice["message"]["tool_calls"].at(0);
  EXPECT_EQ(std::string_view(call["type"]), "function");
  EXPECT_EQ(std::string_view(call["function"]["name"]), "search");
  EXPECT_EQ(std::string_view(call["function"]["arguments"]), response.message.tool_calls[0].arguments_json);
  EXPECT_EQ(int64_t(root["usage"]["prompt_tokens"]), response.usage.input_tokens);
  EXPECT_EQ(int64_t(root["usage"]["total_tokens"]), response.usage.input_tokens + response.usage.output_tokens);
  EXPECT_EQ(int64_t(root["usage"]["prompt_tokens_details"]["cached_tokens"]), 128);
  EXPECT_EQ(int64_t(root["usage"]["completion_tokens_details"]["reasoning_tokens"]), 0);
}

// Reassembles a stream the way a client does and checks it matches the response.
TEST(OpenAiServerCodecTest, StreamEventsReassembleToTheResponse) {
  for (bool with_tools : {false, true}) {
    ChatRequest request;
    request.model = "sim";
    request.messages = {ChatMessage::User("Question: How does garbage collection work in practice?")};
    ChatResponse response = with_tools ? SampleResponse(true) : SimulateChat(request);
    std::vector<std::string> events = EncodeChatStreamEvents(response, /*include_usage=*/true);
    ASSERT_GE(events.size(), 4u);
    EXPECT_EQ(events.back(), "data: [DONE]\n\n");
    simdjson::dom::parser parser;
    std::string content;
    std::string arguments;
    std::string finish;
    bool saw_usage = false;
    for (size_t i = 0; i + 1 < events.size(); ++i) {
      const std::string& e = events[i];
      ASSERT_EQ(e.rfind("data: ", 0), 0u);
      ASSERT_EQ(e.substr(e.size() - 2), "\n\n");
      simdjson::dom::element chunk;
      ASSERT_FALSE(parser.parse(e.substr(6, e.size() - 8)).get(chunk)) << e;
      EXPECT_EQ(std::string_view(chunk["object"]), "chat.completion.chunk");
      simdjson::dom::array choices = chunk["choices"];
      if (choices.size() == 0) {
        saw_usage = true;
        EXPECT_EQ(int64_t(chunk["usage"]["completion_tokens"]), response.usage.output_tokens);
        continue;
      }
      simdjson::dom::element delta = choices.at(0)["delta"];
      std::string_view text;
      if (!delta["content"].get_string().get(text)) content += text;
      simdjson::dom::array calls;
      if (!delta["tool_calls"].get_array().get(calls)) {
        std::string_view fragment;
        if (!calls.at(0)["function"]["arguments"].get_string().get(fragment) && int64_t(calls.at(0)["index"]) == 0) {
          arguments += fragment;
        }
      }
      std::string_view reason;
      if (!choices.at(0)["finish_reason"].get_string().get(reason)) finish = std::string(reason);
    }
    EXPECT_TRUE(saw_usage);
    EXPECT_EQ(finish, response.finish_reason);
    if (with_tools) {
      EXPECT_EQ(arguments, response.message.tool_calls[0].arguments_json);
    } else {
      EXPECT_EQ(content, response.message.content.value());
      EXPECT_GT(events.size(), 6u);  // The content came in several pieces.
    }
  }
  EXPECT_EQ(EncodeChatStreamEvents(SampleResponse(false), false).size(), 4u);  // role, one word, finish, DONE.
}

}  // namespace
}  // namespace llmeval
