// OTLP/JSON bodies into collected span rows (engine/collector/otlp_decode.h), with simdjson's DOM parser.
#include <simdjson.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "core/json_writer.h"
#include "engine/collector/otlp_decode.h"
#include "tracing/span_codec.h"

namespace llmeval {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// A field under its lowerCamelCase name, else its proto (snake_case) name, which the JSON mapping also accepts.
bool Field(const object& o, std::string_view camel, std::string_view snake, element* out) {
  if (o[camel].get(*out) == simdjson::SUCCESS) return true;
  return !snake.empty() && o[snake].get(*out) == simdjson::SUCCESS;
}

std::string Text(const object& o, std::string_view camel, std::string_view snake = "") {
  element e;
  std::string_view v;
  if (Field(o, camel, snake, &e) && e.get(v) == simdjson::SUCCESS) return std::string(v);
  return "";
}

// An integer written as a number or a decimal string (64-bit values are strings in OTLP/JSON).
bool Integer(const element& e, int64_t* out) {
  int64_t i;
  uint64_t u;
  double d;
  std::string_view s;
  if (e.get(i) == simdjson::SUCCESS) return (*out = i), true;
  if (e.get(u) == simdjson::SUCCESS) return (*out = static_cast<int64_t>(u)), true;
  if (e.get(d) == simdjson::SUCCESS) return (*out = static_cast<int64_t>(d)), true;
  if (e.get(s) == simdjson::SUCCESS && !s.empty()) {
    std::string text(s);
    char* end = nullptr;
    unsigned long long v = std::strtoull(text.c_str(), &end, 10);
    if (end != nullptr && *end == '\0' && text[0] != '-') return (*out = static_cast<int64_t>(v)), true;
    long long sv = std::strtoll(text.c_str(), &end, 10);
    if (end != nullptr && *end == '\0') return (*out = sv), true;
  }
  return false;
}

int64_t IntField(const object& o, std::string_view camel, std::string_view snake) {
  element e;
  int64_t v = 0;
  if (Field(o, camel, snake, &e)) Integer(e, &v);
  return v;
}

// An enum written as its number or its name ("SPAN_KIND_CLIENT", "STATUS_CODE_ERROR").
int EnumField(const object& o, std::string_view key, const std::vector<std::string_view>& names) {
  element e;
  if (!Field(o, key, "", &e)) return 0;
  int64_t v = 0;
  if (Integer(e, &v)) return static_cast<int>(v);
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == s) return static_cast<int>(i);
    }
  }
  return 0;
}

