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

}  // namespace
}  // namespace llmeval
