#include "scorers/json_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "core/json_writer.h"

namespace llmeval {
namespace {

void AppendNumber(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  } else {
    std::snprintf(buf, sizeof(buf), "%.17g", v);
  }
  out->append(buf);
}

void AppendCanonical(simdjson::dom::element value, std::string* out) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      for (auto field : simdjson::dom::object(value)) fields.emplace_back(field.key, field.value);
      std::stable_sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(fields[i].first, out);
        out->push_back(':');
        AppendCanonical(fields[i].second, out);
      }
      out->push_back('}');
      return;
    }
    case element_type::ARRAY: {
      out->push_back('[');
      bool first = true;
      for (auto item : simdjson::dom::array(value)) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonical(item, out);
      }
      out->push_back(']');
      return;
    }
    case element_type::STRING:
      AppendJsonString(std::string_view(value), out);
      return;
    case element_type::INT64:
      AppendNumber(static_cast<double>(int64_t(value)), out);
      return;
    case element_type::UINT64:
      AppendNumber(static_cast<double>(uint64_t(value)), out);
      return;
    case element_type::DOUBLE:
      AppendNumber(double(value), out);
      return;
    case element_type::BOOL:
      out->append(bool(value) ? "true" : "false");
      return;
    case element_type::NULL_VALUE:
      out->append("null");
      return;
  }
}

}  // namespace

std::string CanonicalJson(simdjson::dom::element value) {
  std::string out;
  AppendCanonical(value, &out);
  return out;
}

bool JsonSubsetMatch(simdjson::dom::element expected, simdjson::dom::element actual) {
  if (expected.is_object()) {
    if (!actual.is_object()) return false;
    simdjson::dom::object actual_object(actual);
    for (auto field : simdjson::dom::object(expected)) {
      simdjson::dom::element actual_value;
      if (actual_object.at_key(field.key).get(actual_value) != simdjson::SUCCESS) return false;
      if (!JsonSubsetMatch(field.value, actual_value)) return false;
    }
    return true;
  }
  return CanonicalJson(expected) == CanonicalJson(actual);
}

const char* JsonTypeName(simdjson::dom::element value) {
  using simdjson::dom::element_type;
  switch (value.type()) {
    case element_type::OBJECT:
      return "object";
    case element_type::ARRAY:
      return "array";
    case element_type::STRING:
      return "string";
    case element_type::INT64:
    case element_type::UINT64:
      return "integer";
    case element_type::DOUBLE: {
      double v = double(value);
      return v == std::floor(v) ? "integer" : "number";
    }
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "null";
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  bool cut = false;
  if (text.size() > max_bytes) {
    size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out(text);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (cut) out.append("...");
  return out;
}

}  // namespace llmeval
