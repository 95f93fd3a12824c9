// The `--target` side of a run's grid: targets (engine/targets/) stand where models stand, one grid row each. Called
// by the Runner while it checks its inputs, before anything is written. Not thread-safe; run once per run.
#ifndef LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_
#define LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/collector/otlp_receiver.h"
#include "engine/run/app_spans.h"
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

// A run with targets receives the apps' own spans: starts `sink`'s OTLP receiver on 127.0.0.1 (LLMEVAL_OTLP_PORT, else
// a free port) and gives command targets OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL and a short
// OTEL_BSP_SCHEDULE_DELAY. InvalidInput for a bad LLMEVAL_OTLP_PORT, IOError when the port cannot be bound.
Status StartAppSpanReceiver(TargetSet* targets, std::unique_ptr<AppSpanSink>* sink,
                            std::unique_ptr<OtlpReceiver>* receiver);

// The grid's prompt column when a run evaluates targets without --prompt: the built-in, empty "target-input".
void AddTargetInputPrompt(std::vector<ResolvedPrompt>* prompts, std::vector<Template>* templates);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_TARGETS_H_
