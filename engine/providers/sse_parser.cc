#include "engine/providers/sse_parser.h"

#include <simdjson.h>

#include <optional>
#include <utility>

#include "core/strings.h"
#include "engine/providers/openai_client_codec.h"
#include "engine/providers/openai_client_codec_json.h"

namespace llmeval {
namespace {

using simdjson::dom::element;
namespace cj = codec_json;

}  // namespace

void SseParser::Feed(std::string_view bytes, std::vector<SseEvent>* events) {
  size_t i = 0;
  if (skip_next_lf_ && !bytes.empty()) {
    if (bytes[0] == '\n') i = 1;
    skip_next_lf_ = false;
  }
  while (i < bytes.size()) {
    size_t end = bytes.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      return;
    }
    std::string_view piece = bytes.substr(i, end - i);
    if (line_.empty()) {
      ProcessLine(piece, events);
    } else {
      line_.append(piece);
      ProcessLine(line_, events);
      line_.clear();
    }
    i = end + 1;
    if (bytes[end] == '\r') {
      if (i < bytes.size()) {
        if (bytes[i] == '\n') ++i;
      } else {
        skip_next_lf_ = true;
      }
    }
  }
}

void SseParser::Finish(std::vector<SseEvent>* events) {
  if (!line_.empty()) {
    std::string line = std::move(line_);
    line_.clear();
    ProcessLine(line, events);
  }
  Dispatch(events);
}

void SseParser::ProcessLine(std::string_view line, std::vector<SseEvent>* events) {
  if (line.empty()) {
    Dispatch(events);
    return;
  }
  if (line[0] == ':') return;  // A comment.
  size_t colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) pending_.data += '\n';
    pending_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    pending_.event = std::string(value);
  } else if (field == "id") {
    pending_.id = std::string(value);
  }  // "retry" and unknown fields are ignored.
}

void SseParser::Dispatch(std::vector<SseEvent>* events) {
  if (has_data_) events->push_back(std::move(pending_));
  pending_ = SseEvent();
  has_data_ = false;
}

