// Span attributes and events as JSON text, the form the results store keeps them in (the attributes_json and
// events_json columns), and back.
//
//   attributes: {"gen_ai.request.model":"gpt-4o","gen_ai.usage.input_tokens":52,"gen_ai.request.temperature":0.0,
//                "gen_ai.request.stream":true,"gen_ai.response.finish_reasons":["stop"]}
//   events:     [{"name":"llmeval.retry","time_unix_nanos":1767225600300000000,"attributes":{...}}]
//
// Types survive the round trip: an int64 is written as an integer, a double always with a fraction or exponent
// ("0.0", "1e+300"), so decoding tells them apart. Key order and duplicate keys are kept. Non-finite doubles have no
// JSON form: they are written as null and read back as NaN.
//
// Pure functions, thread-safe. Decoding reports malformed input as Status::InvalidInput naming what was expected.
#ifndef LLMEVAL_TRACING_SPAN_CODEC_H_
#define LLMEVAL_TRACING_SPAN_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "tracing/span.h"

namespace llmeval {

std::string AttributesToJson(const Attributes& attributes);
std::string EventsToJson(const std::vector<SpanEvent>& events);

std::string SpanAttributesToJson(const Span& span);
std::string SpanEventsToJson(const Span& span);

Result<Attributes> AttributesFromJson(std::string_view json);
Result<std::vector<SpanEvent>> EventsFromJson(std::string_view json);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_SPAN_CODEC_H_
