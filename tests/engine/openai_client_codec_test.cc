// Tests of the OpenAI client codec: response bodies shaped like those of OpenAI, Azure, vLLM, llama.cpp, Ollama,
// OpenRouter, TGI and DeepSeek (written for these tests), error bodies, and request encoding.
#include "engine/providers/openai_client_codec.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>

namespace llmeval {
namespace {

struct ResponseCase {
  const char* name;
  std::string body;
  bool ok;
  std::string content;  // "<null>" for an absent content.
  std::string finish_reason;
  size_t tool_calls;
  std::string first_arguments;
  std::string refusal;
  bool usage_reported;
  int64_t input_tokens, output_tokens, cached_tokens, reasoning_tokens;
  std::string error_substring;
};

std::string Content(const ChatResponse& r) { return r.message.content ? *r.message.content : "<null>"; }

TEST(DecodeChatResponseJsonTest, Table) {
  const ResponseCase cases[] = {
      {"plain openai",
       R"({"id":"chatcmpl-1","object":"chat.completion","created":1727000000,"model":"gpt-4o-2024-08-06",
           "choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","refusal":null,"annotations":[]},
           "logprobs":null,"finish_reason":"stop"}],
           "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
                    "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},
                    "completion_tokens_details":{"reasoning_tokens":1,"accepted_prediction_tokens":0}},
           "service_tier":"default","system_fingerprint":"fp_x"})",
       true, "Paris.", "stop", 0, "", "", true, 12, 3, 4, 1, ""},
      {"tool call with content null",
       R"({"id":"c","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
           "tool_calls":[{"id":"call_A","type":"function","function":{"name":"get_weather",
           "arguments":"{\"city\":\"Oslo\"}"}}],"refusal":null},"finish_reason":"tool_calls"}],
           "usage":{"prompt_tokens":40,"completion_tokens":9}})",
       true, "<null>", "tool_calls", 1, R"({"city":"Oslo"})", "", true, 40, 9, 0, 0, ""},
      {"arguments as an object (TGI, llama.cpp)",
       R"({"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"0","type":"function",
           "function":{"description":null,"name":"pay","arguments":{"transaction_id":"T1001","n":[1,2]}}}]},
           "finish_reason":"tool_calls"}]})",
       true, "<null>", "tool_calls", 1, R"({"transaction_id":"T1001","n":[1,2]})", "", false, 0, 0, 0, 0, ""},
      {"refusal",
       R"({"choices":[{"index":0,"message":{"role":"assistant","content":null,
           "refusal":"I'm very sorry, but I can't assist with that."},"finish_reason":"stop"}],
           "usage":{"prompt_tokens":5,"completion_tokens":11,"completion_tokens_details":{"reasoning_tokens":0}}})",
       true, "<null>", "stop", 0, "", "I'm very sorry, but I can't assist with that.", true, 5, 11, 0, 0, ""},
      {"missing usage (old llama.cpp)", R"({"choices":[{"message":{"content":"hi"},"finish_reason":"length"}]})", true,
       "hi", "length", 0, "", "", false, 0, 0, 0, 0, ""},
      {"deepseek cache fields",
       R"({"choices":[{"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
           "usage":{"completion_tokens":40,"prompt_tokens":11,"total_tokens":51,"prompt_cache_hit_tokens":7,
           "prompt_cache_miss_tokens":4}})",
       true, "ok", "stop", 0, "", "", true, 11, 40, 7, 0, ""},
      {"unknown fields everywhere (vLLM, llama.cpp, OpenRouter)",
       R"({"id":"gen-1","provider":"X","choices":[{"index":0,"stop_reason":null,"token_ids":null,
           "message":{"role":"assistant","content":"🙂 yes","reasoning_content":"think","tool_calls":[],
           "reasoning_details":[{"type":"r","signature":"s"}]},"native_finish_reason":"end_turn",
           "finish_reason":"stop"}],"timings":{"prompt_n":3},"prompt_logprobs":null,
           "usage":{"prompt_tokens":3,"completion_tokens":2,"cost":0.1,"prompt_tokens_details":{"cached_tokens":1}}})",
       true, "🙂 yes", "stop", 0, "", "", true, 3, 2, 1, 0, ""},
      {"n=3 takes the first choice",
       R"({"choices":[{"index":0,"message":{"role":"assistant","content":"first"},"finish_reason":"stop"},
           {"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"stop"},
           {"index":2,"message":{"role":"assistant","content":"third"},"finish_reason":"stop"}],
           "usage":{"prompt_tokens":1,"completion_tokens":30}})",
       true, "first", "stop", 0, "", "", true, 1, 30, 0, 0, ""},
      {"content as an array of parts",
       R"({"choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}]})",
       true, "ab", "", 0, "", "", false, 0, 0, 0, 0, ""},
      {"empty choices", R"({"id":"x","choices":[],"usage":{"prompt_tokens":1}})", false, "", "", 0, "", "", false, 0, 0,
       0, 0, "provider returned no choices"},
      {"no choices key", R"({"id":"x"})", false, "", "", 0, "", "", false, 0, 0, 0, 0, "provider returned no choices"},
      {"garbage", "<html>502 Bad Gateway</html>", false, "", "", 0, "", "", false, 0, 0, 0, 0, "not valid JSON"},
      {"truncated", R"({"choices":[{"message":{"content":"hel)", false, "", "", 0, "", "", false, 0, 0, 0, 0,
       "not valid JSON"},
      {"error inside a 200", R"({"error":{"message":"upstream overloaded","code":502}})", false, "", "", 0, "", "",
       false, 0, 0, 0, 0, "upstream overloaded"},
  };
  for (const ResponseCase& c : cases) {
    SCOPED_TRACE(c.name);
    Result<ChatResponse> r = DecodeChatResponseJson(c.body);
    ASSERT_EQ(r.ok(), c.ok) << r.status().ToString();
    if (!c.ok) {
      EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
      EXPECT_NE(r.status().message().find(c.error_substring), std::string::npos) << r.status().message();
      continue;
    }
    EXPECT_EQ(Content(*r), c.content);
    EXPECT_EQ(r->message.role, "assistant");
    EXPECT_EQ(r->finish_reason, c.finish_reason);
    ASSERT_EQ(r->message.tool_calls.size(), c.tool_calls);
    if (c.tool_calls > 0) {
      EXPECT_EQ(r->message.tool_calls[0].arguments_json, c.first_arguments);
    }
    EXPECT_EQ(r->refusal, c.refusal);
    EXPECT_EQ(r->usage.reported, c.usage_reported);
    EXPECT_EQ(r->usage.input_tokens, c.input_tokens);
    EXPECT_EQ(r->usage.output_tokens, c.output_tokens);
    EXPECT_EQ(r->usage.cached_tokens, c.cached_tokens);
    EXPECT_EQ(r->usage.reasoning_tokens, c.reasoning_tokens);
  }
}

