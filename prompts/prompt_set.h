// The prompts one run uses: an optional system prompt, the user template rendered per dataset row, and an addendum
// that is appended to the system prompt when tools are enabled (e.g. "Use the calculator for arithmetic.").
//
// Pure value types and functions; thread-safe.
#ifndef LLMEVAL_PROMPTS_PROMPT_SET_H_
#define LLMEVAL_PROMPTS_PROMPT_SET_H_

#include <optional>
#include <string>
#include <string_view>

#include "prompts/template.h"

namespace llmeval {

// `system` and `addendum` separated by one blank line. Trailing line breaks of `system` and leading ones of `addendum`
// are dropped so that exactly one blank line separates them; when either is empty (or only line breaks) the other is
// returned unchanged.
std::string ComposeSystemPrompt(std::string_view system, std::string_view addendum);

struct PromptSet {
  std::string system;            // May be empty: no system message.
  std::optional<Template> user;  // The user message template.
  std::string tool_addendum;     // Appended to `system` when tools are on; may be empty.

  // The system message to send: `system`, plus the addendum when `tools_enabled`. Empty means send none.
  std::string SystemPrompt(bool tools_enabled) const {
    return tools_enabled ? ComposeSystemPrompt(system, tool_addendum) : system;
  }
};

}  // namespace llmeval

#endif  // LLMEVAL_PROMPTS_PROMPT_SET_H_
