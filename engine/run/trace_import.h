// Collected traces as a source run for `llmeval evaluate --traces QUERY`: each selected root trace becomes one stored
// item (tracing/trace_items.h reads its input, output and tool calls from the GenAI, OpenInference or MLflow
// attributes) of a new completed run named after the query, whose items carry the source trace's id as `trace_id`
// (so `trace show` on an item opens the application's own trace, and the tool calls evaluate hands to scorers are the
// trace's execute_tool spans) and as the `source_trace_id` input. `evaluate` then scores that run like any stored run,
// so runs show / compare / gate / report work on it. Items are keyed by trace id: two evaluations of the same traces
// pair up in `runs compare`. Traces with no recognisable input or output are skipped and counted by reason.
//
// Uses the given Store connection from the calling thread only.
#ifndef LLMEVAL_ENGINE_RUN_TRACE_IMPORT_H_
#define LLMEVAL_ENGINE_RUN_TRACE_IMPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "engine/store/collected_spans.h"
#include "engine/store/store.h"

namespace llmeval {

struct TraceImportOptions {
  std::string experiment = "default";
  std::string query_text;  // As the user wrote it: names the run and goes into its params.
  int64_t sample = 0;      // At most this many traces, a stable sample by trace id hash (0: all).
};

struct TraceImport {
  int64_t run_id = 0;   // 0 when no trace gave an item (nothing was written).
  int64_t matched = 0;  // Root traces the query selected.
  int64_t items = 0;
  std::map<std::string, int64_t> skipped;                           // Reason -> traces.
  std::map<std::string, int64_t> conventions;                       // "gen_ai" / "openinference" / "mlflow" -> items.
  std::vector<std::pair<std::string, std::string>> skipped_traces;  // (trace id, reason) of each skipped trace.
};

// A stable 64-bit hash of a trace id (FNV-1a): samples by it are the same in every process.
uint64_t StableTraceHash(const std::string& trace_id);

Result<TraceImport> ImportCollectedTraces(Store* store, const CollectedTraceQuery& query,
                                          const TraceImportOptions& options);

// The same for root traces the caller already selected (`llmeval monitor`: the new ones of a sample) out of
// `matched`; options.sample is ignored.
Result<TraceImport> ImportTraceRoots(Store* store, std::vector<CollectedRoot> roots, int64_t matched,
                                     const TraceImportOptions& options);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_TRACE_IMPORT_H_
