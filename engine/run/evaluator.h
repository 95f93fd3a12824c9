// `llmeval evaluate`: scores a stored run's answers again, without calling the application model, as MLflow users do
// with stored traces. The result is a new run (its params name the source run) whose items carry the source's inputs,
// answers, usage and timing, with fresh assessments and a trace of the scoring. Judge calls go through the provider,
// cache and trace like any call. The source run's items stream from the store a page at a time through the same
// ItemPump as a run's (memory does not grow with the run); Ctrl-C and `--resume` behave as for `llmeval run`.
#ifndef LLMEVAL_ENGINE_RUN_EVALUATOR_H_
#define LLMEVAL_ENGINE_RUN_EVALUATOR_H_

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/run/runner.h"

namespace llmeval {

struct EvaluateOptions {
  int64_t source_run_id = 0;
  std::optional<std::vector<std::string>> scorers;  // nullopt: every scorer of the config.
  std::string judge;                                // Empty: the config's.
  int concurrency = 0;
  bool use_cache = true;
  std::string run_name;
  std::string db;
  int64_t resume_run_id = 0;  // An interrupted evaluate run to finish: its source, judge and scorers come back.
};

// `interrupts` counts Ctrl-C presses, as for ExecuteRun: at 1 no new item starts and in-flight ones finish, and the
// run is marked interrupted (`evaluate --resume` scores the rest); at 2 the process stops waiting.
Result<RunOutcome> ExecuteEvaluate(const ProjectConfig& config, const EvaluateOptions& options, RunObserver* observer,
                                   const std::atomic<int>* interrupts);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_EVALUATOR_H_