TEST(DecodeChatResponseJsonTest, KeepsIdsModelAndParallelToolCalls) {
  Result<ChatResponse> r = DecodeChatResponseJson(
      R"({"id":"chatcmpl-9","created":1727346167,"model":"gpt-4o","choices":[{"message":{"role":"assistant",
          "content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"a","arguments":"{}"}},
          {"id":"call_2","type":"function","function":{"name":"b","arguments":"{\"x\":1}"}},
          {"type":"function","function":{"name":"c"}}]},"finish_reason":"tool_calls"}]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "chatcmpl-9");
  EXPECT_EQ(r->model, "gpt-4o");
  EXPECT_EQ(r->created, 1727346167);
  ASSERT_EQ(r->message.tool_calls.size(), 3u);
  EXPECT_EQ(r->message.tool_calls[0].id, "call_1");
  EXPECT_EQ(r->message.tool_calls[1].name, "b");
  EXPECT_EQ(r->message.tool_calls[1].arguments_json, R"({"x":1})");
  EXPECT_EQ(r->message.tool_calls[2].id, "call_2");  // Missing id: generated from the position.
  EXPECT_EQ(r->message.tool_calls[2].arguments_json, "{}");
}

TEST(DecodeChatResponseJsonTest, GarbageMessageQuotesAtMost200Chars) {
  std::string body = "oops " + std::string(5000, 'x');
  Result<ChatResponse> r = DecodeChatResponseJson(body);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not valid JSON"), std::string::npos);
  EXPECT_NE(r.status().message().find("oops xxx"), std::string::npos);
  const std::string& message = r.status().message();
  EXPECT_LE(std::count(message.begin(), message.end(), 'x'), 200);
  EXPECT_GE(std::count(message.begin(), message.end(), 'x'), 150);
  EXPECT_NE(message.find("..."), std::string::npos);
}

