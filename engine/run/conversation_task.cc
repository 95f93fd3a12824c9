// The conversation steps of ItemTask (declared in item_task.h): rows whose `messages` column holds a conversation,
// evaluated as given (no model call: the last assistant message is the answer, the rest its context), replayed (each
// user turn sent in order, the model's own answers kept in the history) or simulated (a second model plays the user
// from the row's persona and goal until it says its goal is reached, says the stop phrase, or max_turns is reached).
// Each turn is a `conversation_turn N` span holding the user simulator's chat (when simulated), the model's chat and
// its tools. Like every ItemTask step these run one at a time per item, on whichever engine thread delivered the reply.
#include <algorithm>

#include "core/strings.h"
#include "datasets/conversation.h"
#include "engine/run/item_task.h"
#include "tracing/semconv.h"

namespace llmeval {
namespace {

constexpr char kSpanTypeTurn[] = "conversation_turn";
constexpr const char* kAttrTurn = semconv::kLlmevalConversationTurn;
constexpr char kAttrTurns[] = "llmeval.conversation.turns";
constexpr char kAttrStopReason[] = "llmeval.conversation.stop_reason";
constexpr char kAttrMode[] = "llmeval.conversation.mode";
constexpr char kPurposeUserSimulator[] = "user_simulator";
// What the simulated user answers when its goal is reached (it is told so in its instructions).
constexpr char kGoalMarker[] = "GOAL_ACHIEVED";

const std::string* Cell(const DataRow& row, int column) {
  if (column < 0 || static_cast<size_t>(column) >= row.values.size() || row.values[column].empty()) return nullptr;
  return &row.values[column];
}

// The simulated user's instructions. The sim model recognises the first line (engine/sim/sim_user.h).
std::string SimulatorInstructions(const ConversationRun& conv, const DataRow& row) {
  std::string text =
      "llmeval-user-simulator\n"
      "You are role-playing a user talking with an AI assistant. Stay in character and write only the user's next "
      "message, as plain text.\n";
  if (const std::string* persona = Cell(row, conv.persona_column)) text += "Persona: " + *persona + "\n";
  if (const std::string* goal = Cell(row, conv.goal_column)) text += "Goal: " + *goal + "\n";
  if (conv.stop_on_goal) {
    text += std::string("When your goal has been reached, reply with exactly ") + kGoalMarker + " and nothing else.\n";
  }
  if (!conv.stop_phrase.empty()) text += "When you are done, say \"" + conv.stop_phrase + "\".\n";
  return text;
}

}  // namespace

void ItemTask::StartConversation() {
  const ConversationRun& conv = ctx_->conversation;
  trace_.SetAttribute(root_, kAttrMode, conv.mode);
  // In a conversation the rendered prompt is the assistant's instructions: a system message when not blank.
  if (!TrimWhitespace(record_.rendered_input).empty()) messages_.push_back(ChatMessage::System(record_.rendered_input));
  std::vector<ChatMessage> given;
  if (const std::string* cell = Cell(row_, conv.messages_column)) {
    Result<std::vector<ChatMessage>> parsed = ParseConversation(*cell);  // The dataset scan checked every row.
    if (parsed.ok()) given = std::move(parsed.value());
  }
  if (conv.mode == "as_given") {
    for (const ChatMessage& m : given) messages_.push_back(m);
    for (const ChatMessage& m : given) {
      if (m.role == "user") ++turns_;
      for (const ToolCall& call : m.tool_calls) {
        auto answer = std::find_if(given.begin(), given.end(),
                                   [&](const ChatMessage& t) { return t.role == "tool" && t.tool_call_id == call.id; });
        tool_records_.push_back({call.name, call.arguments_json,
                                 answer != given.end() ? answer->content.value_or("") : std::string(), false});
      }
    }
    output_ = given.empty() ? std::string() : given.back().content.value_or("");
    EndConversation("as_given");
    return;
  }
  if (conv.mode == "replay") {
    for (const ChatMessage& m : given) {
      if (m.role == "system") messages_.push_back(m);
      if (m.role == "user" && m.content.has_value()) script_.push_back(*m.content);
    }
    if (script_.empty()) {
      EndConversation("end_of_script");
      return;
    }
    NextUserTurn(script_[script_next_++]);
    return;
  }
  // simulate: the given messages open the conversation; the model answers a user message, else the user starts.
  for (const ChatMessage& m : given) {
    messages_.push_back(m);
    if (m.role == "assistant" && m.content.has_value()) output_ = *m.content;  // The answer if the user is done.
  }
  if (!given.empty() && given.back().role == "user") {
    ChatMessage opening = given.back();
    messages_.pop_back();
    NextUserTurn(opening.content.value_or(""));
    return;
  }
  AskSimulator();
}

void ItemTask::StartTurnSpan() {
  if (turn_span_.valid()) return;
  turn_span_ = trace_.StartSpan(std::string(kSpanTypeTurn) + " " + std::to_string(turns_ + 1), SpanKind::kInternal,
                                agent_.valid() ? agent_ : root_);
  trace_.SetAttribute(turn_span_, semconv::kLlmevalSpanType, std::string(kSpanTypeTurn));
  trace_.SetAttribute(turn_span_, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindChain));
  trace_.SetAttribute(turn_span_, kAttrTurn, static_cast<int64_t>(turns_ + 1));
}

