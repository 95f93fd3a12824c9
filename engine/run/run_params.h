// A run's parameters as stored with it: ParamsJson writes the options that decide what a run evaluates (dataset,
// selection, repeat, judge, sampling settings, tools, scorers, variables) as the run's params_json; LoadRunSelection
// and LoadResumeOptions read them back. Pure functions of their arguments; thread-compatible.
#ifndef LLMEVAL_ENGINE_RUN_RUN_PARAMS_H_
#define LLMEVAL_ENGINE_RUN_RUN_PARAMS_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "engine/run/runner.h"
#include "engine/store/store.h"

namespace llmeval {

// The run's parameters as a JSON object.
std::string ParamsJson(const RunOptions& o, const std::string& dataset, const std::string& judge, int repeat,
                       const std::vector<std::string>& tools, const std::vector<std::string>& scorers);

// Restores what a run evaluated (dataset, limit, sample, filters, repeat, judge, scorers, variables), so another run
// evaluates the same items the same way (the gate's baseline evaluated fresh).
Status LoadRunSelection(const RunRecord& run, RunOptions* o);

// Restores every option a run was started with, for --resume; an evaluate run is refused (it resumes with evaluate).
Status LoadResumeOptions(const RunRecord& run, RunOptions* o);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_PARAMS_H_
