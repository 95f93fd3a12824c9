#include "engine/providers/openai_client_codec_json.h"

namespace llmeval::codec_json {

using simdjson::dom::element;

std::optional<element> Member(element object, std::string_view key) {
  simdjson::dom::object fields;
  if (object.get_object().get(fields) != simdjson::SUCCESS) return std::nullopt;
  element value;
  if (fields.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

std::optional<std::string> StringMember(element object, std::string_view key) {
  std::optional<element> value = Member(object, key);
  std::string_view text;
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return std::nullopt;
  return std::string(text);
}

std::optional<int64_t> IntMember(element object, std::string_view key) {
  std::optional<element> value = Member(object, key);
  if (!value) return std::nullopt;
  int64_t i;
  uint64_t u;
  double d;
  if (value->get_int64().get(i) == simdjson::SUCCESS) return i;
  if (value->get_uint64().get(u) == simdjson::SUCCESS) return static_cast<int64_t>(u);
  if (value->get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  return std::nullopt;
}

std::vector<element> Items(element value) {
  std::vector<element> items;
  simdjson::dom::array array;
  if (value.get_array().get(array) == simdjson::SUCCESS) {
    for (element item : array) items.push_back(item);
  } else if (value.is_object()) {
    items.push_back(value);
  }
  return items;
}

std::string ScalarText(element value) {
  std::string_view text;
  int64_t i;
  uint64_t u;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (value.get_int64().get(i) == simdjson::SUCCESS) return std::to_string(i);
  if (value.get_uint64().get(u) == simdjson::SUCCESS) return std::to_string(u);
  if (value.is_null()) return "";
  return simdjson::minify(value);
}

std::string ArgumentsText(element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (value.is_null()) return "{}";
  return simdjson::minify(value);
}

std::optional<std::string> ContentText(element value) {
  std::string_view direct;
  if (value.get_string().get(direct) == simdjson::SUCCESS) return std::string(direct);
  simdjson::dom::array parts;
  if (value.get_array().get(parts) == simdjson::SUCCESS) {
    std::string text;
    for (element part : parts) {
      std::string_view piece_text;
      if (part.get_string().get(piece_text) == simdjson::SUCCESS) {
        text += piece_text;
      } else if (std::optional<std::string> piece = StringMember(part, "text")) {
        text += *piece;
      }
    }
    return text;
  }
  return std::nullopt;
}

void ReadUsage(element usage_object, Usage* usage) {
  if (!usage_object.is_object()) return;
  usage->reported = true;
  usage->input_tokens =
      IntMember(usage_object, "prompt_tokens").value_or(IntMember(usage_object, "input_tokens").value_or(0));
  usage->output_tokens =
      IntMember(usage_object, "completion_tokens").value_or(IntMember(usage_object, "output_tokens").value_or(0));
  std::optional<int64_t> cached;
  for (const char* details : {"prompt_tokens_details", "input_tokens_details"}) {
    if (std::optional<element> d = Member(usage_object, details); d && !cached) cached = IntMember(*d, "cached_tokens");
  }
  if (!cached) cached = IntMember(usage_object, "prompt_cache_hit_tokens");  // DeepSeek.
  usage->cached_tokens = cached.value_or(0);
  std::optional<int64_t> reasoning;
  for (const char* details : {"completion_tokens_details", "output_tokens_details"}) {
    if (std::optional<element> d = Member(usage_object, details); d && !reasoning) {
      reasoning = IntMember(*d, "reasoning_tokens");
    }
  }
  usage->reasoning_tokens = reasoning.value_or(0);
}

std::optional<std::string> ErrorMessage(element document) {
  std::optional<element> error = Member(document, "error");
  if (!error || error->is_null()) return std::nullopt;
  std::string_view text;
  if (error->get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (std::optional<std::string> message = StringMember(*error, "message"); message && !message->empty()) {
    return message;
  }
  return simdjson::minify(*error);
}

}  // namespace llmeval::codec_json