void ItemTask::NextUserTurn(std::string text) {
  StartTurnSpan();
  trace_.SetAttribute(turn_span_, semconv::kInputValue, text);
  messages_.push_back(ChatMessage::User(std::move(text)));
  CallModel();
}

void ItemTask::OnTurnAnswered() {
  const ConversationRun& conv = ctx_->conversation;
  messages_.push_back(ChatMessage::Assistant(output_));
  ++turns_;
  trace_.SetAttribute(turn_span_, semconv::kOutputValue, output_);
  trace_.End(turn_span_);
  turn_span_ = SpanHandle{};
  bool more = conv.mode != "replay" || script_next_ < script_.size();
  if (!more) {
    EndConversation("end_of_script");
    return;
  }
  if (conv.max_turns > 0 && turns_ >= conv.max_turns) {
    EndConversation("max_turns");
    return;
  }
  if (conv.mode == "replay") {
    NextUserTurn(script_[script_next_++]);
    return;
  }
  AskSimulator();
}

void ItemTask::AskSimulator() {
  const ConversationRun& conv = ctx_->conversation;
  StartTurnSpan();
  ChatRequest request;
  request.model = conv.simulator_model;
  request.seed = ctx_->seed;
  request.temperature = ctx_->temperature;
  request.messages.push_back(ChatMessage::System(SimulatorInstructions(conv, row_)));
  // The simulator plays the user, so the roles are swapped: the assistant's answers are what it reads.
  for (const ChatMessage& m : messages_) {
    if (!m.content.has_value() || m.content->empty()) continue;
    if (m.role == "user") request.messages.push_back(ChatMessage::Assistant(*m.content));
    if (m.role == "assistant") request.messages.push_back(ChatMessage::User(*m.content));
  }
  if (request.messages.size() == 1) {
    request.messages.push_back(ChatMessage::User("(The conversation has not started. Write your first message.)"));
  }
  auto self = shared_from_this();
  Call(
      conv.simulator, conv.simulator_key, conv.simulator_name, std::move(request), turn_span_, kPurposeUserSimulator,
      [this, self](ChatResult result, bool) {
        const ConversationRun& c = ctx_->conversation;
        if (!result.status.ok()) {
          record_.error = "user simulator call failed: " + result.status.message();
          record_.error_type = "user_simulator_error";
          FinishAnswer("error");
          return;
        }
        std::string text = result.response.message.content.value_or("");
        bool goal = false;
        if (size_t at = text.find(kGoalMarker); c.stop_on_goal && at != std::string::npos) {
          goal = true;
          text.erase(at, sizeof(kGoalMarker) - 1);
        }
        text = std::string(TrimWhitespace(text));
        if (goal || (!c.stop_phrase.empty() && AsciiLower(text).find(AsciiLower(c.stop_phrase)) != std::string::npos)) {
          if (!text.empty()) {
            trace_.SetAttribute(turn_span_, semconv::kInputValue, text);
            messages_.push_back(ChatMessage::User(text));
          }
          EndConversation(goal ? "goal_reached" : "stop_phrase");
          return;
        }
        if (text.empty()) {
          record_.error = "the user simulator answered with an empty message";
          record_.error_type = "user_simulator_error";
          FinishAnswer("error");
          return;
        }
        NextUserTurn(std::move(text));
      });
}

void ItemTask::EndConversation(const std::string& stop_reason) {
  record_.finish_reason = stop_reason;
  FinishAnswer(stop_reason);
}

void ItemTask::CloseConversation(const std::string& stop_reason) {
  if (turn_span_.valid()) {
    if (stop_reason == "error") {
      trace_.EndWithError(turn_span_, record_.error_type, record_.error);
    } else {
      trace_.End(turn_span_);
    }
    turn_span_ = SpanHandle{};
  }
  if (stop_reason == "max_steps") record_.finish_reason = "max_steps";
  std::vector<ChatMessage>& transcript = scoring_.transcript;
  for (const ChatMessage& m : messages_) {
    if (m.role != "system") transcript.push_back(m);
  }
  scoring_.turns = turns_;
  scoring_.conversation_stop = stop_reason;
  // The answer scored is the last assistant message; everything before it is its context.
  auto last = std::find_if(transcript.rbegin(), transcript.rend(),
                           [](const ChatMessage& m) { return m.role == "assistant" && m.content.has_value(); });
  std::vector<ChatMessage> context(transcript.begin(), last == transcript.rend() ? transcript.end() : last.base() - 1);
  record_.rendered_input = ConversationText(context);
  trace_.SetAttribute(root_, semconv::kInputValue, record_.rendered_input);
  trace_.SetAttribute(root_, kAttrTurns, static_cast<int64_t>(turns_));
  trace_.SetAttribute(root_, kAttrStopReason, stop_reason);
}

}  // namespace llmeval
