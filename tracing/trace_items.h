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

// `reason` (when not null) is set to "no root span", "no recognisable input" or "no recognisable output" on nullopt.
std::optional<TraceItem> ExtractTraceItem(const std::vector<Span>& spans, std::string* reason);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_TRACE_ITEMS_H_
