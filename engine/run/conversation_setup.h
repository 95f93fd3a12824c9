// Setup for conversation rows (`conversation:` / `user_simulator:` in llmeval.yaml): finds the messages, persona
// and goal columns, checks each row's messages before anything is written, and resolves the simulated user's model.
// Every failure is an InvalidInput status naming the config or the dataset file and line (exit 2). Stateless.
#ifndef LLMEVAL_ENGINE_RUN_CONVERSATION_SETUP_H_
#define LLMEVAL_ENGINE_RUN_CONVERSATION_SETUP_H_

#include <string>
#include <vector>

#include "datasets/data_row.h"
#include "engine/config/config.h"
#include "engine/run/provider_set.h"
#include "engine/run/run_context.h"

namespace llmeval {

// The index of the messages column among `columns`; -1 when rows are not conversations, or (simulate) when the
// dataset has no such column. Missing in as_given or replay mode: InvalidInput naming the config.
Result<int> FindMessagesColumn(const ProjectConfig& config, const std::string& dataset_path,
                               const std::vector<std::string>& columns);

// Checks row's conversation in column `column` (>= 0): "questions.jsonl:4: column 'messages': message 2: unknown
// role 'bot'; expected system, user, assistant or tool". In as_given mode the last message must be the assistant's
// answer; in replay mode there must be a user message. An empty cell (or []) is allowed only when simulating.
Status CheckConversationRow(const ConversationSettings& settings, int column, const std::string& dataset_path,
                            const DataRow& row);

// Removes `scope` from a scorer's parameters (*params_json without it) and says whether it is `turn`; InvalidInput
// naming the config line for another value or for `scope: turn` on a judge (judges see the whole conversation).
Status TakeScorerScope(const ProjectConfig& config, const ScorerSettings& scorer, std::string* params_json,
                       bool* per_turn);

// Fills ctx->conversation: the mode, columns and limits, and (simulate) the simulator's provider.
Status SetupConversation(const ProjectConfig& config, int messages_column, ProviderSet* providers, RunContext* ctx);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_CONVERSATION_SETUP_H_
