#include "engine/run/run_targets.h"

namespace llmeval {

Status ResolveRunTargets(const std::vector<std::string>& names, const RunContext& ctx, bool has_prompt,
                         TargetSet* targets, std::vector<ResolvedModel>* out) {
  std::vector<std::string> available = ctx.columns;
  for (const auto& [k, v] : ctx.fixed_variables) available.push_back(k);
  for (const auto& [k, v] : ctx.placeholder_columns) available.push_back(k);
  if (has_prompt) available.push_back("prompt");
  for (const std::string& name : names) {
    for (const ResolvedModel& earlier : *out) {
      if (earlier.label == name) return Status::InvalidInput("--target names " + name + " twice");
    }
    Result<Target*> target = targets->Get(name, available);
    if (!target.ok()) return target.status();
    ResolvedModel m;
    m.target = *target;
    m.label = name;
    m.api_model = name;
    m.provider_name = "target";
    m.provider_key = "target " + name;
    out->push_back(std::move(m));
  }
  return Status::OK();
}

void AddTargetInputPrompt(std::vector<ResolvedPrompt>* prompts, std::vector<Template>* templates) {
  ResolvedPrompt p;
  p.name = "target-input";
  p.version = 0;
  p.ref = "target-input";
  prompts->push_back(p);
  templates->push_back(*Template::Parse("", "target-input"));
}

}  // namespace llmeval
