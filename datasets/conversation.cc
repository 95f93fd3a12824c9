#include "datasets/conversation.h"

#include <simdjson.h>

#include <set>

namespace llmeval {
namespace {

// "message N: " for errors.
std::string At(size_t index) { return "message " + std::to_string(index + 1) + ": "; }

// A JSON value as text: a string as it is, anything else as its minified JSON.
std::string JsonText(simdjson::dom::element e) {
  std::string_view s;
  if (e.get(s) == simdjson::SUCCESS) return std::string(s);
  return simdjson::minify(e);
}

Status ParseToolCall(simdjson::dom::element element, size_t index, ToolCall* call) {
  simdjson::dom::object object;
  if (element.get(object) != simdjson::SUCCESS) {
    return Status::InvalidInput(At(index) + "each tool_calls entry must be an object with id and function");
  }
  std::string_view id;
  if (object["id"].get(id) != simdjson::SUCCESS || id.empty()) {
    return Status::InvalidInput(At(index) + "a tool call has no \"id\" (a non-empty string)");
  }
  call->id = std::string(id);
  simdjson::dom::element holder = element;
  simdjson::dom::object function;
  if (object["function"].get(function) == simdjson::SUCCESS) holder = object["function"].value_unsafe();
  std::string_view name;
  if (holder["name"].get(name) != simdjson::SUCCESS || name.empty()) {
    return Status::InvalidInput(At(index) + "tool call '" + call->id + "' has no function name");
  }
  call->name = std::string(name);
  simdjson::dom::element arguments;
  call->arguments_json = holder["arguments"].get(arguments) == simdjson::SUCCESS ? JsonText(arguments) : "{}";
  return Status::OK();
}

}  // namespace

Result<std::vector<ChatMessage>> ParseConversation(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (json.empty() || parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return Status::InvalidInput(
        "expected a JSON array of messages such as [{\"role\": \"user\", \"content\": \"...\"}]");
  }
  simdjson::dom::array array;
  if (root.get(array) != simdjson::SUCCESS) {
    return Status::InvalidInput("expected a JSON array of messages, got " +
                                std::string(root.is_object() ? "an object" : "a scalar"));
  }
  std::vector<ChatMessage> messages;
  std::set<std::string> open_calls;  // Tool call ids asked for so far.
  for (simdjson::dom::element element : array) {
    size_t index = messages.size();
    simdjson::dom::object object;
    if (element.get(object) != simdjson::SUCCESS) {
      return Status::InvalidInput(At(index) + "expected an object with \"role\" and \"content\"");
    }
    ChatMessage m;
    std::string_view role;
    if (object["role"].get(role) != simdjson::SUCCESS) {
      return Status::InvalidInput(At(index) + "has no \"role\" (system, user, assistant or tool)");
    }
    m.role = std::string(role);
    if (m.role != "system" && m.role != "user" && m.role != "assistant" && m.role != "tool") {
      return Status::InvalidInput(At(index) + "unknown role '" + m.role +
                                  "'; expected system, user, assistant or tool");
    }
    simdjson::dom::element content;
    if (object["content"].get(content) == simdjson::SUCCESS && !content.is_null()) m.content = JsonText(content);
    std::string_view name;
    if (object["name"].get(name) == simdjson::SUCCESS) m.name = std::string(name);
    simdjson::dom::array calls;
    if (object["tool_calls"].get(calls) == simdjson::SUCCESS) {
      if (m.role != "assistant") return Status::InvalidInput(At(index) + "only assistant messages may have tool_calls");
      for (simdjson::dom::element c : calls) {
        ToolCall call;
        if (Status s = ParseToolCall(c, index, &call); !s.ok()) return s;
        open_calls.insert(call.id);
        m.tool_calls.push_back(std::move(call));
      }
    }
    if (m.role == "tool") {
      std::string_view id;
      if (object["tool_call_id"].get(id) != simdjson::SUCCESS || id.empty()) {
        return Status::InvalidInput(At(index) + "a tool message needs the \"tool_call_id\" of the call it answers");
      }
      m.tool_call_id = std::string(id);
      if (open_calls.count(m.tool_call_id) == 0) {
        return Status::InvalidInput(At(index) + "tool message answers call '" + m.tool_call_id +
                                    "', which no earlier assistant message made");
      }
    }
    if (!m.content.has_value() && m.tool_calls.empty()) {
      return Status::InvalidInput(At(index) + "has no \"content\"");
    }
    messages.push_back(std::move(m));
  }
  if (messages.empty()) return Status::InvalidInput("has no messages; expected at least one user message");
  return messages;
}

std::string ConversationText(const std::vector<ChatMessage>& messages) {
  std::string out;
  for (const ChatMessage& m : messages) {
    if (m.content.has_value() && !m.content->empty()) out += m.role + ": " + *m.content + "\n";
    for (const ToolCall& c : m.tool_calls) out += m.role + " calls " + c.name + "(" + c.arguments_json + ")\n";
  }
  return out;
}

}  // namespace llmeval
