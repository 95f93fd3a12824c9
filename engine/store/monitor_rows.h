// The store side of `llmeval monitor` (schema migrations 5 and 6): per monitor (a name, by default its trace query),
// which collected traces it has already considered and what became of each (scored by an evaluate run, not sampled,
// or skipped with its reason), and every scorer's verdict on every scored trace, keyed by the trace's own start time
// so the rolling windows can be read back after a restart. Each trace is considered once per monitor
// (CollectedTraceQuery::unseen_by_monitor selects the traces a monitor has not considered yet).
//
// Functions take the Store (one connection) and use it from the calling thread only.
#ifndef LLMEVAL_ENGINE_STORE_MONITOR_ROWS_H_
#define LLMEVAL_ENGINE_STORE_MONITOR_ROWS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval {

struct MonitorTraceState {
  std::string trace_id;
  std::string state;   // scored, not_sampled, skipped: <reason>
  int64_t run_id = 0;  // The evaluate run that scored it (0 otherwise).
};

struct MonitorVerdictRow {
  std::string scorer;
  std::string trace_id;
  int64_t trace_start_unix_ns = 0;
  std::string outcome;  // pass, fail, error, skipped
};

// Records `traces` as considered and `verdicts` in one transaction (a trace already recorded is kept as it is).
Status RecordMonitorTraces(Store* store, const std::string& monitor, const std::vector<MonitorTraceState>& traces,
                           const std::vector<MonitorVerdictRow>& verdicts, int64_t now_unix_ns);

// The scorers with verdicts under `monitor`, sorted.
Result<std::vector<std::string>> MonitorScorers(Store* store, const std::string& monitor);

// Calls fn(trace_start_unix_ns, outcome) for `scorer`'s verdicts, newest trace first, until fn returns false.
Status ForEachMonitorVerdict(Store* store, const std::string& monitor, const std::string& scorer,
                             const std::function<bool(int64_t, const std::string&)>& fn);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_MONITOR_ROWS_H_
