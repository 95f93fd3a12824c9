// Decoding an application's reply into a TargetResult's answer, tool calls, usage and cost, by the JSON pointers of a
// TargetResponseMap. Bodies are one JSON document, Server-Sent Events (each `data:` line one JSON event) or
// newline-delimited JSON; in streams the answer's string pieces are joined in order and the other fields take their
// last value. Pure functions over bytes, thread-safe.
#ifndef LLMEVAL_ENGINE_TARGETS_TARGET_REPLY_H_
#define LLMEVAL_ENGINE_TARGETS_TARGET_REPLY_H_

#include <optional>
#include <string>
#include <string_view>

#include "core/chat.h"
#include "core/status.h"
#include "engine/config/target_settings.h"

namespace llmeval {

struct DecodedReply {
  ChatMessage message;  // role "assistant", content = the answer, tool_calls.
  Usage usage;
  std::optional<double> cost_usd;
  std::string error;  // A JSON Lines reply's own "error" field, when it has one.
};

// `format`: "json", "sse" or "ndjson". InvalidInput-free: a malformed body or a missing answer is a RemoteError
// naming the pointer ("the reply has no value at /output").
Result<DecodedReply> DecodeTargetReply(std::string_view body, const std::string& format, const TargetResponseMap& map);

// The stream format from the configured one ("" = by Content-Type: text/event-stream is sse, *ndjson/jsonl* ndjson).
std::string ReplyFormat(const std::string& configured, const std::optional<std::string>& content_type);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TARGETS_TARGET_REPLY_H_
