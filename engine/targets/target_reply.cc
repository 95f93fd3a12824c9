#include "engine/targets/target_reply.h"

#include <simdjson.h>

#include <vector>

#include "core/strings.h"

namespace llmeval {
namespace {

using simdjson::dom::element;

std::optional<element> At(element doc, const std::string& pointer) {
  element out;
  if (doc.at_pointer(pointer).get(out) != simdjson::SUCCESS) return std::nullopt;
  return out;
}

std::string AsText(element e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(e);
}

std::optional<int64_t> AsInt(element e) {
  int64_t i = 0;
  if (e.get(i) == simdjson::SUCCESS) return i;
  double d = 0;
  if (e.get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  return std::nullopt;
}

// {name, arguments} or OpenAI's {id, function: {name, arguments}}; arguments as an object or as a JSON text.
Status ReadToolCalls(element calls, const std::string& pointer, std::vector<ToolCall>* out) {
  simdjson::dom::array array;
  if (calls.get(array) != simdjson::SUCCESS) return Status::RemoteError("the reply's " + pointer + " is not an array");
  out->clear();
  for (element c : array) {
    element fn = c;
    if (auto f = At(c, "/function")) fn = *f;
    ToolCall call;
    auto name = At(fn, "/name");
    if (!name) return Status::RemoteError("a tool call at " + pointer + " has no \"name\"");
    call.name = AsText(*name);
    if (auto id = At(c, "/id")) call.id = AsText(*id);
    auto args = At(fn, "/arguments");
    if (!args) args = At(fn, "/args");
    call.arguments_json = args ? AsText(*args) : "{}";
    out->push_back(std::move(call));
  }
  return Status::OK();
}

// Applies one JSON document; `stream` joins string answers instead of requiring one.
Status ApplyDocument(element doc, const TargetResponseMap& map, bool stream, bool* saw_answer, DecodedReply* out) {
  if (auto error = At(doc, "/error"); error && !error->is_null()) out->error = AsText(*error);
  if (auto answer = At(doc, map.answer)) {
    if (!answer->is_null()) {
      std::string text = AsText(*answer);
      out->message.content = stream ? out->message.content.value_or("") + text : text;
    }
    *saw_answer = true;
  }
  if (!map.tool_calls.empty()) {
    if (auto calls = At(doc, map.tool_calls); calls && !calls->is_null()) {
      Status s = ReadToolCalls(*calls, map.tool_calls, &out->message.tool_calls);
      if (!s.ok()) return s;
    }
  }
  if (!map.input_tokens.empty()) {
    if (auto v = At(doc, map.input_tokens); v && AsInt(*v)) {
      out->usage.input_tokens = *AsInt(*v);
      out->usage.reported = true;
    }
  }
  if (!map.output_tokens.empty()) {
    if (auto v = At(doc, map.output_tokens); v && AsInt(*v)) {
      out->usage.output_tokens = *AsInt(*v);
      out->usage.reported = true;
    }
  }
  if (!map.cost_usd.empty()) {
    double d = 0;
    if (auto v = At(doc, map.cost_usd); v && v->get(d) == simdjson::SUCCESS) out->cost_usd = d;
  }
  return Status::OK();
}

}  // namespace

std::string ReplyFormat(const std::string& configured, const std::optional<std::string>& content_type) {
  if (!configured.empty()) return configured;
  std::string type = AsciiLower(content_type.value_or(""));
  if (type.find("text/event-stream") != std::string::npos) return "sse";
  if (type.find("ndjson") != std::string::npos || type.find("jsonl") != std::string::npos) return "ndjson";
  return "json";
}

Result<DecodedReply> DecodeTargetReply(std::string_view body, const std::string& format, const TargetResponseMap& map) {
  DecodedReply out;
  out.message.role = "assistant";
  simdjson::dom::parser parser;
  bool saw_answer = false;
  if (format == "json") {
    element doc;
    if (parser.parse(body.data(), body.size()).get(doc) != simdjson::SUCCESS) {
      return Status::RemoteError("the reply is not JSON: " + std::string(body.substr(0, 120)));
    }
    Status s = ApplyDocument(doc, map, false, &saw_answer, &out);
    if (!s.ok()) return s;
  } else {
    size_t events = 0;
    for (std::string_view line : SplitString(std::string(body), '\n')) {
      std::string_view text = TrimWhitespace(line);
      if (format == "sse") {
        if (!StartsWith(text, "data:")) continue;  // event:, id:, retry:, comments and blank lines.
        text = TrimWhitespace(text.substr(5));
        if (text == "[DONE]") continue;
      }
      if (text.empty()) continue;
      element doc;
      if (parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS) {
        return Status::RemoteError("event " + std::to_string(events + 1) + " of the " + format +
                                   " reply is not JSON: " + std::string(text.substr(0, 120)));
      }
      ++events;
      Status s = ApplyDocument(doc, map, true, &saw_answer, &out);
      if (!s.ok()) return s;
    }
    if (events == 0) return Status::RemoteError("the " + format + " reply has no events");
  }
  if (!saw_answer && out.error.empty()) {
    return Status::RemoteError("the reply has no value at " + (map.answer.empty() ? "\"\"" : map.answer) +
                               " (response.answer)");
  }
  return out;
}

}  // namespace llmeval
