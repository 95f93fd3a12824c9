// Tolerant readers of simdjson DOM values shared by the response codec and the stream accumulator. A missing field or
// one of an unexpected type reads as "absent"; nothing here fails. Thread-safe (pure functions).
#ifndef LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_JSON_H_
#define LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_JSON_H_

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"

namespace llmeval::codec_json {

// The member `key` of `object`, or nullopt when `object` is not an object or lacks it.
std::optional<simdjson::dom::element> Member(simdjson::dom::element object, std::string_view key);

// The string value of `key`; nullopt when absent, null or not a string.
std::optional<std::string> StringMember(simdjson::dom::element object, std::string_view key);

// The integer value of `key` (doubles are truncated); nullopt when absent or not a number.
std::optional<int64_t> IntMember(simdjson::dom::element object, std::string_view key);

// The elements of an array value; a single object counts as a one-element array (TGI sends tool_calls that way);
// anything else is empty.
std::vector<simdjson::dom::element> Items(simdjson::dom::element value);

// A scalar as text: strings as-is, integers in decimal, null/absent as "".
std::string ScalarText(simdjson::dom::element value);

// Tool-call arguments normalised to JSON text: a string is taken as-is, an object or array is minified, null is "{}".
std::string ArgumentsText(simdjson::dom::element value);

// Message content as text: a string, or the concatenated "text" of an array of content parts. nullopt for null.
std::optional<std::string> ContentText(simdjson::dom::element value);

// Fills *usage from a "usage" object (OpenAI, vLLM, llama.cpp and DeepSeek field names). No-op unless an object.
void ReadUsage(simdjson::dom::element usage_object, Usage* usage);

// The message of an "error" member ({"error":{"message":..}} or {"error":"text"}); nullopt when there is none.
std::optional<std::string> ErrorMessage(simdjson::dom::element document);

}  // namespace llmeval::codec_json

#endif  // LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_JSON_H_