bool HexToBytes(std::string_view hex, std::string* out) {
  out->clear();
  if (hex.size() % 2 != 0) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

AttributeValue ToAttributeValue(const element& value) {
  object o;
  if (value.get(o) != simdjson::SUCCESS) return std::string(simdjson::minify(value));
  element e;
  std::string_view s;
  bool b;
  double d;
  int64_t i;
  if (Field(o, "stringValue", "string_value", &e) && e.get(s) == simdjson::SUCCESS) return std::string(s);
  if (Field(o, "boolValue", "bool_value", &e) && e.get(b) == simdjson::SUCCESS) return b;
  if (Field(o, "intValue", "int_value", &e) && Integer(e, &i)) return i;
  if (Field(o, "doubleValue", "double_value", &e)) {
    if (e.get(d) == simdjson::SUCCESS) return d;
    if (e.get(s) == simdjson::SUCCESS) {
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      return std::strtod(std::string(s).c_str(), nullptr);
    }
  }
  if (Field(o, "arrayValue", "array_value", &e)) {
    object arr;
    array values;
    std::vector<std::string> strings;
    bool all_strings = true;
    if (e.get(arr) == simdjson::SUCCESS && arr["values"].get(values) == simdjson::SUCCESS) {
      for (element v : values) {
        object vo;
        element sv;
        std::string_view text;
        if (v.get(vo) == simdjson::SUCCESS && Field(vo, "stringValue", "string_value", &sv) &&
            sv.get(text) == simdjson::SUCCESS) {
          strings.emplace_back(text);
        } else {
          all_strings = false;
          break;
        }
      }
    }
    if (all_strings) return strings;
  }
  if (o.size() == 0) return std::string();
  return std::string(simdjson::minify(value));  // kvlistValue, bytesValue, mixed arrays: their OTLP/JSON text.
}

Status ToAttributes(const object& parent, std::string_view where, Attributes* out) {
  element e;
  if (!Field(parent, "attributes", "", &e)) return Status::OK();
  array kvs;
  if (e.get(kvs) != simdjson::SUCCESS)
    return Status::InvalidInput(std::string(where) + ".attributes: expected an array");
  for (element kv : kvs) {
    object o;
    std::string_view key;
    if (kv.get(o) != simdjson::SUCCESS || o["key"].get(key) != simdjson::SUCCESS) {
      return Status::InvalidInput(std::string(where) + ".attributes: expected {\"key\": ..., \"value\": ...} entries");
    }
    element value;
    out->emplace_back(std::string(key), o["value"].get(value) == simdjson::SUCCESS ? ToAttributeValue(value)
                                                                                   : AttributeValue(std::string()));
  }
  return Status::OK();
}

Status Array(const object& o, std::string_view camel, std::string_view snake, std::string_view where, array* out,
             bool* present) {
  element e;
  *present = Field(o, camel, snake, &e);
  if (!*present) return Status::OK();
  if (e.get(*out) != simdjson::SUCCESS) return Status::InvalidInput(std::string(where) + ": expected an array");
  return Status::OK();
}

Status DecodeSpan(const element& span_element, const std::string& where, const std::string& service,
                  const std::string& scope_name, const std::string& scope_version, const std::string& resource_json,
                  OtlpDecoded* out) {
  object sp;
  if (span_element.get(sp) != simdjson::SUCCESS) return Status::InvalidInput(where + ": expected a span object");
  std::string name = Text(sp, "name");
  std::string trace_id, span_id, parent_id;
  std::string reason;
  if (!HexToBytes(Text(sp, "traceId", "trace_id"), &trace_id)) reason = "trace id is not hex";
  if (reason.empty() && !HexToBytes(Text(sp, "spanId", "span_id"), &span_id)) reason = "span id is not hex";
  if (reason.empty() && !HexToBytes(Text(sp, "parentSpanId", "parent_span_id"), &parent_id)) {
    reason = "parent span id is not hex";
  }
  if (reason.empty()) reason = InvalidIdReason(trace_id, span_id, parent_id);
  if (!reason.empty()) {
    if (out->rejected_spans++ == 0) out->rejection_message = "span \"" + name + "\": " + reason;
    return Status::OK();
  }
  CollectedSpanRow c;
  c.span.trace_id = BytesToHex(trace_id);
  c.span.span_id = BytesToHex(span_id);
  c.span.parent_span_id = BytesToHex(parent_id);
  c.span.name = std::move(name);
  c.span.kind = EnumField(sp, "kind",
                          {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
                           "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"});
  c.span.start_unix_ns = IntField(sp, "startTimeUnixNano", "start_time_unix_nano");
  c.span.end_unix_ns = IntField(sp, "endTimeUnixNano", "end_time_unix_nano");
  element status_element;
  object status;
  if (Field(sp, "status", "", &status_element) && status_element.get(status) == simdjson::SUCCESS) {
    c.span.status = EnumField(status, "code", {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"});
    c.span.status_message = Text(status, "message");
  }
  Attributes attributes;
  Status s = ToAttributes(sp, where, &attributes);
  if (!s.ok()) return s;
  c.span.attributes_json = AttributesToJson(attributes);
  array events;
  bool has_events = false;
  s = Array(sp, "events", "", where + ".events", &events, &has_events);
  if (!s.ok()) return s;
  std::vector<SpanEvent> decoded_events;
  if (has_events) {
    for (element ev : events) {
      object eo;
      if (ev.get(eo) != simdjson::SUCCESS) return Status::InvalidInput(where + ".events: expected event objects");
      SpanEvent event;
      event.name = Text(eo, "name");
      event.time_unix_nanos = IntField(eo, "timeUnixNano", "time_unix_nano");
      s = ToAttributes(eo, where + ".events", &event.attributes);
      if (!s.ok()) return s;
      decoded_events.push_back(std::move(event));
    }
  }
  c.span.events_json = EventsToJson(decoded_events);
  c.service_name = service;
  c.scope_name = scope_name;
  c.scope_version = scope_version;
  c.resource_json = resource_json;
  out->spans.push_back(std::move(c));
  return Status::OK();
}

}  // namespace

Result<OtlpDecoded> DecodeOtlpJson(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  element root;
  auto error = parser.parse(body.data(), body.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return Status::InvalidInput(std::string("body is not valid JSON: ") + simdjson::error_message(error));
  }
  object request;
  if (root.get(request) != simdjson::SUCCESS) {
    return Status::InvalidInput("body: expected an ExportTraceServiceRequest object");
  }
  OtlpDecoded out;
  array resource_spans;
  bool present = false;
  Status s = Array(request, "resourceSpans", "resource_spans", "resourceSpans", &resource_spans, &present);
  if (!s.ok() || !present) return s.ok() ? Result<OtlpDecoded>(out) : Result<OtlpDecoded>(s);
  size_t ri = 0;
  for (element rs_element : resource_spans) {
    std::string rwhere = "resourceSpans[" + std::to_string(ri++) + "]";
    object rs;
    if (rs_element.get(rs) != simdjson::SUCCESS) return Status::InvalidInput(rwhere + ": expected an object");
    Attributes resource;
    element resource_element;
    object resource_object;
    if (Field(rs, "resource", "", &resource_element) && resource_element.get(resource_object) == simdjson::SUCCESS) {
      s = ToAttributes(resource_object, rwhere + ".resource", &resource);
      if (!s.ok()) return s;
    }
    const std::string* service_value = FindString(resource, "service.name");
    std::string service = service_value != nullptr ? *service_value : "";
    std::string resource_json = AttributesToJson(resource);
    array scope_spans;
    s = Array(rs, "scopeSpans", "scope_spans", rwhere + ".scopeSpans", &scope_spans, &present);
    if (!s.ok()) return s;
    if (!present) continue;
    size_t si = 0;
    for (element ss_element : scope_spans) {
      std::string swhere = rwhere + ".scopeSpans[" + std::to_string(si++) + "]";
      object ss;
      if (ss_element.get(ss) != simdjson::SUCCESS) return Status::InvalidInput(swhere + ": expected an object");
      std::string scope_name, scope_version;
      element scope_element;
      object scope;
      if (Field(ss, "scope", "", &scope_element) && scope_element.get(scope) == simdjson::SUCCESS) {
        scope_name = Text(scope, "name");
        scope_version = Text(scope, "version");
      }
      array spans;
      s = Array(ss, "spans", "", swhere + ".spans", &spans, &present);
      if (!s.ok()) return s;
      if (!present) continue;
      size_t pi = 0;
      for (element span : spans) {
        s = DecodeSpan(span, swhere + ".spans[" + std::to_string(pi++) + "]", service, scope_name, scope_version,
                       resource_json, &out);
        if (!s.ok()) return s;
      }
    }
  }
  return out;
}

}  // namespace llmeval
