#include "engine/run/run_params.h"

#include <simdjson.h>

#include "core/json_writer.h"

namespace llmeval {

std::string ParamsJson(const RunOptions& o, const std::string& dataset, const std::string& judge, int repeat,
                       const std::vector<std::string>& tools, const std::vector<std::string>& scorers) {
  JsonWriter w;
  w.BeginObject();
  w.Field("dataset", dataset);
  w.Field("limit", o.limit);
  w.Field("sample", o.sample);
  w.Field("sample_seed", static_cast<int64_t>(o.sample_seed));
  w.Key("filters");
  w.BeginArray();
  for (const std::string& f : o.filters) w.String(f);
  w.EndArray();
  w.Field("repeat", repeat);
  w.Field("judge", judge);
  if (o.temperature.has_value()) w.Field("temperature", *o.temperature);
  if (o.max_tokens.has_value()) w.Field("max_tokens", *o.max_tokens);
  if (o.seed.has_value()) w.Field("seed", *o.seed);
  w.Key("tools");
  w.BeginArray();
  for (const std::string& t : tools) w.String(t);
  w.EndArray();
  w.Key("scorers");
  w.BeginArray();
  for (const std::string& s : scorers) w.String(s);
  w.EndArray();
  w.Field("generate_only", o.generate_only);
  w.Key("variables");
  w.BeginObject();
  for (const auto& [k, v] : o.variables) w.Field(k, v);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

namespace {

Result<simdjson::dom::element> ParseParams(const RunRecord& run, simdjson::dom::parser* parser) {
  simdjson::dom::element root;
  if (parser->parse(run.params_json).get(root) != simdjson::SUCCESS) {
    return Status::Internal("run " + std::to_string(run.id) + " has unreadable parameters");
  }
  return root;
}

std::vector<std::string> StringList(simdjson::dom::element root, const char* key) {
  std::vector<std::string> out;
  simdjson::dom::array a;
  if (root[key].get(a) == simdjson::SUCCESS) {
    for (auto e : a) {
      std::string_view v;
      if (e.get(v) == simdjson::SUCCESS) out.emplace_back(v);
    }
  }
  return out;
}

}  // namespace

Status LoadRunSelection(const RunRecord& run, RunOptions* o) {
  simdjson::dom::parser parser;
  Result<simdjson::dom::element> root = ParseParams(run, &parser);
  if (!root.ok()) return root.status();
  std::string_view text;
  int64_t n = 0;
  if ((*root)["dataset"].get(text) == simdjson::SUCCESS) o->dataset = std::string(text);
  if ((*root)["judge"].get(text) == simdjson::SUCCESS) o->judge = std::string(text);
  if ((*root)["limit"].get(n) == simdjson::SUCCESS) o->limit = n;
  if ((*root)["sample"].get(n) == simdjson::SUCCESS) o->sample = n;
  if ((*root)["sample_seed"].get(n) == simdjson::SUCCESS) o->sample_seed = static_cast<uint64_t>(n);
  if ((*root)["repeat"].get(n) == simdjson::SUCCESS) o->repeat = static_cast<int>(n);
  o->filters = StringList(*root, "filters");
  o->scorers = StringList(*root, "scorers");
  simdjson::dom::object vars;
  if ((*root)["variables"].get(vars) == simdjson::SUCCESS) {
    for (auto field : vars) {
      if (field.value.get(text) == simdjson::SUCCESS) o->variables[std::string(field.key)] = std::string(text);
    }
  }
  return Status::OK();
}

Status LoadResumeOptions(const RunRecord& run, RunOptions* o) {
  simdjson::dom::parser parser;
  Result<simdjson::dom::element> root = ParseParams(run, &parser);
  if (!root.ok()) return root.status();
  int64_t source = 0;
  if ((*root)["evaluated_from"].get(source) == simdjson::SUCCESS) {
    return Status::InvalidInput("run " + std::to_string(run.id) +
                                " is an evaluate run; resume it with: llmeval evaluate --resume " +
                                std::to_string(run.id));
  }
  Status s = LoadRunSelection(run, o);
  if (!s.ok()) return s;
  o->tools = StringList(*root, "tools");
  double t = 0;
  if ((*root)["temperature"].get(t) == simdjson::SUCCESS) o->temperature = t;
  int64_t n = 0;
  if ((*root)["max_tokens"].get(n) == simdjson::SUCCESS) o->max_tokens = n;
  if ((*root)["seed"].get(n) == simdjson::SUCCESS) o->seed = n;
  bool g = false;
  if ((*root)["generate_only"].get(g) == simdjson::SUCCESS) o->generate_only = g;
  return Status::OK();
}

}  // namespace llmeval
