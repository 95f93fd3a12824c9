#include "prompts/prompt_set.h"

namespace llmeval {
namespace {

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

}  // namespace

std::string ComposeSystemPrompt(std::string_view system, std::string_view addendum) {
  std::string_view head = system;
  while (!head.empty() && IsLineBreak(head.back())) head.remove_suffix(1);
  std::string_view tail = addendum;
  while (!tail.empty() && IsLineBreak(tail.front())) tail.remove_prefix(1);
  if (tail.empty()) return std::string(system);
  if (head.empty()) return std::string(addendum);
  std::string out;
  out.reserve(head.size() + 2 + tail.size());
  out.append(head).append("\n\n").append(tail);
  return out;
}

}  // namespace llmeval
