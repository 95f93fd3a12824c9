#include "engine/providers/openai_client_codec.h"

#include <simdjson.h>

#include <utility>
#include <vector>

#include "core/json_writer.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "engine/providers/openai_client_codec_json.h"

namespace llmeval {
namespace {

using simdjson::dom::element;
namespace cj = codec_json;

// Parses `json` and returns its minified form when it is valid JSON and, if `object_only`, an object.
std::optional<std::string> MinifiedJson(std::string_view json, bool object_only) {
  simdjson::dom::parser parser;
  element value;
  if (parser.parse(json.data(), json.size()).get(value) != simdjson::SUCCESS) return std::nullopt;
  if (object_only && !value.is_object()) return std::nullopt;
  return simdjson::minify(value);
}

// The top-level members of a JSON object, each minified; empty when `json` is not an object.
std::vector<std::pair<std::string, std::string>> ObjectMembers(std::string_view json) {
  std::vector<std::pair<std::string, std::string>> members;
  if (json.empty()) return members;
  simdjson::dom::parser parser;
  element value;
  if (parser.parse(json.data(), json.size()).get(value) != simdjson::SUCCESS) return members;
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return members;
  for (auto field : object) {
    members.emplace_back(std::string(field.key), simdjson::minify(field.value));
  }
  return members;
}

void WriteMessage(const ChatMessage& m, JsonWriter* w) {
  w->BeginObject();
  w->Field("role", m.role);
  w->Key("content");
  if (m.content) {
    w->String(*m.content);
  } else if (m.role == "assistant") {
    w->Null();
  } else {
    w->String("");
  }
  if (!m.name.empty()) w->Field("name", m.name);
  if (!m.tool_calls.empty()) {
    w->Key("tool_calls");
    w->BeginArray();
    for (const ToolCall& call : m.tool_calls) {
      w->BeginObject();
      w->Field("id", call.id);
      w->Field("type", "function");
      w->Key("function");
      w->BeginObject();
      w->Field("name", call.name);
      w->Field("arguments",
               call.arguments_json.empty() ? std::string_view("{}") : std::string_view(call.arguments_json));
      w->EndObject();
      w->EndObject();
    }
    w->EndArray();
  }
  if (m.role == "tool" || !m.tool_call_id.empty()) w->Field("tool_call_id", m.tool_call_id);
  w->EndObject();
}

}  // namespace

std::string BodyExcerpt(std::string_view text, size_t max_chars) {
  bool cut = text.size() > max_chars;
  if (cut) {
    size_t end = max_chars;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    text = text.substr(0, end);
  }
  std::string out = SanitizeUtf8(text);
  if (cut) out += "...";
  return out;
}

Status ValidateChatRequest(const ChatRequest& request) {
  if (request.model.empty()) return Status::InvalidInput("chat request has no model");
  if (!request.response_format_json.empty() && !MinifiedJson(request.response_format_json, true)) {
    return Status::InvalidInput("response_format must be a JSON object, got: " +
                                BodyExcerpt(request.response_format_json));
  }
  if (!request.tool_choice_json.empty() && !MinifiedJson(request.tool_choice_json, false)) {
    return Status::InvalidInput(
        "tool_choice must be a JSON value such as \"auto\" or {\"type\":\"function\",...}, got: " +
        BodyExcerpt(request.tool_choice_json));
  }
  if (!request.extra_params_json.empty() && !MinifiedJson(request.extra_params_json, true)) {
    return Status::InvalidInput("extra request parameters must be a JSON object, got: " +
                                BodyExcerpt(request.extra_params_json));
  }
  for (const ToolSpec& tool : request.tools) {
    if (tool.name.empty()) return Status::InvalidInput("a tool offered to the model has no name");
    if (!tool.parameters_schema_json.empty() && !MinifiedJson(tool.parameters_schema_json, true)) {
      return Status::InvalidInput("the parameters schema of tool '" + tool.name +
                                  "' must be a JSON object, got: " + BodyExcerpt(tool.parameters_schema_json));
    }
  }
  return Status::OK();
}

std::string EncodeChatRequestJson(const ChatRequest& r) {
  std::vector<std::pair<std::string, std::string>> extra = ObjectMembers(r.extra_params_json);
  auto own = [&extra](std::string_view key) {
    for (const auto& member : extra) {
      if (member.first == key) return false;  // The extra parameter wins.
    }
    return true;
  };
  // Sized for the messages plus the parameters, so the body is built in one allocation.
  size_t size = 256 + r.extra_params_json.size();
  for (const ChatMessage& m : r.messages) size += 48 + (m.content.has_value() ? m.content->size() : 0);
  JsonWriter w(size);
  w.BeginObject();
  if (own("model")) w.Field("model", r.model);
  if (own("messages")) {
    w.Key("messages");
    w.BeginArray();
    for (const ChatMessage& m : r.messages) WriteMessage(m, &w);
    w.EndArray();
  }
  if (r.temperature && own("temperature")) w.Field("temperature", *r.temperature);
  if (r.top_p && own("top_p")) w.Field("top_p", *r.top_p);
  if (r.max_tokens) {
    const char* key = r.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens";
    if (own(key)) w.Field(key, *r.max_tokens);
  }
  if (r.seed && own("seed")) w.Field("seed", *r.seed);
  if (!r.stop.empty() && own("stop")) {
    w.Key("stop");
    w.BeginArray();
    for (const std::string& s : r.stop) w.String(s);
    w.EndArray();
  }
  if (!r.response_format_json.empty() && own("response_format")) {
    if (std::optional<std::string> format = MinifiedJson(r.response_format_json, true)) {
      w.Key("response_format");
      w.Raw(*format);
    }
  }
  if (!r.tools.empty() && own("tools")) {
    w.Key("tools");
    w.BeginArray();
    for (const ToolSpec& tool : r.tools) {
      w.BeginObject();
      w.Field("type", "function");
      w.Key("function");
      w.BeginObject();
      w.Field("name", tool.name);
      if (!tool.description.empty()) w.Field("description", tool.description);
      std::optional<std::string> schema = MinifiedJson(tool.parameters_schema_json, true);
      w.Key("parameters");
      w.Raw(schema ? *schema : std::string("{\"type\":\"object\",\"properties\":{}}"));
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  if (!r.tool_choice_json.empty() && own("tool_choice")) {
    w.Key("tool_choice");
    if (std::optional<std::string> choice = MinifiedJson(r.tool_choice_json, false)) {
      w.Raw(*choice);
    } else {
      w.String(TrimWhitespace(r.tool_choice_json));  // A bare word such as auto.
    }
  }
  if (r.parallel_tool_calls && own("parallel_tool_calls")) w.Field("parallel_tool_calls", *r.parallel_tool_calls);
  if (r.stream) {
    if (own("stream")) w.Field("stream", true);
    if (own("stream_options")) {
      w.Key("stream_options");
      w.BeginObject();
      w.Field("include_usage", true);
      w.EndObject();
    }
  }
  for (const auto& [key, value] : extra) {
    w.Key(key);
    w.Raw(value);
  }
  w.EndObject();
  return w.Take();
}

Result<ChatResponse> DecodeChatResponseJson(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  element doc;
  simdjson::error_code error = parser.parse(body.data(), body.size()).get(doc);
  if (error != simdjson::SUCCESS) {
    return Status::Unavailable(std::string("the provider's response body was not valid JSON (") +
                               simdjson::error_message(error) + "): " + BodyExcerpt(body));
  }
  if (!doc.is_object()) {
    return Status::Unavailable(
        "the provider's response body was not valid JSON for a chat completion (expected an "
        "object): " +
        BodyExcerpt(body));
  }
  if (std::optional<std::string> message = cj::ErrorMessage(doc)) {
    return Status::Unavailable("the provider returned an error: " + BodyExcerpt(*message, 500));
  }
  ChatResponse response;
  response.id = cj::StringMember(doc, "id").value_or("");
  response.model = cj::StringMember(doc, "model").value_or("");
  response.created = cj::IntMember(doc, "created").value_or(0);
  if (std::optional<element> usage = cj::Member(doc, "usage")) cj::ReadUsage(*usage, &response.usage);

  std::optional<element> choices = cj::Member(doc, "choices");
  simdjson::dom::array choice_list;
  element choice;
  if (!choices || choices->get_array().get(choice_list) != simdjson::SUCCESS ||
      choice_list.at(0).get(choice) != simdjson::SUCCESS) {
    return Status::Unavailable("provider returned no choices");
  }
  response.finish_reason = cj::StringMember(choice, "finish_reason").value_or("");
  std::optional<element> message = cj::Member(choice, "message");
  if (!message || !message->is_object()) {
    return Status::Unavailable("provider returned a choice without a message: " + BodyExcerpt(body));
  }
  response.message.role = cj::StringMember(*message, "role").value_or("assistant");
  if (std::optional<element> content = cj::Member(*message, "content")) {
    response.message.content = cj::ContentText(*content);
  }
  response.refusal = cj::StringMember(*message, "refusal").value_or("");
  if (std::optional<element> calls = cj::Member(*message, "tool_calls")) {
    for (element item : cj::Items(*calls)) {
      ToolCall call;
      call.id = cj::StringMember(item, "id").value_or("");
      if (call.id.empty()) call.id = "call_" + std::to_string(response.message.tool_calls.size());
      std::optional<element> function = cj::Member(item, "function");
      if (function) {
        call.name = cj::StringMember(*function, "name").value_or("");
        std::optional<element> arguments = cj::Member(*function, "arguments");
        call.arguments_json = arguments ? cj::ArgumentsText(*arguments) : "{}";
      }
      response.message.tool_calls.push_back(std::move(call));
    }
  }
  return response;
}

ProviderError DecodeErrorBody(int status, std::string_view body) {
  ProviderError e;
  e.http_status = status;
  thread_local simdjson::dom::parser parser;
  element doc;
  if (parser.parse(body.data(), body.size()).get(doc) == simdjson::SUCCESS && doc.is_object()) {
    element source = doc;
    std::optional<element> error = cj::Member(doc, "error");
    std::string_view error_text;
    if (error && error->is_object()) {
      source = *error;
    } else if (error && error->get_string().get(error_text) == simdjson::SUCCESS) {
      e.message = std::string(error_text);
    }
    if (e.message.empty()) {
      e.message = cj::StringMember(source, "message").value_or(cj::StringMember(source, "detail").value_or(""));
    }
    if (std::optional<element> type = cj::Member(source, "type")) e.type = cj::ScalarText(*type);
    if (std::optional<element> code = cj::Member(source, "code")) e.code = cj::ScalarText(*code);
    if (std::optional<element> param = cj::Member(source, "param")) e.param = cj::ScalarText(*param);
    if (e.message.empty()) e.message = BodyExcerpt(TrimWhitespace(body), 500);
  } else {
    e.message = BodyExcerpt(TrimWhitespace(body), 500);
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(status) + " with an empty body";
  return e;
}

}  // namespace llmeval
