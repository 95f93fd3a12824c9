// Target: the user's application evaluated in place of a model (an HTTP service or a JSON Lines command). The run's
// ItemTask sends each item's variables (and the rendered prompt as `prompt`, when the run has one) with the W3C
// traceparent of the item's target span, and gets back the answer, the app's tool calls, token usage and cost.
//
// Contract: Invoke is thread-safe and never blocks on the network or a process; `done` runs exactly once, on some
// engine thread, with the reply or a failure Status naming what went wrong (never a header value or other secret).
// A target must outlive every call made through it. Never throws.
#ifndef LLMEVAL_ENGINE_TARGETS_TARGET_H_
#define LLMEVAL_ENGINE_TARGETS_TARGET_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/chat.h"

namespace llmeval {

struct TargetRequest {
  std::map<std::string, std::string> variables;  // Dataset columns, --var values, and "prompt" when rendered.
  std::string traceparent;                       // "00-<trace id>-<span id>-01" for the item's target span.
};

struct TargetResult {
  // status, the attempts, and response.message (answer and tool calls), usage, http_status, timings.
  ChatResult chat;
  std::optional<double> cost_usd;  // When the app reported one.
  std::string request_body;        // What was sent (for the trace): the JSON body or the JSON Lines request.
};

using TargetCallback = std::function<void(TargetResult)>;

class Target {
 public:
  virtual ~Target() = default;
  // `done` runs exactly once (on some engine thread). Thread-safe.
  virtual void Invoke(TargetRequest request, TargetCallback done) = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TARGETS_TARGET_H_
