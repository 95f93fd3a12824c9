// Internal JSON helpers of the scorers module over simdjson's DOM: a canonical text for comparing values, a subset
// match for tool arguments, and a short excerpt for error messages. Pure functions, thread-safe.
#ifndef LLMEVAL_SCORERS_JSON_UTIL_H_
#define LLMEVAL_SCORERS_JSON_UTIL_H_

#include <simdjson.h>

#include <string>
#include <string_view>

namespace llmeval {

// A canonical JSON text: object keys sorted, numbers written as doubles (1 and 1.0 compare equal), no spaces.
std::string CanonicalJson(simdjson::dom::element value);

// True when `actual` contains `expected`: objects match when every key of `expected` is in `actual` with a matching
// value (recursively); everything else (arrays included) must be equal canonically.
bool JsonSubsetMatch(simdjson::dom::element expected, simdjson::dom::element actual);

// The JSON type's name as JSON-Schema says it: "object", "array", "string", "integer", "number", "boolean", "null".
const char* JsonTypeName(simdjson::dom::element value);

// `text` cut to at most `max_bytes` (on a UTF-8 boundary) with "..." appended when cut; newlines shown as spaces.
std::string Excerpt(std::string_view text, size_t max_bytes = 60);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_JSON_UTIL_H_
