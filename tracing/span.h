// The span model: plain values describing one finished operation of a trace, shaped after the OTLP trace model.
//
// A trace is a std::vector<Span> sharing one TraceId; a span whose parent_span_id is zero is a root. Times are unix
// epoch nanoseconds. Attribute values are typed (string, int64, double, bool, string array) because OTLP keeps the
// type, and so does the store (tracing/span_codec.h). Attribute names live in tracing/semconv.h.
//
// Values only: copy freely; const use from several threads is safe. Hex parsing reports failure with nullopt.
#ifndef LLMEVAL_TRACING_SPAN_H_
#define LLMEVAL_TRACING_SPAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace llmeval {

// 16 random bytes; all zero means "no trace". Hex() is 32 lowercase hex digits.
struct TraceId {
  uint8_t bytes[16] = {};

  std::string Hex() const;
  // Accepts exactly 32 hex digits, either case; nullopt otherwise.
  static std::optional<TraceId> FromHex(std::string_view hex);
  bool IsZero() const;
  friend bool operator==(const TraceId&, const TraceId&) = default;
};

// 8 random bytes; all zero means "no span" (a root's parent). Hex() is 16 lowercase hex digits.
struct SpanId {
  uint8_t bytes[8] = {};

  std::string Hex() const;
  // Accepts exactly 16 hex digits, either case; nullopt otherwise.
  static std::optional<SpanId> FromHex(std::string_view hex);
  bool IsZero() const;
  friend bool operator==(const SpanId&, const SpanId&) = default;
};

// One attribute value. The alternatives map one to one onto OTLP's AnyValue: stringValue, intValue, doubleValue,
// boolValue and an arrayValue of strings. A `const char*` or string literal becomes a std::string; an `int` becomes
// an int64_t (cast other integer types explicitly).
using AttributeValue = std::variant<std::string, int64_t, double, bool, std::vector<std::string>>;
using Attribute = std::pair<std::string, AttributeValue>;
using Attributes = std::vector<Attribute>;

struct SpanEvent {
  std::string name;
  int64_t time_unix_nanos = 0;
  Attributes attributes;
  friend bool operator==(const SpanEvent&, const SpanEvent&) = default;
};

// OTel's span kinds used by llmeval: CLIENT for calls to a model server, INTERNAL for everything else.
enum class SpanKind { kInternal, kClient };
// OTel's status: kUnset on success (instrumentation does not claim kOk), kError on failure.
enum class SpanStatus { kUnset, kOk, kError };

struct Span {
  TraceId trace_id;
  SpanId span_id;
  SpanId parent_span_id;  // Zero for a root span.
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  int64_t start_unix_nanos = 0;
  int64_t end_unix_nanos = 0;
  SpanStatus status = SpanStatus::kUnset;
  std::string status_message;
  Attributes attributes;
  std::vector<SpanEvent> events;

  int64_t DurationNanos() const { return end_unix_nanos - start_unix_nanos; }
  friend bool operator==(const Span&, const Span&) = default;
};

// The OTLP enum numbers (trace.proto): kind 1 INTERNAL, 3 CLIENT; status code 0 UNSET, 1 OK, 2 ERROR. The store keeps
// these numbers too. The From* functions return nullopt for numbers llmeval does not use.
int OtlpSpanKind(SpanKind kind);
std::optional<SpanKind> SpanKindFromOtlp(int64_t value);
int OtlpStatusCode(SpanStatus status);
std::optional<SpanStatus> SpanStatusFromOtlp(int64_t value);

// Lookups by key (the first match). Find*() return nullptr/nullopt when the key is absent or has another type;
// FindNumber() accepts an int or a double.
const AttributeValue* FindAttribute(const Attributes& attributes, std::string_view key);
const std::string* FindString(const Attributes& attributes, std::string_view key);
std::optional<int64_t> FindInt(const Attributes& attributes, std::string_view key);
std::optional<double> FindNumber(const Attributes& attributes, std::string_view key);
std::optional<bool> FindBool(const Attributes& attributes, std::string_view key);
const std::vector<std::string>* FindStringArray(const Attributes& attributes, std::string_view key);

// Sets `key` to `value`, replacing an existing entry with the same key in place (so keys stay unique).
void SetAttribute(Attributes* attributes, std::string key, AttributeValue value);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_SPAN_H_
