#include "engine/run/engine_scorers.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include "core/json_writer.h"
#include "core/strings.h"
#include "datasets/column_names.h"
#include "engine/run/run_summary.h"
#include "engine/user_scorers/command_scorer.h"
#include "engine/user_scorers/plugin_scorer.h"
#include "scorers/judge.h"
#include "scorers/statistics.h"

namespace llmeval {

void RegisterEngineScorerTypes(const std::string& project_dir) {
  RegisterScorerType("command", [project_dir](const ScorerSpec& spec) { return MakeCommandScorer(spec, project_dir); });
  RegisterScorerType("plugin", [project_dir](const ScorerSpec& spec) { return MakePluginScorer(spec, project_dir); });
}

Result<ScorerSpec> PrepareScorerSpec(const ScorerSettings& settings, const PromptResolver& resolver,
                                     const std::map<std::string, int>& pinned, JudgeRunInfo* info) {
  ScorerSpec spec{settings.name, settings.type, settings.params_json};
  const std::vector<std::string>& kinds = JudgeKinds();
  if (std::find(kinds.begin(), kinds.end(), settings.type) == kinds.end()) return spec;
  std::string who = "scorer '" + settings.name + "' (" + settings.type + ")";
  simdjson::dom::parser parser;
  simdjson::dom::object params;
  if (parser.parse(settings.params_json.empty() ? std::string("{}") : settings.params_json).get(params) !=
      simdjson::SUCCESS) {
    return spec;  // MakeScorer reports unreadable parameters.
  }
  bool has_template = false;
  JsonWriter w;
  w.BeginObject();
  for (auto field : params) {
    if (field.key == "human_label_column") {
      std::string_view column;
      if (field.value.get(column) != simdjson::SUCCESS || column.empty()) {
        return Status::InvalidInput(who + ": parameter 'human_label_column' must be a dataset column name");
      }
      info->human_label_columns[settings.name] = NormalizeColumnName(column);
      continue;
    }
    if (field.key == "template") has_template = true;
    w.Key(field.key);
    w.Raw(simdjson::minify(field.value));
  }
  if (!has_template) {
    std::string prompt = "judge_" + settings.type;
    Result<ResolvedPrompt> resolved = Status::Internal("unresolved");
    auto pin = pinned.find(prompt);
    if (pin != pinned.end()) {
      resolved = resolver.Load(prompt + "/" + std::to_string(pin->second));
    } else if (std::filesystem::exists(resolver.WorkingFile(prompt))) {
      resolved = resolver.Load(prompt);
      if (resolved.ok() && resolved->content.find(kJudgeMarker) == std::string::npos) {
        return Status::InvalidInput(resolver.WorkingFile(prompt) + ": a judge prompt must contain the marker '" +
                                    std::string(kJudgeMarker) + "' (used by " + who + "); see the default with " +
                                    "'llmeval prompts show " + prompt + "'");
      }
    } else {
      ResolvedPrompt r;
      r.name = prompt;
      r.content = DefaultJudgeTemplate(settings.type);
      r.unregistered = true;
      resolved = r;
    }
    if (!resolved.ok()) return resolved.status().WithContext(who);
    if (resolved->unregistered) {
      info->unregistered.push_back(*resolved);
    } else {
      info->prompt_versions[prompt] = resolved->version;
    }
    w.Field("template", resolved->content);
  }
  w.EndObject();
  spec.params_json = w.Take();
  return spec;
}

Result<ProjectConfig> PrepareRunScorers(const ProjectConfig& config,
                                        const std::optional<std::vector<std::string>>& names,
                                        const PromptResolver& resolver, const std::string& resumed_params_json,
                                        JudgeRunInfo* info) {
  RegisterEngineScorerTypes(config.dir);
  std::map<std::string, int> pinned = ReadJudgeRunInfo(resumed_params_json).prompt_versions;
  ProjectConfig prepared = config;
  for (ScorerSettings& sc : prepared.scorers) {
    if (names.has_value() && std::find(names->begin(), names->end(), sc.name) == names->end()) continue;
    Result<ScorerSpec> spec = PrepareScorerSpec(sc, resolver, pinned, info);
    if (!spec.ok()) {
      std::string where = config.path.empty() ? "" : config.path + ":" + std::to_string(sc.line) + ": ";
      return Status(spec.status().code(), where + spec.status().message());
    }
    sc.params_json = spec->params_json;
  }
  return prepared;
}

Status RegisterJudgePrompts(PromptResolver* resolver, JudgeRunInfo* info) {
  for (ResolvedPrompt& prompt : info->unregistered) {
    Status s =
        resolver->Register(&prompt, prompt.file.empty() ? "llmeval default judge prompt" : "judge prompt override");
    if (!s.ok()) return s;
    info->prompt_versions[prompt.name] = prompt.version;
  }
  info->unregistered.clear();
  return Status::OK();
}

std::string AddJudgeRunInfo(const std::string& params_json, const JudgeRunInfo& info) {
  if (info.prompt_versions.empty() && info.human_label_columns.empty()) return params_json;
  size_t close = params_json.rfind('}');
  if (close == std::string::npos) return params_json;
  JsonWriter w;
  w.BeginObject();
  if (!info.prompt_versions.empty()) {
    w.Key("judge_prompts");
    w.BeginObject();
    for (const auto& [name, version] : info.prompt_versions) w.Field(name, version);
    w.EndObject();
  }
  if (!info.human_label_columns.empty()) {
    w.Key("human_label_columns");
    w.BeginObject();
    for (const auto& [scorer, column] : info.human_label_columns) w.Field(scorer, column);
    w.EndObject();
  }
  w.EndObject();
  std::string members = w.Take();
  members = members.substr(1, members.size() - 2);  // Without the braces.
  std::string head = params_json.substr(0, close);
  bool empty_object = head.find_first_not_of(" \t\r\n{") == std::string::npos;
  return head + (empty_object ? "" : ",") + members + params_json.substr(close);
}

JudgeRunInfo ReadJudgeRunInfo(const std::string& params_json) {
  JudgeRunInfo info;
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(params_json).get(root) != simdjson::SUCCESS) return info;
  simdjson::dom::object prompts, columns;
  if (root["judge_prompts"].get(prompts) == simdjson::SUCCESS) {
    for (auto field : prompts) {
      int64_t version = 0;
      if (field.value.get(version) == simdjson::SUCCESS)
        info.prompt_versions[std::string(field.key)] = static_cast<int>(version);
    }
  }
  if (root["human_label_columns"].get(columns) == simdjson::SUCCESS) {
    for (auto field : columns) {
      std::string_view column;
      if (field.value.get(column) == simdjson::SUCCESS)
        info.human_label_columns[std::string(field.key)] = std::string(column);
    }
  }
  return info;
}

