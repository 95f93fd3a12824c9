#include "engine/store/span_rows.h"

#include "tracing/span_codec.h"

namespace llmeval {

SpanRow SpanToRow(const Span& s) {
  SpanRow row;
  row.trace_id = s.trace_id.Hex();
  row.span_id = s.span_id.Hex();
  row.parent_span_id = s.parent_span_id.IsZero() ? "" : s.parent_span_id.Hex();
  row.name = s.name;
  row.kind = OtlpSpanKind(s.kind);
  row.start_unix_ns = s.start_unix_nanos;
  row.end_unix_ns = s.end_unix_nanos;
  row.status = OtlpStatusCode(s.status);
  row.status_message = s.status_message;
  row.attributes_json = AttributesToJson(s.attributes);
  row.events_json = EventsToJson(s.events);
  return row;
}

Result<Span> SpanFromRow(const SpanRow& row) {
  Span s;
  std::optional<TraceId> trace = TraceId::FromHex(row.trace_id);
  std::optional<SpanId> id = SpanId::FromHex(row.span_id);
  if (!trace.has_value() || !id.has_value()) return Status::Internal("stored span has a malformed id: " + row.span_id);
  s.trace_id = *trace;
  s.span_id = *id;
  if (!row.parent_span_id.empty()) {
    std::optional<SpanId> parent = SpanId::FromHex(row.parent_span_id);
    if (!parent.has_value()) return Status::Internal("stored span has a malformed parent id: " + row.parent_span_id);
    s.parent_span_id = *parent;
  }
  s.name = row.name;
  s.kind = SpanKindFromOtlp(row.kind).value_or(SpanKind::kInternal);
  s.start_unix_nanos = row.start_unix_ns;
  s.end_unix_nanos = row.end_unix_ns;
  s.status = SpanStatusFromOtlp(row.status).value_or(SpanStatus::kUnset);
  s.status_message = row.status_message;
  Result<Attributes> attributes = AttributesFromJson(row.attributes_json);
  if (!attributes.ok()) return attributes.status();
  s.attributes = std::move(attributes.value());
  Result<std::vector<SpanEvent>> events = EventsFromJson(row.events_json);
  if (!events.ok()) return events.status();
  s.events = std::move(events.value());
  return s;
}

Result<std::vector<Span>> SpansFromRows(const std::vector<SpanRow>& rows) {
  std::vector<Span> spans;
  spans.reserve(rows.size());
  for (const SpanRow& row : rows) {
    Result<Span> s = SpanFromRow(row);
    if (!s.ok()) return s.status();
    spans.push_back(std::move(s.value()));
  }
  return spans;
}

}  // namespace llmeval
