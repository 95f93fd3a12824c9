// OTLP/HTTP protobuf bodies into collected span rows (engine/collector/otlp_decode.h).
#include "core/base64.h"
#include "core/json_writer.h"
#include "engine/collector/otlp_decode.h"
#include "otlp_trace.pb.h"
#include "tracing/span_codec.h"

namespace llmeval {
namespace {

void WriteAnyJson(const otlp::AnyValue& v, JsonWriter* w);

void WriteKeyValuesJson(const google::protobuf::RepeatedPtrField<otlp::KeyValue>& kvs, JsonWriter* w) {
  w->BeginArray();
  for (const otlp::KeyValue& kv : kvs) {
    w->BeginObject();
    w->Field("key", kv.key());
    w->Key("value");
    WriteAnyJson(kv.value(), w);
    w->EndObject();
  }
  w->EndArray();
}

// The OTLP/JSON form of a value, for the kinds the store has no type for.
void WriteAnyJson(const otlp::AnyValue& v, JsonWriter* w) {
  w->BeginObject();
  switch (v.value_case()) {
    case otlp::AnyValue::kStringValue:
      w->Field("stringValue", v.string_value());
      break;
    case otlp::AnyValue::kBoolValue:
      w->Field("boolValue", v.bool_value());
      break;
    case otlp::AnyValue::kIntValue:
      w->Field("intValue", std::to_string(v.int_value()));
      break;
    case otlp::AnyValue::kDoubleValue:
      w->Field("doubleValue", v.double_value());
      break;
    case otlp::AnyValue::kArrayValue:
      w->Key("arrayValue");
      w->BeginObject();
      w->Key("values");
      w->BeginArray();
      for (const otlp::AnyValue& e : v.array_value().values()) WriteAnyJson(e, w);
      w->EndArray();
      w->EndObject();
      break;
    case otlp::AnyValue::kKvlistValue:
      w->Key("kvlistValue");
      w->BeginObject();
      w->Key("values");
      WriteKeyValuesJson(v.kvlist_value().values(), w);
      w->EndObject();
      break;
    case otlp::AnyValue::kBytesValue:
      w->Field("bytesValue", Base64Encode(v.bytes_value()));
      break;
    case otlp::AnyValue::VALUE_NOT_SET:
      break;
  }
  w->EndObject();
}

AttributeValue ToAttributeValue(const otlp::AnyValue& v) {
  switch (v.value_case()) {
    case otlp::AnyValue::kStringValue:
      return v.string_value();
    case otlp::AnyValue::kBoolValue:
      return v.bool_value();
    case otlp::AnyValue::kIntValue:
      return static_cast<int64_t>(v.int_value());
    case otlp::AnyValue::kDoubleValue:
      return v.double_value();
    case otlp::AnyValue::kArrayValue: {
      std::vector<std::string> strings;
      for (const otlp::AnyValue& e : v.array_value().values()) {
        if (e.value_case() != otlp::AnyValue::kStringValue) {
          JsonWriter w;
          WriteAnyJson(v, &w);
          return w.Take();
        }
        strings.push_back(e.string_value());
      }
      return strings;
    }
    case otlp::AnyValue::VALUE_NOT_SET:
      return std::string();
    default: {
      JsonWriter w;
      WriteAnyJson(v, &w);
      return w.Take();
    }
  }
}

Attributes ToAttributes(const google::protobuf::RepeatedPtrField<otlp::KeyValue>& kvs) {
  Attributes attributes;
  attributes.reserve(kvs.size());
  for (const otlp::KeyValue& kv : kvs) attributes.emplace_back(kv.key(), ToAttributeValue(kv.value()));
  return attributes;
}

}  // namespace

Result<OtlpDecoded> DecodeOtlpProtobuf(std::string_view body) {
  otlp::ExportTraceServiceRequest request;
  if (!request.ParseFromArray(body.data(), static_cast<int>(body.size()))) {
    return Status::InvalidInput("body is not a protobuf ExportTraceServiceRequest (" + std::to_string(body.size()) +
                                " bytes could not be parsed)");
  }
  OtlpDecoded out;
  for (const otlp::ResourceSpans& rs : request.resource_spans()) {
    Attributes resource = ToAttributes(rs.resource().attributes());
    const std::string* service = FindString(resource, "service.name");
    std::string resource_json = AttributesToJson(resource);
    for (const otlp::ScopeSpans& ss : rs.scope_spans()) {
      for (const otlp::Span& sp : ss.spans()) {
        std::string reason = InvalidIdReason(sp.trace_id(), sp.span_id(), sp.parent_span_id());
        if (!reason.empty()) {
          if (out.rejected_spans++ == 0) out.rejection_message = "span \"" + sp.name() + "\": " + reason;
          continue;
        }
        CollectedSpanRow c;
        c.span.trace_id = BytesToHex(sp.trace_id());
        c.span.span_id = BytesToHex(sp.span_id());
        c.span.parent_span_id = BytesToHex(sp.parent_span_id());
        c.span.name = sp.name();
        c.span.kind = sp.kind();
        c.span.start_unix_ns = static_cast<int64_t>(sp.start_time_unix_nano());
        c.span.end_unix_ns = static_cast<int64_t>(sp.end_time_unix_nano());
        c.span.status = sp.status().code();
        c.span.status_message = sp.status().message();
        c.span.attributes_json = AttributesToJson(ToAttributes(sp.attributes()));
        std::vector<SpanEvent> events;
        for (const otlp::Span::Event& e : sp.events()) {
          events.push_back({e.name(), static_cast<int64_t>(e.time_unix_nano()), ToAttributes(e.attributes())});
        }
        c.span.events_json = EventsToJson(events);
        c.service_name = service != nullptr ? *service : "";
        c.scope_name = ss.scope().name();
        c.scope_version = ss.scope().version();
        c.resource_json = resource_json;
        out.spans.push_back(std::move(c));
      }
    }
  }
  return out;
}

}  // namespace llmeval
