// Turning a collected trace (an instrumented application's spans) into an evaluation item: the question it was asked
// and the answer it gave, read from the attribute conventions instrumentations emit, and the tools it called:
//   GenAI semantic conventions: gen_ai.input.messages / gen_ai.output.messages (on the span, or on an event such as
//     gen_ai.client.inference.operation.details), the older gen_ai.prompt / gen_ai.completion (also OpenLLMetry's
//     gen_ai.prompt.N.content / gen_ai.completion.N.content) and the gen_ai.user.message / gen_ai.choice events;
//   OpenInference: input.value / output.value, llm.input_messages.N.message.{role,content} and
//     llm.output_messages.N.message.content;
//   MLflow: mlflow.spanInputs / mlflow.spanOutputs (JSON: a string, {"messages": [...]}, {"question"|"query"|
//     "input"|"inputs": ...}, or a chat completion's {"choices": [{"message": {"content": ...}}]}).
// The root span is read first; when it says nothing, the earliest span with an input and the last-ending span with an
// output. Messages give the last user message's text as the input and the assistant's text as the output. Tool calls
// come from spans with gen_ai.tool.name (execute_tool). A trace with no recognisable input or output is not guessed
// at: ExtractTraceItem returns nullopt and names the reason.
//
// Pure functions, thread-safe.
#ifndef LLMEVAL_TRACING_TRACE_ITEMS_H_
#define LLMEVAL_TRACING_TRACE_ITEMS_H_

#include <optional>
#include <string>
#include <vector>

#include "tracing/span.h"

namespace llmeval {

struct TraceItemTool {
  std::string name;
  std::string arguments;
  std::string result;
  bool error = false;
};

struct TraceItem {
  std::string input;
  std::string output;
  std::string convention;  // "gen_ai", "openinference", "mlflow": where the input was found.
  std::string model;       // gen_ai.request.model / llm.model_name of the first span that has one, "" otherwise.
  std::vector<TraceItemTool> tools;
};

// The model and tool calls an application's spans record, in start order: what the scorers of `llmeval run --target`
// see of the app's inside. Tools: spans with gen_ai.tool.name (arguments gen_ai.tool.call.arguments, result
// gen_ai.tool.call.result) or OpenInference TOOL spans (tool.name, input.value, output.value). Model calls: spans whose
// gen_ai.operation.name is chat, text_completion or generate_content, or OpenInference LLM spans; their tokens from
// gen_ai.usage.input_tokens / output_tokens (or the older prompt_tokens / completion_tokens) or llm.token_count.prompt
// / completion; their cost from llmeval.cost_usd, gen_ai.usage.cost or llm.cost.total when one is there.
struct AppModelCall {
  std::string model;  // gen_ai.request.model / gen_ai.response.model / llm.model_name, "" when none.
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t duration_ms = 0;
};

struct AppCalls {
  std::vector<TraceItemTool> tools;
  std::vector<AppModelCall> model_calls;
  int64_t input_tokens = 0;  // Sums over the model calls.
  int64_t output_tokens = 0;
  std::optional<double> cost_usd;  // The sum of the costs found; absent when no span had one.
};

AppCalls ExtractAppCalls(const std::vector<Span>& spans);

// `reason` (when not null) is set to "no root span", "no recognisable input" or "no recognisable output" on nullopt.
std::optional<TraceItem> ExtractTraceItem(const std::vector<Span>& spans, std::string* reason);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_TRACE_ITEMS_H_
