// Decoding OTLP/HTTP trace export requests (ExportTraceServiceRequest) into collected span rows: the binary protobuf
// form (application/x-protobuf, with the project's own engine/collector/proto/otlp_trace.proto) and the OTLP/JSON
// form (application/json: hex ids, lowerCamelCase keys, 64-bit integers as strings or numbers, enums as integers or
// names), plus gzip bodies (Content-Encoding: gzip).
//
// A body that is not a well-formed request is an InvalidInput Status (the receiver answers 400). A well-formed request
// may still hold spans that cannot be stored: a trace id that is not 16 bytes or is all zero, a span id that is not 8
// bytes or is all zero, a parent span id that is neither empty nor 8 bytes. Those are rejected one by one and counted
// (the receiver answers 200 with partial_success), and the others are kept.
//
// Attribute values keep their OTLP type where the store has it (string, bool, int, double, array of strings); other
// arrays, key-value lists and bytes (base64) are kept as their OTLP/JSON text in a string.
//
// Pure functions (no IO), thread-safe.
#ifndef LLMEVAL_ENGINE_COLLECTOR_OTLP_DECODE_H_
#define LLMEVAL_ENGINE_COLLECTOR_OTLP_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/store/collected_spans.h"

namespace llmeval {

struct OtlpDecoded {
  std::vector<CollectedSpanRow> spans;
  int64_t rejected_spans = 0;
  std::string rejection_message;  // The first rejected span's reason, "" when none was rejected.
};

Result<OtlpDecoded> DecodeOtlpProtobuf(std::string_view body);
Result<OtlpDecoded> DecodeOtlpJson(std::string_view body);

// Inflates a gzip body. InvalidInput when it is not valid gzip; *too_large set (and InvalidInput) when it inflates to
// more than `max_bytes`.
Result<std::string> GunzipBody(std::string_view body, size_t max_bytes, bool* too_large);

// Shared by both decoders: why these ids cannot be stored, "" when they can (raw bytes).
std::string InvalidIdReason(std::string_view trace_id, std::string_view span_id, std::string_view parent_span_id);
std::string BytesToHex(std::string_view bytes);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_COLLECTOR_OTLP_DECODE_H_
