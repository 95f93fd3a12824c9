#include "engine/config/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/config/yaml_json.h"
#include "engine/os/file_io.h"

namespace llmeval {
namespace {

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

// Reads one YAML document with positions in errors. Each accessor checks the node's type and reports
// "<file>:<line>:<column>: <key>: expected <what>".
class ConfigReader {
 public:
  explicit ConfigReader(std::string file) : file_(std::move(file)) {}

  Status Error(const YAML::Node& node, const std::string& what) const {
    const YAML::Mark mark = node.Mark();
    std::string where = file_;
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    return Status::InvalidInput(where + ": " + what);
  }

  Status CheckKeys(const YAML::Node& map, const std::set<std::string>& known, const std::string& context) const {
    if (!map.IsMap()) {
      return Error(map, context + ": expected a mapping with keys " +
                            JoinStrings(std::vector<std::string>(known.begin(), known.end()), ", "));
    }
    for (const auto& entry : map) {
      std::string key = entry.first.as<std::string>();
      if (known.count(key) == 0) {
        std::vector<std::string> names(known.begin(), known.end());
        std::string hint = SuggestClosest(key, names);
        return Error(entry.first, "unknown key '" + key + "' in " + context +
                                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                      "; known keys: " + JoinStrings(names, ", "));
      }
    }
    return Status::OK();
  }

  Status String(const YAML::Node& node, const std::string& key, std::string* out) const {
    if (!node.IsScalar()) return Error(node, key + ": expected a string");
    *out = node.as<std::string>();
    return Status::OK();
  }

  Status Int(const YAML::Node& node, const std::string& key, int64_t min, int64_t* out) const {
    std::optional<int64_t> v = node.IsScalar() ? ParseInt(node.as<std::string>()) : std::nullopt;
    if (!v.has_value() || *v < min) return Error(node, key + ": expected a whole number >= " + std::to_string(min));
    *out = *v;
    return Status::OK();
  }

  Status Double(const YAML::Node& node, const std::string& key, double* out) const {
    std::optional<double> v = node.IsScalar() ? ParseDouble(node.as<std::string>()) : std::nullopt;
    if (!v.has_value()) return Error(node, key + ": expected a number");
    *out = *v;
    return Status::OK();
  }

  // A number >= min, and <= max when max is given.
  Status Double(const YAML::Node& node, const std::string& key, double min, std::optional<double> max,
                double* out) const {
    Status s = Double(node, key, out);
    if (!s.ok()) return s;
    if (*out >= min && (!max.has_value() || *out <= *max)) return Status::OK();
    std::string expected = max.has_value() ? "a number between " + FormatNumber(min) + " and " + FormatNumber(*max)
                                           : "a number >= " + FormatNumber(min);
    return Error(node, key + ": expected " + expected + ", got " + node.as<std::string>());
  }

  Status Bool(const YAML::Node& node, const std::string& key, bool* out) const {
    std::string v = node.IsScalar() ? AsciiLower(node.as<std::string>()) : "";
    if (v == "true" || v == "yes" || v == "on") {
      *out = true;
    } else if (v == "false" || v == "no" || v == "off") {
      *out = false;
    } else {
      return Error(node, key + ": expected true or false");
    }
    return Status::OK();
  }

  // A scalar or a list of scalars.
  Status StringList(const YAML::Node& node, const std::string& key, std::vector<std::string>* out) const {
    out->clear();
    if (node.IsScalar()) {
      for (const std::string& part : SplitString(node.as<std::string>(), ',')) {
        std::string trimmed(TrimWhitespace(part));
        if (!trimmed.empty()) out->push_back(trimmed);
      }
      return Status::OK();
    }
    if (!node.IsSequence()) return Error(node, key + ": expected a string or a list of strings");
    for (const auto& element : node) {
      if (!element.IsScalar()) return Error(element, key + ": expected a string");
      out->push_back(element.as<std::string>());
    }
    return Status::OK();
  }

