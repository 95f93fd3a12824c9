#include "scorers/scorer_params.h"

#include <cmath>

#include "core/json_writer.h"
#include "core/strings.h"
#include "scorers/json_util.h"

namespace llmeval {

ScorerParams::ScorerParams(const ScorerSpec& spec)
    : name_(spec.name.empty() ? spec.type : spec.name),
      prefix_("scorer '" + name_ + "' (" + spec.type + ")"),
      parser_(std::make_unique<simdjson::dom::parser>()) {
  std::string_view text = TrimWhitespace(spec.params_json);
  if (text.empty()) return;
  simdjson::dom::element root;
  if (parser_->parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    Fail("parameters are not valid JSON: " + Excerpt(text));
    return;
  }
  if (root.is_null()) return;
  if (!root.is_object()) {
    Fail(std::string("parameters must be a JSON object, got ") + JsonTypeName(root));
    return;
  }
  object_ = simdjson::dom::object(root);
  has_object_ = true;
}

void ScorerParams::Fail(const std::string& message) {
  if (status_.ok()) status_ = Error(message);
}

Status ScorerParams::Error(const std::string& message) const { return Status::InvalidInput(prefix_ + ": " + message); }

void ScorerParams::CheckKeys(const std::vector<std::string_view>& allowed) {
  if (!has_object_) return;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (auto field : object_) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == field.key;
    if (known) continue;
    std::string message = "unknown parameter '" + std::string(field.key) + "'";
    std::string suggestion = SuggestClosest(field.key, names);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    message += names.empty() ? "; this type takes no parameters" : "; known parameters: " + JoinStrings(names, ", ");
    Fail(message);
    return;
  }
}

std::optional<simdjson::dom::element> ScorerParams::Lookup(std::string_view key) const {
  if (!has_object_) return std::nullopt;
  simdjson::dom::element value;
  if (object_.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  if (value.is_null()) return std::nullopt;
  return value;
}

void ScorerParams::FailType(std::string_view key, const char* expected, simdjson::dom::element got) {
  std::string shown = got.is_string() ? JsonQuote(std::string_view(got)) : CanonicalJson(got);
  Fail("parameter '" + std::string(key) + "' must be " + expected + ", got " + Excerpt(shown, 40));
}

bool ScorerParams::Has(std::string_view key) const { return Lookup(key).has_value(); }

std::optional<int64_t> ScorerParams::Int(std::string_view key) {
  auto value = Lookup(key);
  if (!value) return std::nullopt;
  if (value->is_int64()) return int64_t(*value);
  if (value->is_double()) {
    double d = double(*value);
    if (d == std::floor(d) && std::fabs(d) < 9e18) return static_cast<int64_t>(d);
  }
  if (value->is_string()) {
    if (auto parsed = ParseInt(std::string_view(*value))) return parsed;
  }
  FailType(key, "an integer", *value);
  return std::nullopt;
}

std::optional<double> ScorerParams::Number(std::string_view key) {
  auto value = Lookup(key);
  if (!value) return std::nullopt;
  if (value->is_number()) {
    if (value->is_int64()) return static_cast<double>(int64_t(*value));
    if (value->is_uint64()) return static_cast<double>(uint64_t(*value));
    return double(*value);
  }
  if (value->is_string()) {
    if (auto parsed = ParseDouble(std::string_view(*value))) return parsed;
  }
  FailType(key, "a number", *value);
  return std::nullopt;
}

std::optional<bool> ScorerParams::Bool(std::string_view key) {
  auto value = Lookup(key);
  if (!value) return std::nullopt;
  if (value->is_bool()) return bool(*value);
  if (value->is_string()) {
    std::string text = AsciiLower(TrimWhitespace(std::string_view(*value)));
    if (text == "true" || text == "yes") return true;
    if (text == "false" || text == "no") return false;
  }
  FailType(key, "true or false", *value);
  return std::nullopt;
}

std::optional<std::string> ScorerParams::String(std::string_view key) {
  auto value = Lookup(key);
  if (!value) return std::nullopt;
  if (value->is_string()) return std::string(std::string_view(*value));
  if (value->is_number() || value->is_bool()) return CanonicalJson(*value);
  FailType(key, "a string", *value);
  return std::nullopt;
}

std::optional<std::vector<std::string>> ScorerParams::StringList(std::string_view key) {
  auto value = Lookup(key);
  if (!value) return std::nullopt;
  std::vector<std::string> out;
  auto add = [&](simdjson::dom::element item) {
    if (item.is_string()) {
      out.emplace_back(std::string_view(item));
    } else if (item.is_number() || item.is_bool()) {
      out.push_back(CanonicalJson(item));
    } else {
      FailType(key, "a string or a list of strings", item);
      return false;
    }
    return true;
  };
  if (value->is_array()) {
    for (auto item : simdjson::dom::array(*value)) {
      if (!add(item)) return std::nullopt;
    }
  } else if (!add(*value)) {
    return std::nullopt;
  }
  return out;
}

std::optional<simdjson::dom::element> ScorerParams::Element(std::string_view key) { return Lookup(key); }

std::string ScorerParams::MappingJson(std::string_view key) {
  std::optional<simdjson::dom::element> value = Lookup(key);
  if (!value.has_value()) return "{}";
  if (!value->is_object()) {
    Fail("parameter '" + std::string(key) + "' must be a mapping, got " + simdjson::minify(*value));
    return "{}";
  }
  return simdjson::minify(*value);
}

int64_t ScorerParams::RequireInt(std::string_view key) {
  if (!Has(key)) {
    Fail("missing required parameter '" + std::string(key) + "'");
    return 0;
  }
  return Int(key).value_or(0);
}

std::string ScorerParams::RequireString(std::string_view key) {
  if (!Has(key)) {
    Fail("missing required parameter '" + std::string(key) + "'");
    return "";
  }
  return String(key).value_or("");
}

}  // namespace llmeval