struct ErrorCase {
  const char* name;
  int status;
  std::string body;
  std::string message, type, code, param;
};

TEST(DecodeErrorBodyTest, Table) {
  const ErrorCase cases[] = {
      {"openai wrapped", 429,
       R"({"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,
           "code":"insufficient_quota"}})",
       "You exceeded your current quota.", "insufficient_quota", "insufficient_quota", ""},
      {"azure string code", 429, R"({"error":{"code":"429","message":"Please retry after 86400 seconds."}})",
       "Please retry after 86400 seconds.", "", "429", ""},
      {"vllm legacy unwrapped", 400,
       R"({"object":"error","message":"maximum context length is 131072","type":"BadRequestError","param":null,
           "code":400})",
       "maximum context length is 131072", "BadRequestError", "400", ""},
      {"llama.cpp numeric code", 400,
       R"({"error":{"code":400,"message":"the request exceeds the available context size","type":
           "exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":4096}})",
       "the request exceeds the available context size", "exceed_context_size_error", "400", ""},
      {"ollama null code", 400, R"({"error":{"message":"invalid model","type":"invalid_request_error","param":null,
           "code":null}})",
       "invalid model", "invalid_request_error", "", ""},
      {"param kept", 400, R"({"error":{"message":"Unsupported parameter: 'max_tokens'","type":
           "invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}})",
       "Unsupported parameter: 'max_tokens'", "invalid_request_error", "unsupported_parameter", "max_tokens"},
      {"string error", 502, R"({"error":"bad gateway upstream"})", "bad gateway upstream", "", "", ""},
      {"fastapi detail", 422, R"({"detail":"field required"})", "field required", "", "", ""},
      {"plain text", 503, "Service Unavailable\n", "Service Unavailable", "", "", ""},
      {"empty", 500, "", "HTTP 500 with an empty body", "", "", ""},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    ProviderError e = DecodeErrorBody(c.status, c.body);
    EXPECT_EQ(e.http_status, c.status);
    EXPECT_EQ(e.message, c.message);
    EXPECT_EQ(e.type, c.type);
    EXPECT_EQ(e.code, c.code);
    EXPECT_EQ(e.param, c.param);
  }
}

// Parses `json` (asserting it is valid) for field checks.
simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  return doc;
}

