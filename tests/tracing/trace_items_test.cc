// ExtractTraceItem: the same question, answer and tool calls from traces in the GenAI semantic conventions (attributes,
// events, the older prompt/completion and OpenLLMetry's indexed form), OpenInference (values and indexed messages)
// and MLflow (span inputs/outputs JSON), read from the root or from child spans; traces without them are skipped with
// the reason.
#include "tracing/trace_items.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

constexpr char kQuestion[] = "What is a unit test?";
constexpr char kAnswer[] = "A test of one small unit.";

Span MakeSpan(uint8_t id, uint8_t parent, std::string name, Attributes attributes, int64_t start = 0) {
  Span s;
  s.trace_id.bytes[0] = 1;
  s.span_id.bytes[7] = id;
  s.parent_span_id.bytes[7] = parent;
  s.name = std::move(name);
  s.attributes = std::move(attributes);
  s.start_unix_nanos = start;
  s.end_unix_nanos = start + 10;
  return s;
}

std::vector<Span> WithTool(Span root) {
  return {std::move(root),
          MakeSpan(2, 1, "execute_tool search",
                   {{"gen_ai.tool.name", "search"}, {"gen_ai.tool.call.arguments", "{\"q\":\"x\"}"}}, 1)};
}

void ExpectSameItem(const std::vector<Span>& spans, const std::string& convention) {
  std::string reason;
  std::optional<TraceItem> item = ExtractTraceItem(spans, &reason);
  ASSERT_TRUE(item.has_value()) << reason;
  EXPECT_EQ(item->input, kQuestion);
  EXPECT_EQ(item->output, kAnswer);
  EXPECT_EQ(item->convention, convention);
  ASSERT_EQ(item->tools.size(), 1u);
  EXPECT_EQ(item->tools[0].name, "search");
  EXPECT_EQ(item->tools[0].arguments, "{\"q\":\"x\"}");
}

TEST(TraceItems, ThreeConventionsGiveTheSameItem) {
  ExpectSameItem(
      WithTool(MakeSpan(
          1, 0, "invoke_agent",
          {{"gen_ai.input.messages", R"([{"role":"system","parts":[{"type":"text","content":"be brief"}]},)"
                                     R"({"role":"user","parts":[{"type":"text","content":"What is a unit test?"}]}])"},
           {"gen_ai.output.messages",
            R"([{"role":"assistant","parts":[{"type":"text","content":"A test of one small unit."}]}])"}})),
      "gen_ai");
  ExpectSameItem(WithTool(MakeSpan(1, 0, "agent", {{"input.value", kQuestion}, {"output.value", kAnswer}})),
                 "openinference");
  ExpectSameItem(WithTool(MakeSpan(1, 0, "predict",
                                   {{"mlflow.spanInputs", R"({"question":"What is a unit test?"})"},
                                    {"mlflow.spanOutputs", R"("A test of one small unit.")"}})),
                 "mlflow");
}

TEST(TraceItems, OlderAndIndexedFormsEventsAndChildSpans) {
  ExpectSameItem(WithTool(MakeSpan(1, 0, "chat", {{"gen_ai.prompt", kQuestion}, {"gen_ai.completion", kAnswer}})),
                 "gen_ai");
  ExpectSameItem(WithTool(MakeSpan(1, 0, "chat",
                                   {{"gen_ai.prompt.0.role", "system"},
                                    {"gen_ai.prompt.0.content", "be brief"},
                                    {"gen_ai.prompt.1.role", "user"},
                                    {"gen_ai.prompt.1.content", kQuestion},
                                    {"gen_ai.completion.0.role", "assistant"},
                                    {"gen_ai.completion.0.content", kAnswer}})),
                 "gen_ai");
  ExpectSameItem(WithTool(MakeSpan(1, 0, "llm",
                                   {{"llm.input_messages.0.message.role", "user"},
                                    {"llm.input_messages.0.message.content", kQuestion},
                                    {"llm.output_messages.0.message.role", "assistant"},
                                    {"llm.output_messages.0.message.content", kAnswer}})),
                 "openinference");
  Span events = MakeSpan(1, 0, "chat", {});
  events.events.push_back({"gen_ai.user.message", 0, {{"content", kQuestion}}});
  events.events.push_back(
      {"gen_ai.choice", 1, {{"message", R"({"role":"assistant","content":"A test of one small unit."})"}}});
  ExpectSameItem(WithTool(events), "gen_ai");
  // The root says nothing: the child LLM span does (MLflow's chat-completion output shape).
  std::vector<Span> nested = WithTool(MakeSpan(1, 0, "request", {{"http.route", "/ask"}}));
  nested.push_back(
      MakeSpan(3, 1, "chat",
               {{"mlflow.spanInputs", R"({"messages":[{"role":"user","content":"What is a unit test?"}]})"},
                {"mlflow.spanOutputs",
                 R"({"choices":[{"message":{"role":"assistant","content":"A test of one small unit."}}]})"}},
               2));
  ExpectSameItem(nested, "mlflow");
}