  Status StringMap(const YAML::Node& node, const std::string& key, std::map<std::string, std::string>* out) const {
    if (!node.IsMap()) return Error(node, key + ": expected a mapping of names to strings");
    for (const auto& entry : node) {
      if (!entry.second.IsScalar())
        return Error(entry.second, key + "." + entry.first.as<std::string>() + ": expected a string");
      (*out)[entry.first.as<std::string>()] = entry.second.as<std::string>();
    }
    return Status::OK();
  }

 private:
  std::string file_;
};

// The 1-based line and column of the first tab in the indentation of a line, up to `last_line` (0: any line), or
// {0, 0}. YAML indents with spaces only; its parser then reports a confusing error further on.
std::pair<int, int> FirstTabIndent(std::string_view text, int last_line) {
  int line = 1;
  for (size_t start = 0; start < text.size() && (last_line == 0 || line <= last_line); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    size_t indent = content.find_first_not_of(" \t");
    size_t tab = content.substr(0, indent).find('\t');
    if (indent != std::string_view::npos && tab != std::string_view::npos) return {line, static_cast<int>(tab) + 1};
    start = end + 1;
  }
  return {0, 0};
}

// Every mapping in the document, at any depth, must have plain scalar keys, each given once: YAML parsers keep the
// last of two equal keys, which silently drops the first setting.
Status CheckMappingKeys(const ConfigReader& r, const YAML::Node& node) {
  if (node.IsSequence()) {
    for (const auto& element : node) {
      Status s = CheckMappingKeys(r, element);
      if (!s.ok()) return s;
    }
  }
  if (!node.IsMap()) return Status::OK();
  std::map<std::string, int> first_line;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) return r.Error(entry.first, "expected a plain name as the key, not a list or mapping");
    std::string key = entry.first.as<std::string>();
    auto [it, inserted] = first_line.emplace(key, entry.first.Mark().line + 1);
    if (!inserted) {
      return r.Error(entry.first, "duplicate key '" + key + "' (first at line " + std::to_string(it->second) + ")");
    }
    Status s = CheckMappingKeys(r, entry.second);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status ReadProvider(const ConfigReader& r, const std::string& name, const YAML::Node& node, ProviderSettings* p) {
  if (!node.IsMap()) return r.Error(node, "providers." + name + ": expected a mapping");
  Status s = r.CheckKeys(node,
                         {"base_url", "api_key_env", "headers", "max_concurrency", "requests_per_minute",
                          "tokens_per_minute", "max_attempts", "timeout_ms", "max_completion_tokens", "stream"},
                         "providers." + name);
  if (!s.ok()) return s;
  p->name = name;
  int64_t n = 0;
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    std::string context = "providers." + name + "." + key;
    if (key == "base_url") s = r.String(v, context, &p->base_url);
    if (key == "api_key_env") s = r.String(v, context, &p->api_key_env);
    if (key == "headers") {
      std::map<std::string, std::string> headers;
      s = r.StringMap(v, context, &headers);
      for (auto& [k, value] : headers) p->headers.push_back({k, value});
    }
    if (key == "max_concurrency" && (s = r.Int(v, context, 1, &n)).ok()) p->max_concurrency = static_cast<int>(n);
    if (key == "requests_per_minute") s = r.Double(v, context, 0, std::nullopt, &p->requests_per_minute);
    if (key == "tokens_per_minute") s = r.Double(v, context, 0, std::nullopt, &p->tokens_per_minute);
    if (key == "max_attempts" && (s = r.Int(v, context, 1, &n)).ok()) p->max_attempts = static_cast<int>(n);
    if (key == "timeout_ms" && (s = r.Int(v, context, 1, &n)).ok()) p->timeout_ms = n;
    if (key == "max_completion_tokens") s = r.Bool(v, context, &p->use_max_completion_tokens);
    if (key == "stream") s = r.Bool(v, context, &p->stream);
    if (!s.ok()) return s;
  }
  if (p->base_url.empty()) return r.Error(node, "providers." + name + ": base_url is required");
  return Status::OK();
}

Status ReadTool(const ConfigReader& r, const std::string& name, const YAML::Node& node, ToolSettings* t) {
  if (!node.IsMap()) return r.Error(node, "tools." + name + ": expected a mapping");
  Status s = r.CheckKeys(node,
                         {"kind", "description", "parameters", "command", "env", "url", "method", "timeout_ms",
                          "max_output_bytes", "headers", "tools"},
                         "tools." + name);
  if (!s.ok()) return s;
  t->name = name;
  int64_t n = 0;
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    std::string context = "tools." + name + "." + key;
    if (key == "kind") s = r.String(v, context, &t->kind);
    if (key == "description") s = r.String(v, context, &t->description);
    if (key == "parameters") {
      if (!v.IsMap()) return r.Error(v, context + ": expected a JSON-Schema object");
      JsonWriter w;
      YamlToJson(v, &w);
      t->parameters_json = w.Take();
    }
    if (key == "command") s = r.StringList(v, context, &t->command);
    if (key == "env") s = r.StringMap(v, context, &t->env);
    if (key == "url") s = r.String(v, context, &t->url);
    if (key == "method") s = r.String(v, context, &t->method);
    if (key == "timeout_ms" && (s = r.Int(v, context, 1, &n)).ok()) t->timeout_ms = n;
    if (key == "max_output_bytes" && (s = r.Int(v, context, 1, &n)).ok()) t->max_output_bytes = static_cast<size_t>(n);
    if (key == "headers") {
      std::map<std::string, std::string> headers;
      s = r.StringMap(v, context, &headers);
      for (auto& [k, value] : headers) t->headers.push_back({k, value});
    }
    if (key == "tools") s = r.StringList(v, context, &t->mcp_tools);
    if (!s.ok()) return s;
  }
  if (t->kind != "command" && t->kind != "http" && t->kind != "mcp") {
    return r.Error(node, "tools." + name + ".kind: expected command, http or mcp");
  }
  if ((t->kind == "command" || t->kind == "mcp") && t->command.empty()) {
    return r.Error(node, "tools." + name + ": a " + t->kind + " tool needs 'command' (an argv list)");
  }
  if (t->kind == "http" && t->url.empty()) return r.Error(node, "tools." + name + ": an http tool needs 'url'");
  return Status::OK();
}

