// The evaluation run: `llmeval run`, `generate` and `--resume`. ExecuteRun validates everything that can be validated
// before the first model call (dataset, prompts and their placeholders, scorers, providers, tools), records the run
// and its prompt x model variants in the store, then streams the dataset through ItemTasks with at most
// `concurrency` items in flight, and marks the run completed or interrupted. See docs/ARCHITECTURE.md for the data
// flow and threading model.
#ifndef LLMEVAL_ENGINE_RUN_RUNNER_H_
#define LLMEVAL_ENGINE_RUN_RUNNER_H_

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/store/store.h"

namespace llmeval {

struct RunOptions {
  std::vector<std::string> prompts;  // Prompt references; empty: the config's.
  std::vector<std::string> models;   // Model references; empty: the config's.
  std::vector<std::string> targets;  // `--target`: targets of the config evaluated in place of models.
  std::string judge;                 // Judge model reference; empty: the config's.
  std::string dataset;               // Empty: the config's.
  int64_t limit = 0;                 // 0: every row.
  int64_t sample = 0;                // 0: no sampling.
  uint64_t sample_seed = 0;
  std::vector<std::string> filters;  // column=value
  std::string group_by;              // The summary's breakdown column: checked against the dataset before the run.
  int repeat = 0;                    // 0: the config's.
  int concurrency = 0;               // 0: the config's.
  bool use_cache = true;
  std::string run_name;
  std::string experiment;
  std::optional<std::vector<std::string>> tools;    // nullopt: the config's enabled_tools.
  std::optional<std::vector<std::string>> scorers;  // nullopt: every scorer of the config.
  int64_t resume_run_id = 0;
  bool generate_only = false;
  std::optional<double> temperature;
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> seed;
  std::map<std::string, std::string> variables;
  std::string db;  // Store path from --db; empty: LLMEVAL_DB or the config's.
};

// Receives progress from the run. Methods are called from engine threads, one at a time.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void OnStart(int64_t run_id, int64_t total_items, int64_t already_done) = 0;
  virtual void OnItem(const ItemRecord& item) = 0;
  virtual void OnWarning(const std::string& warning) = 0;
  virtual void OnInterrupt(int level) = 0;
};

struct RunOutcome {
  int64_t run_id = 0;
  std::string status;  // completed, interrupted
  int64_t items = 0;   // Evaluated by this invocation.
  int64_t errors = 0;
  int64_t source_run_id = 0;  // `llmeval evaluate`: the run whose answers were scored.
  int concurrency = 0;        // The items in flight the run asked for.
  // The most model calls in flight at once, as the providers sent them (cache hits and calls waiting for a slot
  // excluded): the application's and the judges' separately.
  int64_t max_app_calls_in_flight = 0;
  int64_t max_judge_calls_in_flight = 0;
};

// `interrupts` counts Ctrl-C presses: at 1 no new item starts and in-flight ones finish; at 2 the run stops waiting.
Result<RunOutcome> ExecuteRun(const ProjectConfig& config, const RunOptions& options, RunObserver* observer,
                              const std::atomic<int>* interrupts);

// The store path a config (and LLMEVAL_DB) selects.
std::string StorePath(const ProjectConfig& config, const std::string& db_flag);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUNNER_H_
