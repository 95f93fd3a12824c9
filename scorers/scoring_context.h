// ScoringContext: everything a scorer sees about one evaluated item: the input as sent, the output, the dataset row,
// the tool calls, how the call ended and what it cost. Filled by the engine; scorers only read it. Plain data.
#ifndef LLMEVAL_SCORERS_SCORING_CONTEXT_H_
#define LLMEVAL_SCORERS_SCORING_CONTEXT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/chat.h"

namespace llmeval {

struct ToolCallRecord {
  std::string name;
  std::string arguments_json;
  std::string result;
  bool failed = false;
};

struct ScoringContext {
  std::string rendered_input;                    // The user message as sent.
  std::string output;                            // The application's final answer.
  std::map<std::string, std::string> variables;  // Dataset columns, normalized names.
  std::vector<ToolCallRecord> tool_calls;
  std::string finish_reason;
  bool errored = false;  // The application call failed; `error` says why.
  std::string error;
  int64_t latency_ms = 0;
  std::optional<double> cost_usd;  // Absent when the model has no known price.
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  std::string trace_summary;  // A compact text rendering of the trace, for judges with include_trace.

  // Conversations only (empty otherwise): the exchange in order (user, assistant and tool messages; system messages
  // left out), the model's answers counted as turns, and why it ended: "as_given", "end_of_script" (a replay ran
  // out of user turns), "goal_reached", "stop_phrase", "max_turns", "max_steps" or "error".
  std::vector<ChatMessage> transcript;
  int turns = 0;
  std::string conversation_stop;
};

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_SCORING_CONTEXT_H_