Status ReadScorer(const ConfigReader& r, const YAML::Node& node, ScorerSettings* sc) {
  if (!node.IsMap()) return r.Error(node, "scorers: expected a mapping with name and type");
  if (!node["name"] || !node["name"].IsScalar()) return r.Error(node, "scorers: each scorer needs a 'name'");
  if (!node["type"] || !node["type"].IsScalar()) {
    return r.Error(node, "scorers." + node["name"].as<std::string>() + ": needs a 'type'");
  }
  sc->name = node["name"].as<std::string>();
  sc->type = node["type"].as<std::string>();
  sc->line = node.Mark().line + 1;
  JsonWriter w;
  w.BeginObject();
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (key == "name" || key == "type") continue;
    sc->param_lines[key] = entry.first.Mark().line + 1;
    w.Key(key);
    YamlToJson(entry.second, &w);
  }
  w.EndObject();
  sc->params_json = w.Take();
  return Status::OK();
}

// The `gate:` section: `baseline:` and `rules:`, a list of mappings such as {scorer: relevance, max_drop: 0.05}.
Status ReadGate(const ConfigReader& r, const YAML::Node& node, GateSettings* g) {
  if (!node.IsMap()) return r.Error(node, "gate: expected a mapping with baseline and rules");
  Status s = r.CheckKeys(node, {"baseline", "rules"}, "gate");
  if (!s.ok()) return s;
  if (node["baseline"]) s = r.String(node["baseline"], "gate.baseline", &g->baseline);
  if (!s.ok() || !node["rules"]) return s;
  if (!node["rules"].IsSequence()) return r.Error(node["rules"], "gate.rules: expected a list of rules");
  for (const auto& element : node["rules"]) {
    if (!element.IsMap())
      return r.Error(element, "gate.rules: expected a mapping such as {scorer: relevance, max_drop: 0.05}");
    s = r.CheckKeys(
        element,
        {"scorer", "min_pass_rate", "on", "max_drop", "strict", "max_error_rate", "max_cost_usd", "max_p95_latency_ms"},
        "a gate rule");
    if (!s.ok()) return s;
    GateRule rule;
    rule.line = element.Mark().line + 1;
    double d = 0;
    bool has_limit = false;
    for (const auto& entry : element) {
      std::string key = entry.first.as<std::string>();
      const YAML::Node& v = entry.second;
      std::string context = "gate.rules." + key;
      if (key == "scorer") s = r.String(v, context, &rule.scorer);
      if (key == "strict") s = r.Bool(v, context, &rule.strict);
      if (key == "on") {
        std::string on;
        s = r.String(v, context, &on);
        if (s.ok() && on != "lower_bound" && on != "point") s = r.Error(v, context + ": expected lower_bound or point");
        rule.on_lower_bound = on == "lower_bound";
      }
      bool rate = key == "min_pass_rate" || key == "max_drop" || key == "max_error_rate";
      bool amount = key == "max_cost_usd" || key == "max_p95_latency_ms";
      if (rate || amount) {
        s = r.Double(v, context, &d);
        if (s.ok() && rate && (d < 0 || d > 1)) s = r.Error(v, context + ": expected a rate between 0 and 1");
        if (s.ok() && amount && d < 0) s = r.Error(v, context + ": expected a number >= 0");
        has_limit = true;
        if (key == "min_pass_rate") rule.min_pass_rate = d;
        if (key == "max_drop") rule.max_drop = d;
        if (key == "max_error_rate") rule.max_error_rate = d;
        if (key == "max_cost_usd") rule.max_cost_usd = d;
        if (key == "max_p95_latency_ms") rule.max_p95_latency_ms = d;
      }
      if (!s.ok()) return s;
    }
    if (!has_limit) {
      return r.Error(element,
                     "gate.rules: a rule needs a limit: min_pass_rate, max_drop, max_error_rate, "
                     "max_cost_usd or max_p95_latency_ms");
    }
    if (element["on"] && !rule.min_pass_rate)
      return r.Error(element["on"], "gate.rules.on: only applies to min_pass_rate");
    if (element["strict"] && !rule.max_drop)
      return r.Error(element["strict"], "gate.rules.strict: only applies to max_drop");
    g->rules.push_back(std::move(rule));
  }
  return Status::OK();
}

