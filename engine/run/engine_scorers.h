// The scorer types the engine provides on top of the scorers module's built-ins, and the engine's preparation of
// configured scorers before they are built:
//
// - RegisterEngineScorerTypes registers `command` (engine/user_scorers/command_scorer.h: a persistent JSON-Lines worker
// process)
//   and `plugin` (engine/user_scorers/plugin_scorer.h: a dlopen'ed C ABI), resolving their relative paths against
//   project_dir. Call it before MakeScorer(); calling it again replaces the registrations (the last project dir wins).
// - PrepareScorerSpec turns a configured scorer into the ScorerSpec MakeScorer() gets. For the judge types
//   (guidelines, relevance_to_query, correctness, safety) without an explicit `template` parameter, the judge's
//   instructions are the versioned prompt `judge_<kind>`: the working file <prompts dir>/judge_<kind>.txt when it
//   exists (users override the judge prompt there), else the default template (scorers/judge.h), to be registered
//   in the store (RegisterJudgePrompts, once the run's input is checked) so `llmeval prompts show judge_guidelines`
//   shows it. Either way the text goes into the spec's `template` parameter and the prompt into JudgeRunInfo. A judge's
//   `human_label_column` parameter (a dataset column holding yes/no/pass/fail labels by people) is taken out of the
//   spec and recorded, for judge-vs-human agreement.
//
// - ComputeHumanAgreement compares scorers with people: per scorer, its decided outcomes against human feedback
//   (`llmeval feedback add`) on the same items, and against a judge's human label column; percent agreement and
//   Cohen's kappa (scorers/statistics.h).
//
// Not thread-safe beyond what MakeScorer/RegisterScorerType promise; used by the thread that sets up the run.
#ifndef LLMEVAL_ENGINE_RUN_ENGINE_SCORERS_H_
#define LLMEVAL_ENGINE_RUN_ENGINE_SCORERS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/run/prompt_resolver.h"
#include "engine/store/store.h"
#include "scorers/scorer.h"

namespace llmeval {

void RegisterEngineScorerTypes(const std::string& project_dir);

// What a run records about its judges (in the run's params_json, under "judge_prompts" and "human_label_columns").
struct JudgeRunInfo {
  std::map<std::string, int> prompt_versions;              // "judge_guidelines" -> 2
  std::map<std::string, std::string> human_label_columns;  // scorer name -> normalized dataset column
  std::vector<ResolvedPrompt> unregistered;                // Judge prompts not stored yet: RegisterJudgePrompts.
};

// `pinned` (a resumed run's prompt versions) makes judges use exactly those stored versions. Errors name the scorer
// (and the override file when its content is not a valid judge template). Writes nothing.
Result<ScorerSpec> PrepareScorerSpec(const ScorerSettings& settings, const PromptResolver& resolver,
                                     const std::map<std::string, int>& pinned, JudgeRunInfo* info);

// The run-start step: registers the engine scorer types for config.dir and returns a copy of `config` whose scorers
// (those named in `names`, nullopt: all) went through PrepareScorerSpec; `resumed_params_json` is the params_json of
// the run being resumed ("{}" otherwise), whose judge prompt versions are reused. Errors name the config file and line.
Result<ProjectConfig> PrepareRunScorers(const ProjectConfig& config,
                                        const std::optional<std::vector<std::string>>& names,
                                        const PromptResolver& resolver, const std::string& resumed_params_json,
                                        JudgeRunInfo* info);

// Stores the judge prompts PrepareScorerSpec left unregistered and records their versions in info->prompt_versions.
Status RegisterJudgePrompts(PromptResolver* resolver, JudgeRunInfo* info);

// `params_json` (a JSON object) with the info's two members added when they are not empty.
std::string AddJudgeRunInfo(const std::string& params_json, const JudgeRunInfo& info);

// Reads those members back from a run's params_json (missing or unreadable members are left empty).
JudgeRunInfo ReadJudgeRunInfo(const std::string& params_json);

// Agreement between one scorer and people over the items where both decided (pass or fail).
struct HumanAgreement {
  std::string scorer;
  std::string human;  // "feedback" (human assessments) or "column <name>" (a human label column).
  int64_t n = 0;      // Items compared.
  double percent_agreement = 0;
  double kappa = 0;
};

// One entry per (scorer, human source) with at least one item compared; scorers in first-seen order. Human
// assessments (source human) of scorer X are compared with X's non-human assessment on the same item;
// `human_label_columns` maps a scorer to a dataset column whose yes/no/pass/fail/true/false/1/0 values are labels.
std::vector<HumanAgreement> ComputeHumanAgreement(const std::vector<const ItemRecord*>& items,
                                                  const std::map<std::string, std::string>& human_label_columns);

// "pass" / "fail" for a human's yes/no/pass/fail/true/false/y/n/1/0 (any case), "" for anything else.
std::string HumanLabelOutcome(std::string_view value);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_ENGINE_SCORERS_H_
