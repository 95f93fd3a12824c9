// The `--target` side of a run's grid: targets (engine/targets/) stand where models stand, one grid row each. Called
// by the Runner while it checks its inputs, before anything is written. Not thread-safe; run once per run.
#ifndef LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_
#define LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "engine/run/prompt_resolver.h"
#include "engine/run/provider_set.h"
#include "engine/run/run_context.h"
#include "engine/targets/target_set.h"
#include "prompts/template.h"

namespace llmeval {

// Resolves each name in `names` through `targets` (placeholders checked against the dataset's columns, the variables
// and, with `has_prompt`, `prompt`) and appends one ResolvedModel per target (label = the target's name).
Status ResolveRunTargets(const std::vector<std::string>& names, const RunContext& ctx, bool has_prompt,
                         TargetSet* targets, std::vector<ResolvedModel>* out);

// The grid's prompt column when a run evaluates targets without --prompt: the built-in, empty "target-input".
void AddTargetInputPrompt(std::vector<ResolvedPrompt>* prompts, std::vector<Template>* templates);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_
