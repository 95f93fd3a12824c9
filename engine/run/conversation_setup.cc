#include "engine/run/conversation_setup.h"

#include <simdjson.h>

#include <algorithm>

#include "core/json_writer.h"
#include "core/strings.h"
#include "datasets/column_names.h"
#include "datasets/conversation.h"
#include "scorers/judge.h"

namespace llmeval {
namespace {

int ColumnIndex(const std::vector<std::string>& columns, const std::string& name) {
  auto it = std::find(columns.begin(), columns.end(), NormalizeColumnName(name));
  return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

}  // namespace

Result<int> FindMessagesColumn(const ProjectConfig& config, const std::string& dataset_path,
                               const std::vector<std::string>& columns) {
  const ConversationSettings& c = config.conversation;
  if (c.mode.empty()) return -1;
  int index = ColumnIndex(columns, c.messages_column);
  if (index >= 0 || c.mode == "simulate") return index;
  return Status::InvalidInput(
      config.path + ": conversation mode " + c.mode + " reads the column '" + c.messages_column + "', which " +
      dataset_path + " does not have (set conversation.messages_column); columns: " + JoinStrings(columns, ", "));
}

Status CheckConversationRow(const ConversationSettings& settings, int column, const std::string& dataset_path,
                            const DataRow& row) {
  std::string where = dataset_path + ":" + std::to_string(row.line) + ": column '" + settings.messages_column + "': ";
  const std::string* cell = static_cast<size_t>(column) < row.values.size() ? &row.values[column] : nullptr;
  if (cell == nullptr || cell->empty() || (settings.mode == "simulate" && TrimWhitespace(*cell) == "[]")) {
    if (settings.mode == "simulate") return Status::OK();
    return Status::InvalidInput(where + "has no messages; expected a JSON array of messages");
  }
  Result<std::vector<ChatMessage>> messages = ParseConversation(*cell);
  if (!messages.ok()) return Status::InvalidInput(where + messages.status().message());
  if (settings.mode == "as_given") {
    const ChatMessage& last = messages->back();
    if (last.role != "assistant" || !last.content.has_value()) {
      return Status::InvalidInput(where + "the last message must be the assistant's answer (mode as_given scores it)");
    }
  }
  if (settings.mode == "replay" &&
      std::none_of(messages->begin(), messages->end(), [](const ChatMessage& m) { return m.role == "user"; })) {
    return Status::InvalidInput(where + "has no user message to replay");
  }
  return Status::OK();
}

Status TakeScorerScope(const ProjectConfig& config, const ScorerSettings& scorer, std::string* params_json,
                       bool* per_turn) {
  *params_json = scorer.params_json;
  *per_turn = false;
  if (scorer.params_json.find("\"scope\"") == std::string::npos) return Status::OK();
  simdjson::dom::parser parser;
  simdjson::dom::object params;
  if (parser.parse(scorer.params_json).get(params) != simdjson::SUCCESS) return Status::OK();  // MakeScorer says why.
  std::string where = (config.path.empty() ? "" : config.path + ":" + std::to_string(scorer.line) + ": ") + "scorer '" +
                      scorer.name + "': ";
  JsonWriter w;
  w.BeginObject();
  for (auto field : params) {
    if (field.key != "scope") {
      w.Key(field.key);
      w.Raw(simdjson::minify(field.value));
      continue;
    }
    std::string_view scope;
    if (field.value.get(scope) != simdjson::SUCCESS || (scope != "turn" && scope != "conversation")) {
      return Status::InvalidInput(where + "scope must be turn or conversation");
    }
    *per_turn = scope == "turn";
  }
  w.EndObject();
  static const char* const kWholeConversation[] = {"goal_achieved", "trajectory", "turns_to_goal",
                                                   "knowledge_retention"};
  for (const char* kind : kWholeConversation) {
    if (*per_turn && scorer.type == kind) {
      return Status::InvalidInput(where + "scope: turn does not apply to " + scorer.type +
                                  ", which scores the whole conversation");
    }
  }
  *params_json = w.Take();
  return Status::OK();
}

Status SetupConversation(const ProjectConfig& config, int messages_column, ProviderSet* providers, RunContext* ctx) {
  const ConversationSettings& c = config.conversation;
  ConversationRun& run = ctx->conversation;
  run.mode = c.mode;
  if (c.mode.empty()) return Status::OK();
  run.messages_column = messages_column;
  run.max_turns = c.max_turns;
  run.stop_phrase = c.stop_phrase;
  run.stop_on_goal = c.stop_on_goal;
  if (c.mode != "simulate") return Status::OK();
  run.persona_column = ColumnIndex(ctx->columns, c.persona_column);
  run.goal_column = ColumnIndex(ctx->columns, c.goal_column);
  if (run.goal_column < 0 && run.persona_column < 0 && messages_column < 0) {
    return Status::InvalidInput(config.path + ": user_simulator needs a goal, a persona or opening messages, but " +
                                "the dataset has none of the columns '" + c.goal_column + "', '" + c.persona_column +
                                "', '" + c.messages_column + "'; columns: " + JoinStrings(ctx->columns, ", "));
  }
  Result<ResolvedModel> model = providers->Resolve(c.simulator_model);
  if (!model.ok()) return model.status().WithContext(config.path + ": user_simulator.model");
  run.simulator = model->provider;
  run.simulator_key = model->provider_key;
  run.simulator_name = model->provider_name;
  run.simulator_model = model->api_model;
  return Status::OK();
}

}  // namespace llmeval
