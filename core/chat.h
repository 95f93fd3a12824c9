// The vocabulary of the OpenAI Chat Completions API, as plain values: what llmeval sends to a model and what it gets
// back. Providers (engine), the simulated model (engine), scorers (judge requests) and tracing all speak these types.
// Encoding to and decoding from JSON lives in the engine; these are data only.
#ifndef LLMEVAL_CORE_CHAT_H_
#define LLMEVAL_CORE_CHAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/call_gauge.h"
#include "core/status.h"

namespace llmeval {

// One tool call requested by the assistant.
struct ToolCall {
  std::string id;
  std::string name;
  std::string arguments_json;  // Always a JSON text; servers that send an object are normalised to its text.
};

struct ChatMessage {
  std::string role;                    // "system", "user", "assistant" or "tool".
  std::optional<std::string> content;  // Absent for an assistant message that only calls tools.
  std::vector<ToolCall> tool_calls;    // Assistant messages only.
  std::string tool_call_id;            // Tool messages only.
  std::string name;                    // Optional participant or tool name.

  static ChatMessage System(std::string text) { return {"system", std::move(text), {}, {}, {}}; }
  static ChatMessage User(std::string text) { return {"user", std::move(text), {}, {}, {}}; }
  static ChatMessage Assistant(std::string text) { return {"assistant", std::move(text), {}, {}, {}}; }
  static ChatMessage Tool(std::string call_id, std::string text) {
    return {"tool", std::move(text), {}, std::move(call_id), {}};
  }
};

// A tool offered to the model: name, description and a JSON-Schema for its parameters.
struct ToolSpec {
  std::string name;
  std::string description;
  std::string parameters_schema_json = "{\"type\":\"object\",\"properties\":{}}";
};

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<int64_t> max_tokens;
  bool use_max_completion_tokens = false;  // Newer OpenAI models reject "max_tokens".
  std::optional<int64_t> seed;
  std::vector<std::string> stop;
  std::string response_format_json;  // Empty, or a JSON object sent verbatim as "response_format".
  std::vector<ToolSpec> tools;
  std::string tool_choice_json;  // Empty, or a JSON value ("auto", {"type":"function",...}).
  std::optional<bool> parallel_tool_calls;
  bool stream = false;
  std::string extra_params_json;  // Empty, or a JSON object whose members are merged into the request.
  // Not sent: when set, the provider counts this call's requests in flight on it. Must outlive the call.
  CallGauge* gauge = nullptr;
};

struct Usage {
  bool reported = false;  // False when the server sent no usage block.
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t reasoning_tokens = 0;
};

struct ChatResponse {
  std::string id;
  std::string model;
  int64_t created = 0;
  std::string finish_reason;  // "stop", "length", "tool_calls", "content_filter", or what the server said.
  ChatMessage message;        // The first choice's assistant message.
  std::string refusal;        // Non-empty when the model refused.
  Usage usage;
  int http_status = 0;
  int64_t time_to_first_byte_ns = 0;
  int64_t total_time_ns = 0;
  int attempts = 1;  // How many HTTP attempts it took, retries included.
  bool from_cache = false;
  // The provider's JSON body as it arrived, for a reply that was one JSON document (not a stream); "" otherwise.
  // The response cache stores it as it is rather than encoding the parsed response again.
  std::string body_json;
};

// One HTTP attempt of a chat call; retries and rate-limit waits show up in traces as these.
struct CallAttempt {
  int64_t start_unix_nanos = 0;
  int64_t duration_nanos = 0;
  int http_status = 0;            // 0 when no response arrived (network error, timeout).
  std::string error;              // Empty on success; else what went wrong, never containing a secret.
  int64_t wait_before_nanos = 0;  // Backoff or rate-limit wait before this attempt.
};

// What a provider hands back for one chat call: the response on success, and in every case the attempts made.
struct ChatResult {
  Status status;          // OK, or why the call failed for good (the provider's message and HTTP status).
  ChatResponse response;  // Valid when status.ok(); http_status is set either way when known.
  std::vector<CallAttempt> attempts;
};

}  // namespace llmeval

#endif  // LLMEVAL_CORE_CHAT_H_
