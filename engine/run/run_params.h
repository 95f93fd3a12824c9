// A run's parameters as stored with it: ParamsJson writes the options that decide what a run evaluates (dataset,
// selection, repeat, judge, sampling settings, tools, scorers, variables) as the run's params_json; LoadResumeOptions
// reads them back for --resume. Pure functions of their arguments; thread-compatible.
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

// Restores the options a run was started with, for --resume.
Status LoadResumeOptions(const RunRecord& run, RunOptions* o);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_PARAMS_H_
