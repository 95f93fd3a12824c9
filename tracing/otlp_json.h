// Encodes spans as one OTLP/JSON ExportTraceServiceRequest (the body of POST /v1/traces with Content-Type
// application/json, and one line of an OTLP .jsonl file), following the opentelemetry-proto JSON mapping:
//
//   {"resourceSpans":[{"resource":{"attributes":[...]},
//     "scopeSpans":[{"scope":{"name":"llmeval","version":"0.1.0"},"schemaUrl":"https://opentelemetry.io/schemas/1.41.1",
//       "spans":[{"traceId":"<32 hex>","spanId":"<16 hex>","parentSpanId":"<16 hex, omitted for roots>",
//                 "name":"chat gpt-4o","kind":3,"startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"...",
//                 "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"52"}}],
//                 "events":[{"timeUnixNano":"...","name":"llmeval.retry","attributes":[...]}],
//                 "status":{"code":2,"message":"..."}}]}]}]}
//
// Ids are lowercase hex, enums are integers, 64-bit integers are decimal strings, keys are lowerCamelCase, and the
// status is omitted when unset. Doubles that are not finite become "NaN", "Infinity" or "-Infinity".
//
// Size limit: a string value (also inside a string array, also on events) longer than max_attribute_bytes is cut at a
// UTF-8 character boundary and "…[truncated N bytes]" is appended (N = bytes removed); the span then gets the string
// array attribute llmeval.truncated_attributes listing the cut keys ("<event name>/<key>" for event attributes).
// max_attribute_bytes == 0 means no limit. Span names and status messages are not cut.
//
// Pure function, thread-safe; the output is always valid JSON (invalid UTF-8 is repaired).
#ifndef LLMEVAL_TRACING_OTLP_JSON_H_
#define LLMEVAL_TRACING_OTLP_JSON_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "tracing/span.h"

namespace llmeval {

// Who produced the spans: resource attributes (service.name, service.version, openinference.project.name, ...) and
// the instrumentation scope version written next to the scope name "llmeval".
struct Resource {
  Attributes attributes;
  std::string scope_version;
};

// The usual resource for llmeval: service.name = telemetry.sdk.name = "llmeval", service.version = scope version =
// `version`, telemetry.sdk.language = "cpp", and openinference.project.name = `project` when not empty.
Resource LlmevalResource(std::string_view version, std::string_view project);

std::string EncodeOtlpJson(const std::vector<Span>& spans, const Resource& resource, size_t max_attribute_bytes);

// Cuts `text` to at most `max_bytes` bytes at a UTF-8 boundary and appends the truncation marker. Returns false
// (leaving `text` alone) when it already fits or max_bytes is 0.
bool TruncateAttributeString(std::string* text, size_t max_bytes);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_OTLP_JSON_H_
