#include "tracing/otlp_json.h"

#include <cmath>
#include <cstdint>
#include <string>

#include "core/json_writer.h"
#include "tracing/semconv.h"

namespace llmeval {
namespace {

// Limits applied while writing one span: records which keys were cut.
struct Truncation {
  size_t max_bytes = 0;
  std::vector<std::string> keys;
};

void WriteString(const std::string& value, Truncation* truncation, const std::string& key, JsonWriter* w,
                 bool* recorded) {
  if (truncation->max_bytes == 0 || value.size() <= truncation->max_bytes) {
    w->String(value);
    return;
  }
  std::string cut = value;
  TruncateAttributeString(&cut, truncation->max_bytes);
  w->String(cut);
  if (!*recorded) {
    truncation->keys.push_back(key);
    *recorded = true;
  }
}

void WriteDouble(double value, JsonWriter* w) {
  if (std::isnan(value)) {
    w->String("NaN");
  } else if (std::isinf(value)) {
    w->String(value > 0 ? "Infinity" : "-Infinity");
  } else {
    w->Double(value);
  }
}

// One AnyValue: {"stringValue": ...} and friends. `key` names the attribute for the truncation list.
void WriteAnyValue(const AttributeValue& value, const std::string& key, Truncation* truncation, JsonWriter* w) {
  bool recorded = false;
  w->BeginObject();
  if (const std::string* s = std::get_if<std::string>(&value)) {
    w->Key("stringValue");
    WriteString(*s, truncation, key, w, &recorded);
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    w->Field("intValue", std::to_string(*i));
  } else if (const double* d = std::get_if<double>(&value)) {
    w->Key("doubleValue");
    WriteDouble(*d, w);
  } else if (const bool* b = std::get_if<bool>(&value)) {
    w->Field("boolValue", *b);
  } else if (const auto* array = std::get_if<std::vector<std::string>>(&value)) {
    w->Key("arrayValue");
    w->BeginObject();
    w->Key("values");
    w->BeginArray();
    for (const std::string& item : *array) {
      w->BeginObject();
      w->Key("stringValue");
      WriteString(item, truncation, key, w, &recorded);
      w->EndObject();
    }
    w->EndArray();
    w->EndObject();
  }
  w->EndObject();
}

// Writes the KeyValue list; keys are reported to `truncation` with `key_prefix` in front.
void WriteKeyValues(const Attributes& attributes, const std::string& key_prefix, Truncation* truncation,
                    JsonWriter* w) {
  w->BeginArray();
  for (const Attribute& attribute : attributes) {
    w->BeginObject();
    w->Field("key", attribute.first);
    w->Key("value");
    WriteAnyValue(attribute.second, key_prefix + attribute.first, truncation, w);
    w->EndObject();
  }
  w->EndArray();
}

void WriteSpan(const Span& span, size_t max_attribute_bytes, JsonWriter* w) {
  Truncation truncation;
  truncation.max_bytes = max_attribute_bytes;
  w->BeginObject();
  w->Field("traceId", span.trace_id.Hex());
  w->Field("spanId", span.span_id.Hex());
  if (!span.parent_span_id.IsZero()) w->Field("parentSpanId", span.parent_span_id.Hex());
  w->Field("name", span.name);
  w->Field("kind", OtlpSpanKind(span.kind));
  w->Field("startTimeUnixNano", std::to_string(span.start_unix_nanos));
  w->Field("endTimeUnixNano", std::to_string(span.end_unix_nanos));

  // Events are written first into their own buffer so that their truncations join the span's attribute list.
  JsonWriter events;
  events.BeginArray();
  for (const SpanEvent& event : span.events) {
    events.BeginObject();
    events.Field("timeUnixNano", std::to_string(event.time_unix_nanos));
    events.Field("name", event.name);
    if (!event.attributes.empty()) {
      events.Key("attributes");
      WriteKeyValues(event.attributes, event.name + "/", &truncation, &events);
    }
    events.EndObject();
  }
  events.EndArray();

  JsonWriter attributes;
  WriteKeyValues(span.attributes, "", &truncation, &attributes);
  std::string attributes_json = attributes.Take();
  if (!truncation.keys.empty()) {
    // Splice the bookkeeping attribute in before the closing bracket.
    JsonWriter extra;
    Truncation none;
    WriteAnyValue(AttributeValue(truncation.keys), "", &none, &extra);
    attributes_json.pop_back();
    if (!span.attributes.empty()) attributes_json.push_back(',');
    attributes_json += "{\"key\":";
    attributes_json += JsonQuote(semconv::kLlmevalTruncatedAttributes);
    attributes_json += ",\"value\":" + extra.Take() + "}]";
  }
  if (attributes_json != "[]") {
    w->Key("attributes");
    w->Raw(attributes_json);
  }
  if (!span.events.empty()) {
    w->Key("events");
    w->Raw(events.Take());
  }
  if (span.status != SpanStatus::kUnset) {
    w->Key("status");
    w->BeginObject();
    w->Field("code", OtlpStatusCode(span.status));
    if (!span.status_message.empty()) w->Field("message", span.status_message);
    w->EndObject();
  }
  w->EndObject();
}

}  // namespace

bool TruncateAttributeString(std::string* text, size_t max_bytes) {
  if (max_bytes == 0 || text->size() <= max_bytes) return false;
  size_t keep = max_bytes;
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  while (keep > 0 && (static_cast<unsigned char>((*text)[keep]) & 0xC0) == 0x80) --keep;
  const size_t removed = text->size() - keep;
  text->resize(keep);
  *text += "\xE2\x80\xA6[truncated " + std::to_string(removed) + " bytes]";
  return true;
}

Resource LlmevalResource(std::string_view version, std::string_view project) {
  Resource resource;
  resource.scope_version = std::string(version);
  resource.attributes.emplace_back(semconv::kServiceName, "llmeval");
  resource.attributes.emplace_back(semconv::kServiceVersion, std::string(version));
  resource.attributes.emplace_back(semconv::kTelemetrySdkName, "llmeval");
  resource.attributes.emplace_back(semconv::kTelemetrySdkLanguage, "cpp");
  if (!project.empty()) resource.attributes.emplace_back(semconv::kOpenInferenceProjectName, std::string(project));
  return resource;
}

std::string EncodeOtlpJson(const std::vector<Span>& spans, const Resource& resource, size_t max_attribute_bytes) {
  JsonWriter w;
  w.BeginObject();
  w.Key("resourceSpans");
  w.BeginArray();
  w.BeginObject();
  w.Key("resource");
  w.BeginObject();
  w.Key("attributes");
  Truncation no_limit;
  WriteKeyValues(resource.attributes, "", &no_limit, &w);
  w.EndObject();
  w.Key("scopeSpans");
  w.BeginArray();
  w.BeginObject();
  w.Key("scope");
  w.BeginObject();
  w.Field("name", semconv::kScopeName);
  if (!resource.scope_version.empty()) w.Field("version", resource.scope_version);
  w.EndObject();
  w.Field("schemaUrl", semconv::kSchemaUrl);
  w.Key("spans");
  w.BeginArray();
  for (const Span& span : spans) WriteSpan(span, max_attribute_bytes, &w);
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace llmeval
