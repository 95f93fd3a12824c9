// ProjectConfig: the project file (llmeval.yaml) as values. Every field has a default, so a project needs only what
// differs; command-line flags override the file (the CLI applies them). Paths in the file are relative to the file's
// directory and are made absolute on load. Errors name the file, line and column and what was expected (exit 2).
#ifndef LLMEVAL_ENGINE_CONFIG_CONFIG_H_
#define LLMEVAL_ENGINE_CONFIG_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/config/target_settings.h"

namespace llmeval {

// Sampling temperatures run from 0 to this (the OpenAI range), in the config and on the command line.
inline constexpr double kMaxTemperature = 2.0;

struct ProviderSettings {
  std::string name;
  std::string base_url;
  std::string api_key_env;  // Name of the environment variable holding the key; the key itself is never stored.
  std::vector<std::pair<std::string, std::string>> headers;
  int max_concurrency = 0;  // Calls in flight at once; 0 (not set): as many as the run's --concurrency.
  double requests_per_minute = 0;
  double tokens_per_minute = 0;
  int max_attempts = 5;
  int64_t timeout_ms = 120000;
  bool use_max_completion_tokens = false;
  bool stream = false;
};

struct ToolSettings {
  std::string name;
  std::string kind;  // command, http or mcp
  std::string description;
  std::string parameters_json = "{\"type\":\"object\",\"properties\":{}}";
  std::vector<std::string> command;  // argv for command tools and mcp servers
  std::map<std::string, std::string> env;
  std::string url;
  std::string method = "POST";
  int64_t timeout_ms = 10000;
  size_t max_output_bytes = 64 * 1024;
  // http tools: extra request headers; values may reference environment variables as ${NAME}, resolved at call time.
  std::vector<std::pair<std::string, std::string>> headers;
  // mcp tools: the server's tools to offer (empty: all it lists).
  std::vector<std::string> mcp_tools;
};

struct ScorerSettings {
  std::string name;
  std::string type;
  std::string params_json = "{}";          // Every other key of the scorer's YAML entry, as a JSON object.
  int line = 0;                            // Where it was declared, for error messages.
  std::map<std::string, int> param_lines;  // The line of each parameter, for error messages.
};

struct PriceSettings {
  std::string model;
  double input_per_mtok = 0;
  double output_per_mtok = 0;
  double cached_input_per_mtok = 0;
};

// One rule of the `gate:` section (llmeval gate). A rule names a scorer ("" = every scorer) and one or more limits.
struct GateRule {
  std::string scorer;
  std::optional<double> min_pass_rate;
  bool on_lower_bound = false;     // `on: lower_bound`: compare the Wilson 95% lower bound, not the point estimate.
  std::optional<double> max_drop;  // Non-inferiority margin against the baseline (paired by item).
  bool strict = false;             // With max_drop: fail unless the drop is shown to be within the margin.
  std::optional<double> max_error_rate;
  std::optional<double> max_cost_usd;
  std::optional<double> max_p95_latency_ms;
  int line = 0;  // Where it was declared, for messages.
};

struct GateSettings {
  std::string baseline;  // Default --baseline: a baseline file, a run id, or a prompt reference.
  std::vector<GateRule> rules;
};

// The `conversation:` and `user_simulator:` sections: rows are conversations (a `messages` column) evaluated as given,
// replayed turn by turn, or played out against a simulated user. `mode` is "" when neither section is present.
struct ConversationSettings {
  std::string mode;  // "", "as_given", "replay" or "simulate" (set by `user_simulator:`).
  std::string messages_column = "messages";
  int max_turns = 0;                       // Model answers per conversation; 0: no limit (replay), 5 (simulate).
  std::string simulator_model = "sim";     // user_simulator.model: who plays the user.
  std::string persona_column = "persona";  // Dataset columns the simulated user is given (absent: not used).
  std::string goal_column = "goal";
  std::string stop_phrase;   // The user saying this ends the conversation ("" : none).
  bool stop_on_goal = true;  // The simulator saying its goal is reached ends the conversation.
};

struct ProjectConfig {
  std::string path;  // The config file, or "" when there is none.
  std::string dir;   // Base directory for relative paths.
  std::string experiment = "default";
  std::string prompts_dir = "prompts";
  std::string dataset;                            // Path of the CSV or JSONL file.
  std::map<std::string, std::string> column_map;  // placeholder -> column header, overriding normalisation.
  std::string id_column;                          // Optional column holding a stable item id.
  std::string system_prompt;                      // Prompt name, or "".
  std::string tools_addendum;                     // Prompt name appended to the system prompt when tools are on.
  std::vector<std::string> prompts;               // Default --prompt.
  std::vector<std::string> models = {"sim"};      // Default --model.
  std::string judge = "sim";
  std::map<std::string, std::string> variables;  // Extra template variables.
  int concurrency = 16;
  int repeat = 1;
  std::optional<double> temperature;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> seed;
  int max_steps = 10;
  std::vector<std::string> enabled_tools;  // Default --tools.
  std::string db = ".llmeval/llmeval.db";
  bool cache = true;
  std::map<std::string, ProviderSettings> providers;
  std::vector<ToolSettings> tools;
  std::vector<ScorerSettings> scorers;
  std::vector<PriceSettings> prices;
  GateSettings gate;
  ConversationSettings conversation;
  std::map<std::string, TargetSettings> targets;  // `targets:` (engine/config/target_settings.h).

  // Resolves a path from the config against dir.
  std::string Resolve(const std::string& path) const;
};

// Loads and validates `path`. InvalidInput ("llmeval.yaml:12:3: ...") on bad YAML, unknown keys or wrong types.
Result<ProjectConfig> LoadProjectConfig(const std::string& path);

// The config used when no file exists: defaults with dir = `dir`.
ProjectConfig DefaultProjectConfig(const std::string& dir);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_CONFIG_CONFIG_H_
