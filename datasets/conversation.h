// Conversation rows: a dataset column holding an OpenAI-shaped `messages` array (system, user, assistant and tool
// turns) parsed into ChatMessages and checked, so a malformed row is refused with its file and line before a run
// writes anything. Pure functions of their arguments (no IO); thread-safe.
#ifndef LLMEVAL_DATASETS_CONVERSATION_H_
#define LLMEVAL_DATASETS_CONVERSATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"
#include "core/status.h"

namespace llmeval {

// Parses `json` (the column's value: a JSON array of {role, content, tool_calls, tool_call_id, name} objects) and
// checks it: at least one message; roles are system, user, assistant or tool; a tool message answers a tool call of
// an earlier assistant message (by `tool_call_id`); `tool_calls` entries are {id, function: {name, arguments}} (or
// {id, name, arguments}); arguments may be a JSON text or an object. InvalidInput saying what is wrong and at which
// message (1-based), without a location: the caller prefixes "file:line: column 'messages': ".
Result<std::vector<ChatMessage>> ParseConversation(std::string_view json);

// The conversation as plain text, one "role: content" line per message (tool calls as "assistant calls
// name(args)"), for a judge or a stored input.
std::string ConversationText(const std::vector<ChatMessage>& messages);

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_CONVERSATION_H_
