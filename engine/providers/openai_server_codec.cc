#include "engine/providers/openai_server_codec.h"

#include <simdjson.h>

#include <algorithm>
#include <utility>

#include "core/json_writer.h"

namespace llmeval {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

Status FieldError(const std::string& path, std::string_view expected) {
  return Status::InvalidInput("chat completion request: field '" + path + "' must be " + std::string(expected));
}

// The text of a content value: a string, null (nullopt), or an array of parts whose "text" members are joined.
Result<std::optional<std::string>> DecodeContent(element value, const std::string& path) {
  if (value.is_null()) return std::optional<std::string>();
  std::string_view text;
  if (!value.get_string().get(text)) return std::optional<std::string>(std::string(text));
  array parts;
  if (value.get_array().get(parts)) return FieldError(path, "a string, null or an array of content parts");
  std::string joined;
  for (element part : parts) {
    std::string_view part_text;
    if (!part.get_string().get(part_text) || !part["text"].get_string().get(part_text)) joined.append(part_text);
  }
  return std::optional<std::string>(std::move(joined));
}

Status DecodeToolCalls(array calls, const std::string& path, std::vector<ToolCall>* out) {
  size_t index = 0;
  for (element call_value : calls) {
    std::string call_path = path + "[" + std::to_string(index++) + "]";
    ToolCall call;
    std::string_view text;
    if (!call_value["id"].get_string().get(text)) call.id = std::string(text);
    element function;
    if (call_value["function"].get(function)) return FieldError(call_path + ".function", "an object");
    if (function["name"].get_string().get(text)) return FieldError(call_path + ".function.name", "a string");
    call.name = std::string(text);
    element arguments;
    if (function["arguments"].get(arguments)) {
      call.arguments_json = "{}";
    } else if (!arguments.get_string().get(text)) {
      call.arguments_json = std::string(text);
    } else {
      call.arguments_json = simdjson::minify(arguments);
    }
    out->push_back(std::move(call));
  }
  return Status::OK();
}

Status DecodeMessages(array messages, std::vector<ChatMessage>* out) {
  size_t index = 0;
  for (element value : messages) {
    std::string path = "messages[" + std::to_string(index++) + "]";
    object fields;
    if (value.get_object().get(fields)) return FieldError(path, "an object");
    ChatMessage message;
    std::string_view text;
    if (fields["role"].get_string().get(text)) return FieldError(path + ".role", "a string");
    message.role = std::string(text);
    element content;
    if (!fields["content"].get(content)) {
      auto decoded = DecodeContent(content, path + ".content");
      if (!decoded.ok()) return decoded.status();
      message.content = std::move(*decoded);
    }
    array calls;
    if (!fields["tool_calls"].get_array().get(calls)) {
      Status s = DecodeToolCalls(calls, path + ".tool_calls", &message.tool_calls);
      if (!s.ok()) return s;
    }
    if (!fields["tool_call_id"].get_string().get(text)) message.tool_call_id = std::string(text);
    if (!fields["name"].get_string().get(text)) message.name = std::string(text);
    out->push_back(std::move(message));
  }
  return Status::OK();
}

Status DecodeTools(array tools, std::vector<ToolSpec>* out) {
  size_t index = 0;
  for (element value : tools) {
    std::string path = "tools[" + std::to_string(index++) + "]";
    element function;
    if (value["function"].get(function)) return FieldError(path + ".function", "an object");
    ToolSpec tool;
    std::string_view text;
    if (function["name"].get_string().get(text)) return FieldError(path + ".function.name", "a string");
    tool.name = std::string(text);
    if (!function["description"].get_string().get(text)) tool.description = std::string(text);
    element parameters;
    if (!function["parameters"].get(parameters)) {
      if (!parameters.is_object()) return FieldError(path + ".function.parameters", "an object");
      tool.parameters_schema_json = simdjson::minify(parameters);
    }
    out->push_back(std::move(tool));
  }
  return Status::OK();
}

std::optional<int64_t> AsInt(element value) {
  int64_t i;
  if (!value.get_int64().get(i)) return i;
  double d;
  if (!value.get_double().get(d) && d >= -9e18 && d <= 9e18 && d == static_cast<double>(static_cast<int64_t>(d))) {
    return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

void WriteUsage(const Usage& usage, JsonWriter* w) {
  w->Key("usage");
  w->BeginObject();
  w->Field("prompt_tokens", usage.input_tokens);
  w->Field("completion_tokens", usage.output_tokens);
  w->Field("total_tokens", usage.input_tokens + usage.output_tokens);
  w->Key("prompt_tokens_details");
  w->BeginObject();
  w->Field("cached_tokens", usage.cached_tokens);
  w->EndObject();
  w->Key("completion_tokens_details");
  w->BeginObject();
  w->Field("reasoning_tokens", usage.reasoning_tokens);
  w->EndObject();
  w->EndObject();
}

// The fields every chunk and the full response start with.
void WriteHeader(const ChatResponse& response, std::string_view object_kind, JsonWriter* w) {
  w->Field("id", response.id);
  w->Field("object", object_kind);
  w->Field("created", response.created);
  w->Field("model", response.model);
  w->Field("system_fingerprint", "fp_sim");
}

}  // namespace

Result<ChatRequest> DecodeChatRequestJson(std::string_view body, bool* include_usage) {
  thread_local simdjson::dom::parser parser;
  if (include_usage != nullptr) *include_usage = false;
  element root;
  if (auto error = parser.parse(body.data(), body.size()).get(root)) {
    return Status::InvalidInput(std::string("chat completion request: the body is not valid JSON: ") +
                                simdjson::error_message(error));
  }
  object fields;
  if (root.get_object().get(fields))
    return Status::InvalidInput("chat completion request: the body must be a JSON object");
  ChatRequest request;
  std::string_view text;
  element value;
  if (fields["model"].get(value))
    return Status::InvalidInput("chat completion request: missing required field 'model'");
  if (value.get_string().get(text)) return FieldError("model", "a string");
  request.model = std::string(text);
  if (fields["messages"].get(value)) {
    return Status::InvalidInput("chat completion request: missing required field 'messages'");
  }
  array messages;
  if (value.get_array().get(messages)) return FieldError("messages", "an array of messages");
  if (messages.size() == 0) return FieldError("messages", "a non-empty array");
  Status s = DecodeMessages(messages, &request.messages);
  if (!s.ok()) return s;

  double number;
  if (!fields["temperature"].get_double().get(number)) request.temperature = number;
  if (!fields["top_p"].get_double().get(number)) request.top_p = number;
  if (!fields["max_completion_tokens"].get(value) && !value.is_null()) {
    request.max_tokens = AsInt(value);
    if (!request.max_tokens) return FieldError("max_completion_tokens", "an integer");
    request.use_max_completion_tokens = true;
  } else if (!fields["max_tokens"].get(value) && !value.is_null()) {
    request.max_tokens = AsInt(value);
    if (!request.max_tokens) return FieldError("max_tokens", "an integer");
  }
  if (!fields["seed"].get(value) && !value.is_null()) {
    request.seed = AsInt(value);
    if (!request.seed) return FieldError("seed", "an integer");
  }
  if (!fields["stop"].get(value)) {
    array stops;
    if (!value.get_string().get(text)) {
      request.stop.emplace_back(text);
    } else if (!value.get_array().get(stops)) {
      for (element stop : stops) {
        if (stop.get_string().get(text)) return FieldError("stop", "a string or an array of strings");
        request.stop.emplace_back(text);
      }
    }
  }
  if (!fields["response_format"].get(value) && value.is_object())
    request.response_format_json = simdjson::minify(value);
  if (!fields["tools"].get(value) && !value.is_null()) {
    array tools;
    if (value.get_array().get(tools)) return FieldError("tools", "an array");
    s = DecodeTools(tools, &request.tools);
    if (!s.ok()) return s;
  }
  if (!fields["tool_choice"].get(value) && !value.is_null()) request.tool_choice_json = simdjson::minify(value);
  bool flag;
  if (!fields["parallel_tool_calls"].get_bool().get(flag)) request.parallel_tool_calls = flag;
  if (!fields["stream"].get_bool().get(flag)) request.stream = flag;
  if (include_usage != nullptr && !fields["stream_options"]["include_usage"].get_bool().get(flag)) {
    *include_usage = flag;
  }
  return request;
}

std::string EncodeChatResponseJson(const ChatResponse& response) {
  JsonWriter w;
  w.BeginObject();
  WriteHeader(response, "chat.completion", &w);
  w.Key("choices");
  w.BeginArray();
  w.BeginObject();
  w.Field("index", 0);
  w.Key("message");
  w.BeginObject();
  w.Field("role", "assistant");
  w.Key("content");
  if (response.message.content) {
    w.String(*response.message.content);
  } else {
    w.Null();
  }
  if (!response.message.tool_calls.empty()) {
    w.Key("tool_calls");
    w.BeginArray();
    for (const ToolCall& call : response.message.tool_calls) {
      w.BeginObject();
      w.Field("id", call.id);
      w.Field("type", "function");
      w.Key("function");
      w.BeginObject();
      w.Field("name", call.name);
      w.Field("arguments", call.arguments_json);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("refusal");
  if (response.refusal.empty()) {
    w.Null();
  } else {
    w.String(response.refusal);
  }
  w.EndObject();
  w.Key("logprobs");
  w.Null();
  w.Field("finish_reason", response.finish_reason);
  w.EndObject();
  w.EndArray();
  if (response.usage.reported) WriteUsage(response.usage, &w);
  w.EndObject();
  return w.Take();
}

std::string EncodeErrorJson(std::string_view message, std::string_view type, std::string_view code) {
  JsonWriter w;
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Field("message", message);
  w.Field("type", type);
  w.Key("param");
  w.Null();
  w.Key("code");
  if (code.empty()) {
    w.Null();
  } else {
    w.String(code);
  }
  w.EndObject();
  w.EndObject();
  return w.Take();
}

namespace {

// The byte position at or after `pos` where a piece may end without splitting a UTF-8 sequence.
size_t Utf8Boundary(std::string_view text, size_t pos) {
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

// Splits content the way a model emits tokens: pieces of a few words each, ending after a space.
std::vector<std::string_view> ContentPieces(std::string_view text) {
  constexpr size_t kMinPiece = 24;
  constexpr size_t kMaxPiece = 64;
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + kMinPiece);
    while (end < text.size() && end < start + kMaxPiece && text[end - 1] != ' ') ++end;
    end = Utf8Boundary(text, end);
    pieces.push_back(text.substr(start, end - start));
    start = end;
  }
  return pieces;
}

class ChunkWriter {
 public:
  ChunkWriter(const ChatResponse& response, bool include_usage) : response_(response), include_usage_(include_usage) {}

  // Starts a chunk; the caller writes the members of "delta" and then calls End.
  JsonWriter& Begin() {
    w_ = JsonWriter();
    w_.BeginObject();
    WriteHeader(response_, "chat.completion.chunk", &w_);
    w_.Key("choices");
    w_.BeginArray();
    w_.BeginObject();
    w_.Field("index", 0);
    w_.Key("delta");
    w_.BeginObject();
    return w_;
  }

  void End(std::vector<std::string>* events, std::string_view finish_reason = "") {
    w_.EndObject();
    w_.Key("logprobs");
    w_.Null();
    w_.Key("finish_reason");
    if (finish_reason.empty()) {
      w_.Null();
    } else {
      w_.String(finish_reason);
    }
    w_.EndObject();
    w_.EndArray();
    if (include_usage_) {
      w_.Key("usage");
      w_.Null();
    }
    w_.EndObject();
    events->push_back("data: " + w_.Take() + "\n\n");
  }

 private:
  const ChatResponse& response_;
  bool include_usage_;
  JsonWriter w_;
};

}  // namespace

std::vector<std::string> EncodeChatStreamEvents(const ChatResponse& response, bool include_usage) {
  std::vector<std::string> events;
  ChunkWriter chunk(response, include_usage);
  const ChatMessage& message = response.message;

  JsonWriter& first = chunk.Begin();
  first.Field("role", "assistant");
  first.Key("content");
  if (message.content) {
    first.String("");
  } else {
    first.Null();
  }
  first.Key("refusal");
  first.Null();
  chunk.End(&events);

  if (message.content) {
    for (std::string_view piece : ContentPieces(*message.content)) {
      chunk.Begin().Field("content", piece);
      chunk.End(&events);
    }
  }
  for (size_t i = 0; i < message.tool_calls.size(); ++i) {
    const ToolCall& call = message.tool_calls[i];
    JsonWriter& head = chunk.Begin();
    head.Key("tool_calls");
    head.BeginArray();
    head.BeginObject();
    head.Field("index", static_cast<int64_t>(i));
    head.Field("id", call.id);
    head.Field("type", "function");
    head.Key("function");
    head.BeginObject();
    head.Field("name", call.name);
    head.Field("arguments", "");
    head.EndObject();
    head.EndObject();
    head.EndArray();
    chunk.End(&events);
    std::string_view args = call.arguments_json;
    for (size_t start = 0; start < args.size();) {
      size_t end = Utf8Boundary(args, std::min(args.size(), start + 16));
      JsonWriter& part = chunk.Begin();
      part.Key("tool_calls");
      part.BeginArray();
      part.BeginObject();
      part.Field("index", static_cast<int64_t>(i));
      part.Key("function");
      part.BeginObject();
      part.Field("arguments", args.substr(start, end - start));
      part.EndObject();
      part.EndObject();
      part.EndArray();
      chunk.End(&events);
      start = end;
    }
  }
  chunk.Begin();
  chunk.End(&events, response.finish_reason.empty() ? "stop" : response.finish_reason);

  if (include_usage) {
    JsonWriter w;
    w.BeginObject();
    WriteHeader(response, "chat.completion.chunk", &w);
    w.Key("choices");
    w.BeginArray();
    w.EndArray();
    WriteUsage(response.usage, &w);
    w.EndObject();
    events.push_back("data: " + w.Take() + "\n\n");
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

}  // namespace llmeval
