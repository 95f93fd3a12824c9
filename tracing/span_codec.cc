#include "tracing/span_codec.h"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/json_writer.h"

namespace llmeval {
namespace {

// A double that always reads back as a double: the shortest round-tripping form, with ".0" added to integral values.
void WriteTypedDouble(double value, JsonWriter* w) {
  if (!std::isfinite(value)) {
    w->Null();
    return;
  }
  std::string text;
  AppendShortestDouble(value, &text);
  if (text.find_first_of(".eE") == std::string::npos) text += ".0";
  w->Raw(text);
}

void WriteValue(const AttributeValue& value, JsonWriter* w) {
  if (const std::string* s = std::get_if<std::string>(&value)) {
    w->String(*s);
  } else if (const int64_t* i = std::get_if<int64_t>(&value)) {
    w->Int(*i);
  } else if (const double* d = std::get_if<double>(&value)) {
    WriteTypedDouble(*d, w);
  } else if (const bool* b = std::get_if<bool>(&value)) {
    w->Bool(*b);
  } else if (const auto* array = std::get_if<std::vector<std::string>>(&value)) {
    w->BeginArray();
    for (const std::string& item : *array) w->String(item);
    w->EndArray();
  }
}

void WriteAttributes(const Attributes& attributes, JsonWriter* w) {
  w->BeginObject();
  for (const Attribute& attribute : attributes) {
    w->Key(attribute.first);
    WriteValue(attribute.second, w);
  }
  w->EndObject();
}

Status Invalid(std::string_view what, std::string_view detail) {
  return Status::InvalidInput(std::string(what) + ": " + std::string(detail));
}

Result<AttributeValue> DecodeValue(simdjson::dom::element element, std::string_view key) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::STRING:
      return AttributeValue(std::string(element.get_string().value_unsafe()));
    case element_type::INT64:
      return AttributeValue(element.get_int64().value_unsafe());
    case element_type::DOUBLE:
      return AttributeValue(element.get_double().value_unsafe());
    case element_type::UINT64:
      return Status::InvalidInput("span attributes JSON: attribute \"" + std::string(key) +
                                  "\" holds an integer above the int64 range");
    case element_type::BOOL:
      return AttributeValue(element.get_bool().value_unsafe());
    case element_type::NULL_VALUE:
      return AttributeValue(std::nan(""));
    case element_type::ARRAY: {
      std::vector<std::string> items;
      simdjson::dom::array array;
      if (element.get_array().get(array) != simdjson::SUCCESS) break;
      for (simdjson::dom::element item : array) {
        std::string_view text;
        if (item.get_string().get(text) != simdjson::SUCCESS) {
          return Status::InvalidInput("span attributes JSON: attribute \"" + std::string(key) +
                                      "\" is an array with a non-string element; expected an array of strings");
        }
        items.emplace_back(text);
      }
      return AttributeValue(std::move(items));
    }
    case element_type::OBJECT:
      break;
  }
  return Status::InvalidInput("span attributes JSON: attribute \"" + std::string(key) +
                              "\" is an object; expected a string, number, boolean or array of strings");
}

Result<Attributes> DecodeAttributes(simdjson::dom::element element) {
  simdjson::dom::object object;
  if (element.get_object().get(object) != simdjson::SUCCESS) {
    return Status::InvalidInput("span attributes JSON: expected an object of attributes");
  }
  Attributes attributes;
  attributes.reserve(object.size());
  for (simdjson::dom::key_value_pair field : object) {
    Result<AttributeValue> value = DecodeValue(field.value, field.key);
    if (!value.ok()) return value.status();
    attributes.emplace_back(std::string(field.key), std::move(value).value());
  }
  return attributes;
}

// A close guess at the encoded size of `attributes` (escapes aside), so the document is built in one allocation.
size_t EncodedSizeGuess(const Attributes& attributes) {
  size_t size = 2;
  for (const Attribute& attribute : attributes) {
    size += attribute.first.size() + 24;  // Quotes, colon, comma; room for a number.
    if (const auto* text = std::get_if<std::string>(&attribute.second)) size += text->size();
    if (const auto* list = std::get_if<std::vector<std::string>>(&attribute.second)) {
      for (const std::string& item : *list) size += item.size() + 3;
    }
  }
  return size;
}

}  // namespace

std::string AttributesToJson(const Attributes& attributes) {
  JsonWriter w(EncodedSizeGuess(attributes));
  WriteAttributes(attributes, &w);
  return w.Take();
}

std::string EventsToJson(const std::vector<SpanEvent>& events) {
  JsonWriter w;
  w.BeginArray();
  for (const SpanEvent& event : events) {
    w.BeginObject();
    w.Field("name", event.name);
    w.Field("time_unix_nanos", event.time_unix_nanos);
    w.Key("attributes");
    WriteAttributes(event.attributes, &w);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

std::string SpanAttributesToJson(const Span& span) { return AttributesToJson(span.attributes); }
std::string SpanEventsToJson(const Span& span) { return EventsToJson(span.events); }

Result<Attributes> AttributesFromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS) {
    return Invalid("span attributes JSON", std::string("not valid JSON (") + simdjson::error_message(error) + ")");
  }
  return DecodeAttributes(root);
}

Result<std::vector<SpanEvent>> EventsFromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS) {
    return Invalid("span events JSON", std::string("not valid JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::array array;
  if (root.get_array().get(array) != simdjson::SUCCESS) {
    return Invalid("span events JSON", "expected an array of events");
  }
  std::vector<SpanEvent> events;
  size_t index = 0;
  for (simdjson::dom::element item : array) {
    const std::string where = "span events JSON: event " + std::to_string(index++);
    SpanEvent event;
    std::string_view name;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS) {
      return Status::InvalidInput(where + ": expected a string \"name\"");
    }
    event.name = std::string(name);
    int64_t time = 0;
    if (item["time_unix_nanos"].get_int64().get(time) != simdjson::SUCCESS) {
      return Status::InvalidInput(where + ": expected an integer \"time_unix_nanos\"");
    }
    event.time_unix_nanos = time;
    simdjson::dom::element attributes;
    if (item["attributes"].get(attributes) == simdjson::SUCCESS) {
      Result<Attributes> decoded = DecodeAttributes(attributes);
      if (!decoded.ok()) return decoded.status().WithContext(where);
      event.attributes = std::move(decoded).value();
    }
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace llmeval
