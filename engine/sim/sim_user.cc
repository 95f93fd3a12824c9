#include "engine/sim/sim_user.h"

#include "core/hash.h"
#include "core/strings.h"
#include "engine/sim/sim_text.h"

namespace llmeval {
namespace {

constexpr std::string_view kMarker = "llmeval-user-simulator";

// The rest of the line after `label` ("Goal: ..."), or "".
std::string LineAfter(std::string_view text, std::string_view label) {
  size_t at = text.find(label);
  if (at == std::string_view::npos) return "";
  size_t start = at + label.size();
  size_t end = text.find('\n', start);
  return std::string(TrimWhitespace(text.substr(start, end == std::string_view::npos ? end : end - start)));
}

// The phrase in `say "PHRASE"`, or "".
std::string StopPhrase(std::string_view text) {
  size_t at = text.find("say \"");
  if (at == std::string_view::npos) return "";
  size_t start = at + 5;
  size_t end = text.find('"', start);
  return end == std::string_view::npos ? "" : std::string(text.substr(start, end - start));
}

}  // namespace

bool IsUserSimulatorRequest(const ChatRequest& request) {
  return !request.messages.empty() && request.messages[0].role == "system" && request.messages[0].content &&
         request.messages[0].content->compare(0, kMarker.size(), kMarker) == 0;
}

int SimUserTurnsToGoal(std::string_view goal) { return 2 + static_cast<int>(Fnv1a64(goal) % 3); }

std::string SimulateUserReply(const ChatRequest& request) {
  const std::string& instructions = *request.messages[0].content;
  std::string goal = LineAfter(instructions, "Goal:");
  int sent = 0;
  const std::string* last_answer = nullptr;
  for (const ChatMessage& m : request.messages) {
    if (m.role == "assistant") ++sent;
    if (m.role == "user" && m.content) last_answer = &*m.content;
  }
  if (sent == 0) {
    if (goal.empty()) return "Hello! Can you help me with a question about software engineering?";
    std::string ask = goal;
    while (!ask.empty() && (ask.back() == '.' || ask.back() == '?')) ask.pop_back();
    if (!ask.empty()) ask[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(ask[0])));
    return "Hello! Can you help me " + ask + "?";
  }
  if (sent >= SimUserTurnsToGoal(goal)) {
    if (instructions.find("GOAL_ACHIEVED") != std::string::npos) return "GOAL_ACHIEVED";
    if (std::string phrase = StopPhrase(instructions); !phrase.empty()) return "Thanks, " + phrase + ".";
  }
  std::vector<std::string> goal_words = ExtractKeywords(goal, 4);
  std::vector<std::string> words = ExtractKeywords(last_answer != nullptr ? *last_answer : goal, 8);
  uint64_t hash = SimMix(Fnv1a64(goal), static_cast<uint64_t>(sent));
  std::string word = words.empty() ? "this" : words[hash % words.size()];
  std::string topic = goal_words.empty() ? "software engineering" : goal_words[0];
  switch (SimMix(hash, 7) % 4) {
    case 0:
      return "Can you give me an example of " + word + "?";
    case 1:
      return "How does " + word + " relate to " + topic + "?";
    case 2:
      return "Why does " + word + " matter in practice?";
    default:
      return "What is a common mistake with " + word + "?";
  }
}

}  // namespace llmeval