TEST(TraceItems, TracesWithoutInputOrOutputAreSkippedWithTheirReason) {
  std::string reason;
  EXPECT_FALSE(ExtractTraceItem({MakeSpan(1, 0, "GET /healthz", {{"http.route", "/healthz"}})}, &reason).has_value());
  EXPECT_EQ(reason, "no recognisable input");
  EXPECT_FALSE(ExtractTraceItem({MakeSpan(1, 0, "agent", {{"input.value", kQuestion}})}, &reason).has_value());
  EXPECT_EQ(reason, "no recognisable output");
  EXPECT_FALSE(ExtractTraceItem({MakeSpan(2, 1, "orphan", {{"input.value", kQuestion}})}, &reason).has_value());
  EXPECT_EQ(reason, "no root span");
}

// ExtractAppCalls: an application's tool and model calls in both conventions, in start order, with token sums and
// costs; spans that are neither (the app's own HTTP span) are left out.
TEST(TraceItems, AppCallsFromGenAiAndOpenInferenceSpans) {
  std::vector<Span> spans = {
      MakeSpan(1, 0, "POST /answer", {{"http.route", "/answer"}}, 0),
      MakeSpan(2, 1, "chat gpt",
               {{"gen_ai.operation.name", "chat"},
                {"gen_ai.request.model", "gpt"},
                {"gen_ai.usage.input_tokens", int64_t{100}},
                {"gen_ai.usage.output_tokens", int64_t{5}},
                {"llmeval.cost_usd", 0.25}},
               1),
      MakeSpan(
          3, 1, "execute_tool search",
          {{"gen_ai.tool.name", "search"}, {"gen_ai.tool.call.arguments", "{}"}, {"gen_ai.tool.call.result", "found"}},
          2),
      MakeSpan(4, 1, "lookup",
               {{"openinference.span.kind", "TOOL"},
                {"tool.name", "lookup"},
                {"input.value", "{\"id\":7}"},
                {"output.value", "seven"}},
               3),
      MakeSpan(5, 1, "llm",
               {{"openinference.span.kind", "LLM"},
                {"llm.model_name", "m2"},
                {"llm.token_count.prompt", int64_t{40}},
                {"llm.token_count.completion", int64_t{2}},
                {"llm.cost.total", 0.5}},
               4),
  };
  spans[2].status = SpanStatus::kError;
  AppCalls calls = ExtractAppCalls(spans);
  ASSERT_EQ(calls.tools.size(), 2u);
  EXPECT_EQ(calls.tools[0].name, "search");
  EXPECT_EQ(calls.tools[0].result, "found");
  EXPECT_TRUE(calls.tools[0].error);
  EXPECT_EQ(calls.tools[1].name, "lookup");
  EXPECT_EQ(calls.tools[1].arguments, "{\"id\":7}");
  EXPECT_EQ(calls.tools[1].result, "seven");
  ASSERT_EQ(calls.model_calls.size(), 2u);
  EXPECT_EQ(calls.model_calls[0].model, "gpt");
  EXPECT_EQ(calls.model_calls[1].model, "m2");
  EXPECT_EQ(calls.input_tokens, 140);
  EXPECT_EQ(calls.output_tokens, 7);
  ASSERT_TRUE(calls.cost_usd.has_value());
  EXPECT_DOUBLE_EQ(*calls.cost_usd, 0.75);
  EXPECT_TRUE(ExtractAppCalls({spans[0]}).tools.empty());
  EXPECT_FALSE(ExtractAppCalls({spans[0]}).cost_usd.has_value());
}

}  // namespace
}  // namespace llmeval