TEST(EncodeChatRequestJsonTest, PlainRequestWithEscapingAndInvalidUtf8) {
  ChatRequest r;
  r.model = "gpt-4.1-mini";
  r.messages = {ChatMessage::System("Be \"brief\"\n\\ok"), ChatMessage::User(std::string("bad \xff\xfe byte"))};
  r.temperature = 0.25;
  r.max_tokens = 64;
  r.seed = 7;
  r.stop = {"\n\n", "END"};
  std::string json = EncodeChatRequestJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseJson(parser, json);
  EXPECT_EQ(std::string_view(doc["model"]), "gpt-4.1-mini");
  EXPECT_EQ(std::string_view(doc["messages"].at(0)["content"]), "Be \"brief\"\n\\ok");
  EXPECT_EQ(std::string_view(doc["messages"].at(1)["content"]), "bad \xEF\xBF\xBD\xEF\xBF\xBD byte");
  EXPECT_EQ(double(doc["temperature"]), 0.25);
  EXPECT_EQ(int64_t(doc["max_tokens"]), 64);
  EXPECT_EQ(doc["max_completion_tokens"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(int64_t(doc["seed"]), 7);
  EXPECT_EQ(std::string_view(doc["stop"].at(0)), "\n\n");
  EXPECT_EQ(doc["stream"].error(), simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(doc["top_p"].error(), simdjson::NO_SUCH_FIELD);
}

TEST(EncodeChatRequestJsonTest, MaxCompletionTokensSwitch) {
  ChatRequest r;
  r.model = "gpt-5";
  r.max_tokens = 100;
  r.use_max_completion_tokens = true;
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseJson(parser, EncodeChatRequestJson(r));
  EXPECT_EQ(int64_t(doc["max_completion_tokens"]), 100);
  EXPECT_EQ(doc["max_tokens"].error(), simdjson::NO_SUCH_FIELD);
}

TEST(EncodeChatRequestJsonTest, ToolsToolLoopMessagesAndRawFields) {
  ChatRequest r;
  r.model = "m";
  ChatMessage assistant{"assistant", std::nullopt, {{"call_1", "get_weather", R"({"city":"Oslo"})"}}, "", ""};
  r.messages = {ChatMessage::User("weather?"), assistant, ChatMessage::Tool("call_1", "sunny")};
  r.tools = {{"get_weather", "Weather by city", R"({"type":"object","properties":{"city":{"type":"string"}}})"}};
  r.tool_choice_json = "auto";  // A bare word is sent as a string.
  r.parallel_tool_calls = false;
  r.response_format_json = R"({"type":"json_object"})";
  r.stream = true;
  r.extra_params_json = R"({"top_k":5,"temperature":0.9})";
  r.temperature = 0.1;  // Overridden by the extra params.
  std::string json = EncodeChatRequestJson(r);
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseJson(parser, json);
  simdjson::dom::element a = doc["messages"].at(1);
  EXPECT_TRUE(a["content"].is_null());
  EXPECT_EQ(std::string_view(a["tool_calls"].at(0)["id"]), "call_1");
  EXPECT_EQ(std::string_view(a["tool_calls"].at(0)["type"]), "function");
  EXPECT_EQ(std::string_view(a["tool_calls"].at(0)["function"]["arguments"]), R"({"city":"Oslo"})");
  simdjson::dom::element tool = doc["messages"].at(2);
  EXPECT_EQ(std::string_view(tool["role"]), "tool");
  EXPECT_EQ(std::string_view(tool["tool_call_id"]), "call_1");
  simdjson::dom::element spec = doc["tools"].at(0);
  EXPECT_EQ(std::string_view(spec["type"]), "function");
  EXPECT_EQ(std::string_view(spec["function"]["name"]), "get_weather");
  EXPECT_EQ(std::string_view(spec["function"]["description"]), "Weather by city");
  EXPECT_EQ(std::string_view(spec["function"]["parameters"]["properties"]["city"]["type"]), "string");
  EXPECT_EQ(std::string_view(doc["tool_choice"]), "auto");
  EXPECT_FALSE(bool(doc["parallel_tool_calls"]));
  EXPECT_EQ(std::string_view(doc["response_format"]["type"]), "json_object");
  EXPECT_TRUE(bool(doc["stream"]));
  EXPECT_TRUE(bool(doc["stream_options"]["include_usage"]));
  EXPECT_EQ(int64_t(doc["top_k"]), 5);
  EXPECT_EQ(double(doc["temperature"]), 0.9);
  EXPECT_EQ(json.find("\"temperature\"", json.find("\"temperature\"") + 1), std::string::npos);  // Only once.
}

TEST(EncodeChatRequestJsonTest, ObjectToolChoiceAndInvalidRawFieldsStayValid) {
  ChatRequest r;
  r.model = "m";
  r.tool_choice_json = R"({"type":"function","function":{"name":"f"}})";
  r.tools = {{"f", "", "{not json"}};
  r.response_format_json = "[1,2";
  r.extra_params_json = "nope";
  simdjson::dom::parser parser;
  simdjson::dom::element doc = ParseJson(parser, EncodeChatRequestJson(r));
  EXPECT_EQ(std::string_view(doc["tool_choice"]["function"]["name"]), "f");
  EXPECT_EQ(std::string_view(doc["tools"].at(0)["function"]["parameters"]["type"]), "object");
  EXPECT_EQ(doc["response_format"].error(), simdjson::NO_SUCH_FIELD);

  Status s = ValidateChatRequest(r);
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_NE(s.message().find("response_format"), std::string::npos) << s.message();
  r.response_format_json.clear();
  s = ValidateChatRequest(r);
  EXPECT_NE(s.message().find("extra request parameters"), std::string::npos) << s.message();
  r.extra_params_json.clear();
  s = ValidateChatRequest(r);
  EXPECT_NE(s.message().find("tool 'f'"), std::string::npos) << s.message();
  r.tools[0].parameters_schema_json = "{}";
  EXPECT_TRUE(ValidateChatRequest(r).ok());
  r.model.clear();
  EXPECT_FALSE(ValidateChatRequest(r).ok());
}

}  // namespace
}  // namespace llmeval