// `conversation: {mode, messages_column, max_turns}` and `user_simulator: {model, persona_column, goal_column,
// stop_phrase, stop_on_goal, max_turns}` (which makes the mode `simulate`).
Status ReadConversation(const ConfigReader& r, const std::string& section, const YAML::Node& node,
                        ConversationSettings* c) {
  bool simulator = section == "user_simulator";
  Status s = simulator ? r.CheckKeys(node,
                                     {"model", "persona_column", "goal_column", "stop_phrase", "stop_on_goal",
                                      "max_turns", "messages_column"},
                                     section)
                       : r.CheckKeys(node, {"mode", "messages_column", "max_turns"}, section);
  if (!s.ok()) return s;
  if (simulator) c->mode = "simulate";
  if (!simulator && c->mode.empty()) c->mode = "as_given";
  if (simulator && c->max_turns == 0) c->max_turns = 5;
  int64_t n = 0;
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    std::string context = section + "." + key;
    if (key == "mode") {
      std::string mode;
      s = r.String(v, context, &mode);
      if (s.ok() && mode != "as_given" && mode != "replay") s = r.Error(v, context + ": expected as_given or replay");
      if (s.ok() && c->mode != "simulate") c->mode = mode;
    }
    if (key == "messages_column") s = r.String(v, context, &c->messages_column);
    if (key == "max_turns" && (s = r.Int(v, context, 1, &n)).ok()) c->max_turns = static_cast<int>(n);
    if (key == "model") s = r.String(v, context, &c->simulator_model);
    if (key == "persona_column") s = r.String(v, context, &c->persona_column);
    if (key == "goal_column") s = r.String(v, context, &c->goal_column);
    if (key == "stop_phrase") s = r.String(v, context, &c->stop_phrase);
    if (key == "stop_on_goal") s = r.Bool(v, context, &c->stop_on_goal);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

Status ReadTopLevel(const ConfigReader& r, const YAML::Node& root, ProjectConfig* c) {
  Status s = r.CheckKeys(
      root, {"experiment",     "prompts_dir", "dataset",   "system_prompt", "tools_addendum", "prompt",
             "model",          "judge",       "variables", "concurrency",   "repeat",         "temperature",
             "max_tokens",     "seed",        "max_steps", "tools",         "enabled_tools",  "db",
             "cache",          "providers",   "scorers",   "prices",        "gate",           "conversation",
             "user_simulator", "targets"},
      "the project config");
  if (!s.ok()) return s;
  int64_t n = 0;
  double d = 0;
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    if (key == "experiment") s = r.String(v, key, &c->experiment);
    if (key == "prompts_dir") s = r.String(v, key, &c->prompts_dir);
    if (key == "dataset") {
      if (v.IsScalar()) {
        s = r.String(v, key, &c->dataset);
      } else if (v.IsMap()) {
        s = r.CheckKeys(v, {"path", "columns", "id_column"}, "dataset");
        if (s.ok() && v["path"]) s = r.String(v["path"], "dataset.path", &c->dataset);
        if (s.ok() && v["columns"]) s = r.StringMap(v["columns"], "dataset.columns", &c->column_map);
        if (s.ok() && v["id_column"]) s = r.String(v["id_column"], "dataset.id_column", &c->id_column);
      } else {
        s = r.Error(v, "dataset: expected a path or a mapping with path, columns, id_column");
      }
    }
    if (key == "system_prompt") s = r.String(v, key, &c->system_prompt);
    if (key == "tools_addendum") s = r.String(v, key, &c->tools_addendum);
    if (key == "prompt") s = r.StringList(v, key, &c->prompts);
    if (key == "model") s = r.StringList(v, key, &c->models);
    if (key == "judge") s = r.String(v, key, &c->judge);
    if (key == "variables") s = r.StringMap(v, key, &c->variables);
    if (key == "concurrency" && (s = r.Int(v, key, 1, &n)).ok()) c->concurrency = static_cast<int>(n);
    if (key == "repeat" && (s = r.Int(v, key, 1, &n)).ok()) c->repeat = static_cast<int>(n);
    if (key == "temperature" && (s = r.Double(v, key, 0, kMaxTemperature, &d)).ok()) c->temperature = d;
    if (key == "max_tokens" && (s = r.Int(v, key, 1, &n)).ok()) c->max_tokens = n;
    if (key == "seed" && (s = r.Int(v, key, 0, &n)).ok()) c->seed = n;
    if (key == "max_steps" && (s = r.Int(v, key, 1, &n)).ok()) c->max_steps = static_cast<int>(n);
    if (key == "enabled_tools") s = r.StringList(v, key, &c->enabled_tools);
    if (key == "db") s = r.String(v, key, &c->db);
    if (key == "cache") s = r.Bool(v, key, &c->cache);
    if (key == "gate") s = ReadGate(r, v, &c->gate);
    if (key == "conversation" || key == "user_simulator") s = ReadConversation(r, key, v, &c->conversation);
    if (key == "targets") {
      if (!v.IsMap()) return r.Error(v, "targets: expected a mapping of target names");
      for (const auto& t : v) {
        TargetSettings settings;
        s = ReadTargetSettings(c->path, t.first.as<std::string>(), t.second, &settings);
        if (!s.ok()) return s;
        c->targets[settings.name] = std::move(settings);
      }
    }
    if (key == "providers") {
      if (!v.IsMap()) return r.Error(v, "providers: expected a mapping of provider names");
      for (const auto& p : v) {
        ProviderSettings settings;
        s = ReadProvider(r, p.first.as<std::string>(), p.second, &settings);
        if (!s.ok()) return s;
        c->providers[settings.name] = settings;
      }
    }
    if (key == "tools") {
      if (!v.IsMap()) return r.Error(v, "tools: expected a mapping of tool names");
      for (const auto& t : v) {
        ToolSettings settings;
        s = ReadTool(r, t.first.as<std::string>(), t.second, &settings);
        if (!s.ok()) return s;
        c->tools.push_back(std::move(settings));
      }
    }
    if (key == "scorers") {
      if (!v.IsSequence()) return r.Error(v, "scorers: expected a list");
      std::set<std::string> names;
      for (const auto& element : v) {
        ScorerSettings settings;
        s = ReadScorer(r, element, &settings);
        if (!s.ok()) return s;
        if (!names.insert(settings.name).second) {
          return r.Error(element, "scorers: the name '" + settings.name + "' is used twice");
        }
        c->scorers.push_back(std::move(settings));
      }
    }
    if (key == "prices") {
      if (!v.IsMap()) return r.Error(v, "prices: expected a mapping of model names");
      for (const auto& p : v) {
        PriceSettings price;
        price.model = p.first.as<std::string>();
        if (!p.second.IsMap()) {
          return r.Error(p.second, "prices." + price.model + ": expected a mapping with input_per_mtok and " +
                                       "output_per_mtok (US dollars per million tokens)");
        }
        s = r.CheckKeys(p.second, {"input_per_mtok", "output_per_mtok", "cached_input_per_mtok"},
                        "prices." + price.model);
        std::string context = "prices." + price.model + ".";
        for (auto [name, out] :
             {std::pair{"input_per_mtok", &price.input_per_mtok}, std::pair{"output_per_mtok", &price.output_per_mtok},
              std::pair{"cached_input_per_mtok", &price.cached_input_per_mtok}}) {
          if (s.ok() && p.second[name]) s = r.Double(p.second[name], context + name, 0, std::nullopt, out);
        }
        if (!s.ok()) return s;
        c->prices.push_back(price);
      }
    }
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

std::string ProjectConfig::Resolve(const std::string& p) const {
  if (p.empty() || p[0] == '/') return p;
  return (std::filesystem::path(dir) / p).lexically_normal().string();
}

ProjectConfig DefaultProjectConfig(const std::string& dir) {
  ProjectConfig c;
  c.dir = dir;
  return c;
}

Result<ProjectConfig> LoadProjectConfig(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  ProjectConfig c;
  c.path = path;
  std::error_code ec;
  c.dir = std::filesystem::absolute(std::filesystem::path(path), ec).parent_path().string();
  ConfigReader reader(path);
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    auto [tab_line, tab_column] = FirstTabIndent(*text, e.mark.is_null() ? 0 : e.mark.line + 1);
    if (tab_line > 0) {
      return Status::InvalidInput(path + ":" + std::to_string(tab_line) + ":" + std::to_string(tab_column) +
                                  ": invalid YAML: a tab indents this line; YAML allows only spaces for indentation");
    }
    return Status::InvalidInput(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                                ": invalid YAML: " + e.msg);
  }
  if (root.IsNull()) return c;
  if (!root.IsMap()) return reader.Error(root, "expected a mapping of settings at the top level");
  try {
    Status s = CheckMappingKeys(reader, root);
    if (!s.ok()) return s;
    s = ReadTopLevel(reader, root, &c);
    if (!s.ok()) return s;
  } catch (const YAML::Exception& e) {  // A shape no check above caught: still name the file, and the place if known.
    std::string where = path;
    if (!e.mark.is_null()) where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    return Status::InvalidInput(where + ": unexpected YAML structure: " + e.msg);
  }
  return c;
}

}  // namespace llmeval