Status ChatStreamAccumulator::Add(std::string_view data) {
  std::string_view trimmed = data;
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
  if (trimmed.empty()) return Status::OK();  // A keep-alive some gateways send as an empty event.
  if (trimmed == "[DONE]") {
    done_ = true;
    return Status::OK();
  }
  thread_local simdjson::dom::parser parser;
  element chunk;
  simdjson::error_code error = parser.parse(trimmed.data(), trimmed.size()).get(chunk);
  if (error != simdjson::SUCCESS && trimmed.find('\n') != std::string_view::npos) {
    // Several data lines that are each a whole chunk: the server dropped the blank lines between events.
    std::string copy(trimmed);
    size_t start = 0;
    bool all_ok = true;
    std::vector<std::string> lines;
    while (start <= copy.size()) {
      size_t end = copy.find('\n', start);
      if (end == std::string::npos) end = copy.size();
      lines.push_back(copy.substr(start, end - start));
      start = end + 1;
    }
    for (const std::string& line : lines) {
      simdjson::dom::element probe;
      if (parser.parse(line.data(), line.size()).get(probe) != simdjson::SUCCESS && TrimWhitespace(line) != "[DONE]" &&
          !TrimWhitespace(line).empty()) {
        all_ok = false;
      }
    }
    if (all_ok) {
      for (const std::string& line : lines) {
        Status status = Add(line);
        if (!status.ok()) return status;
      }
      return Status::OK();
    }
  }
  if (error != simdjson::SUCCESS || !chunk.is_object()) {
    return Status::Unavailable(std::string("a streamed event was not valid JSON (") +
                               (error != simdjson::SUCCESS ? simdjson::error_message(error) : "not an object") +
                               "): " + BodyExcerpt(trimmed));
  }
  if (std::optional<std::string> message = cj::ErrorMessage(chunk)) {
    return Status::Unavailable("the provider reported an error mid-stream: " + BodyExcerpt(*message, 500));
  }
  saw_chunk_ = true;
  if (std::optional<std::string> id = cj::StringMember(chunk, "id"); id && !id->empty() && response_.id.empty()) {
    response_.id = *id;
  }
  if (std::optional<std::string> model = cj::StringMember(chunk, "model");
      model && !model->empty() && response_.model.empty()) {
    response_.model = *model;
  }
  if (std::optional<int64_t> created = cj::IntMember(chunk, "created"); created && *created != 0) {
    if (response_.created == 0) response_.created = *created;
  }
  if (std::optional<element> usage = cj::Member(chunk, "usage")) cj::ReadUsage(*usage, &response_.usage);

  std::optional<element> choices = cj::Member(chunk, "choices");
  if (!choices) return Status::OK();
  simdjson::dom::array choice_list;
  if (choices->get_array().get(choice_list) != simdjson::SUCCESS) return Status::OK();
  for (element choice : choice_list) {
    if (cj::IntMember(choice, "index").value_or(0) != 0) continue;  // n > 1: keep the first choice only.
    if (std::optional<std::string> finish = cj::StringMember(choice, "finish_reason"); finish && !finish->empty()) {
      response_.finish_reason = *finish;
    }
    std::optional<element> delta = cj::Member(choice, "delta");
    if (!delta) delta = cj::Member(choice, "message");  // Servers that send a whole message in one chunk.
    if (!delta || !delta->is_object()) continue;
    if (std::optional<std::string> role = cj::StringMember(*delta, "role"); role && !role->empty()) {
      response_.message.role = *role;
    }
    if (std::optional<element> content = cj::Member(*delta, "content")) {
      if (std::optional<std::string> text = cj::ContentText(*content)) {
        response_.message.content = response_.message.content.value_or("") + *text;
        saw_content_ = true;
      }
    }
    if (std::optional<std::string> refusal = cj::StringMember(*delta, "refusal")) response_.refusal += *refusal;
    std::optional<element> calls = cj::Member(*delta, "tool_calls");
    if (!calls) continue;
    std::vector<element> items = cj::Items(*calls);  // TGI sends one object instead of an array.
    for (size_t position = 0; position < items.size(); ++position) {
      element item = items[position];
      int64_t index = cj::IntMember(item, "index").value_or(static_cast<int64_t>(position));
      PartialCall& call = calls_[index];
      if (std::optional<std::string> id = cj::StringMember(item, "id"); id && !id->empty()) call.id = *id;
      std::optional<element> function = cj::Member(item, "function");
      if (!function) continue;
      // Some servers repeat the name in every delta: set it once, never concatenate.
      if (std::optional<std::string> name = cj::StringMember(*function, "name"); name && !name->empty()) {
        if (call.name.empty()) call.name = *name;
      }
      if (std::optional<element> arguments = cj::Member(*function, "arguments")) {
        std::string_view fragment;
        if (arguments->get_string().get(fragment) == simdjson::SUCCESS) {
          call.arguments += fragment;
        } else if (!arguments->is_null()) {
          call.arguments += cj::ArgumentsText(*arguments);
        }
      }
    }
  }
  return Status::OK();
}

Result<ChatResponse> ChatStreamAccumulator::Finish() {
  if (!saw_chunk_) return Status::Unavailable("the provider's stream ended without any chunk");
  if (!done_ && response_.finish_reason.empty()) {
    return Status::Unavailable("the provider's stream ended before the answer finished (no finish_reason, no [DONE])");
  }
  ChatResponse response = response_;
  if (response.message.role.empty()) response.message.role = "assistant";
  for (auto& [index, partial] : calls_) {
    ToolCall call;
    call.id = partial.id.empty() ? "call_" + std::to_string(index) : partial.id;
    call.name = partial.name;
    call.arguments_json = partial.arguments.empty() ? "{}" : partial.arguments;
    response.message.tool_calls.push_back(std::move(call));
  }
  if (!response.message.tool_calls.empty() && saw_content_ && response.message.content->empty()) {
    response.message.content.reset();
  }
  return response;
}

Result<ChatResponse> DecodeChatStreamBody(std::string_view body) {
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    return DecodeChatResponseJson(body);  // The server ignored "stream": a plain JSON body.
  }
  SseParser parser;
  std::vector<SseEvent> events;
  parser.Feed(body, &events);
  parser.Finish(&events);
  ChatStreamAccumulator accumulator;
  for (const SseEvent& event : events) {
    Status status = accumulator.Add(event.data);
    if (!status.ok()) return status;
    if (accumulator.done()) break;
  }
  return accumulator.Finish();
}

}  // namespace llmeval
