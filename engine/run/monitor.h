// `llmeval monitor`: online evaluation of collected traces. A pass takes the collected root traces matching the
// monitor's query that this monitor has not considered yet (engine/store/monitor_rows.h remembers them in the store,
// so a restart goes on where it stopped and each trace is scored once), keeps a stable sample of them (by trace id
// hash), turns them into a source run (engine/run/trace_import.h) and scores it with ExecuteEvaluate, exactly as
// `evaluate --traces` does, so every pass's scores are a run like any other. Each scorer's verdicts go into the
// store by the trace's own start time; the pass then compares, per scorer, the current window's pass rate with the
// baseline window's (scorers/drift.h: one-sided two-proportion z-test; unmeasured verdicts counted apart).
// RunMonitorLoop repeats a pass every interval until `stop` is raised, reporting to a MonitorListener and POSTing an
// alert to a webhook when a scorer enters a significant drop.
//
// Passes run on the calling thread (the evaluation inside uses the run's own threads); not reentrant.
#ifndef LLMEVAL_ENGINE_RUN_MONITOR_H_
#define LLMEVAL_ENGINE_RUN_MONITOR_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/store/collected_spans.h"
#include "scorers/drift.h"

namespace llmeval {

struct MonitorOptions {
  std::string name;        // The monitor's key in the store; what it has scored is remembered under it.
  std::string query_text;  // As the user wrote it (names the runs).
  CollectedTraceQuery query;
  double sample_fraction = 1;  // Of the new traces, a stable choice by trace id hash (0 < f <= 1).
  int64_t sample_max = 0;      // Else at most this many new traces a pass (the rest wait for the next; 0: no cap).
  WindowSpec window{.count = 100};
  WindowSpec baseline{.count = 500};
  double alpha = 0.05;
  int64_t min_measured = 20;  // Fewer measured verdicts in either window: no test ("not enough data").
  std::optional<std::vector<std::string>> scorers;
  std::string judge;
  int concurrency = 0;
  bool use_cache = true;
  std::string db;
};

struct ScorerDrift {
  std::string scorer;
  WindowPair windows;
  DropTest test;
  bool enough_data = false;
  bool drop() const { return enough_data && test.significant; }
};

struct MonitorPass {
  int64_t now_unix_ns = 0;
  int64_t new_traces = 0;  // Matching traces this monitor had not considered.
  int64_t sampled = 0;     // Of which the sample kept.
  int64_t scored = 0;      // Scored into run_id.
  int64_t deferred = 0;    // Over sample_max, or not reached before an interrupt: left for the next pass.
  std::map<std::string, int64_t> skipped;  // No recognisable input or output: reason -> traces.
  int64_t source_run_id = 0;
  int64_t run_id = 0;  // The evaluate run of this pass (0 when nothing new was scored).
  bool interrupted = false;
  std::vector<ScorerDrift> scorers;  // Every scorer with verdicts under this monitor, sorted by name.
  bool any_drop() const;
};

// One pass at `now_unix_ns`. Bad config or scorers are InvalidInput before anything is written; `interrupts` as for
// ExecuteEvaluate (what was scored before an interrupt is kept, the rest waits for the next pass).
Result<MonitorPass> MonitorOnce(const ProjectConfig& config, const MonitorOptions& options,
                                const std::atomic<int>* interrupts, int64_t now_unix_ns);

// The JSON body of an alert: {"monitor", "query", "scorer", "baseline": {...}, "current": {...}, "z", "p_value",
// "alpha", "window", "baseline_window", "run_id", "time"}.
std::string MonitorAlertJson(const MonitorOptions& options, const MonitorPass& pass, const ScorerDrift& drift);

class MonitorListener {
 public:
  virtual ~MonitorListener() = default;
  virtual void OnPass(const MonitorPass& pass) = 0;
  // `drift` entered a significant drop at this pass; `webhook` is the POST's outcome (OK when none was configured).
  virtual void OnAlert(const MonitorPass& pass, const ScorerDrift& drift, const Status& webhook) = 0;
  // `drift` was in a drop at the previous pass and is not any more.
  virtual void OnRecovered(const MonitorPass& pass, const ScorerDrift& drift) = 0;
  // A pass after the first failed (a locked store, say); the loop goes on.
  virtual void OnPassError(const Status& status) = 0;
};

struct MonitorLoopOptions {
  int64_t every_ns = 300LL * 1000000000LL;
  std::string webhook_url;  // Empty: no webhook.
};

// Passes every `every_ns` until `stop` becomes non-zero (checked a few times a second and during the evaluation),
// then returns OK. An error in the first pass is returned (nothing has run yet); later ones go to OnPassError.
Status RunMonitorLoop(const ProjectConfig& config, const MonitorOptions& options, const MonitorLoopOptions& loop,
                      MonitorListener* listener, const std::atomic<int>* stop);

// POSTs `json` to `url` with the engine's HTTP transport: OK on a 2xx answer, else IOError naming the URL (without
// its query string) and the status or network error.
Status PostWebhook(const std::string& url, const std::string& json);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_MONITOR_H_