std::string HumanLabelOutcome(std::string_view value) {
  std::string v = AsciiLower(TrimWhitespace(value));
  if (v == "yes" || v == "y" || v == "pass" || v == "passed" || v == "true" || v == "1") return "pass";
  if (v == "no" || v == "n" || v == "fail" || v == "failed" || v == "false" || v == "0") return "fail";
  return "";
}

std::vector<HumanAgreement> ComputeHumanAgreement(const std::vector<const ItemRecord*>& items,
                                                  const std::map<std::string, std::string>& human_label_columns) {
  struct Pairs {
    std::string scorer, human;
    std::vector<std::string> machine, people;
  };
  std::vector<Pairs> pairs;
  auto slot = [&](const std::string& scorer, const std::string& human) -> Pairs& {
    for (Pairs& p : pairs) {
      if (p.scorer == scorer && p.human == human) return p;
    }
    pairs.push_back({scorer, human, {}, {}});
    return pairs.back();
  };
  for (const ItemRecord* item : items) {
    std::map<std::string, std::string> machine, people;  // scorer -> decided outcome
    for (const AssessmentRow& a : item->assessments) {
      if (a.outcome != "pass" && a.outcome != "fail") continue;
      (a.source == "human" ? people : machine)[a.name] = a.outcome;
    }
    for (const AssessmentRow& a : item->assessments) {
      if (a.source == "human" || !machine.count(a.name)) continue;
      const std::string& outcome = machine[a.name];
      auto human = people.find(a.name);
      if (human != people.end()) {
        Pairs& p = slot(a.name, "feedback");
        p.machine.push_back(outcome);
        p.people.push_back(human->second);
      }
      auto column = human_label_columns.find(a.name);
      if (column != human_label_columns.end()) {
        std::string label = HumanLabelOutcome(InputValue(*item, column->second));
        if (!label.empty()) {
          Pairs& p = slot(a.name, "column " + column->second);
          p.machine.push_back(outcome);
          p.people.push_back(label);
        }
      }
      machine.erase(a.name);  // One comparison per scorer and item.
    }
  }
  std::vector<HumanAgreement> out;
  for (const Pairs& p : pairs) {
    Result<Agreement> agreement = CohensKappa(p.machine, p.people);
    if (!agreement.ok()) continue;
    out.push_back({p.scorer, p.human, agreement->n, agreement->percent_agreement, agreement->kappa});
  }
  return out;
}

}  // namespace llmeval
