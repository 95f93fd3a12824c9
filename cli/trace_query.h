// Selecting collected traces from the command line: the `traces list` flags (--service, --since, --attr, --status) and
// the QUERY of `evaluate --traces QUERY` ("service=shop since=24h status=error gen_ai.system=openai limit=500", terms
// separated by spaces or commas; `all` selects every collected trace) into a CollectedTraceQuery. Pure parsing:
// InvalidInput naming the term and what was expected.
#ifndef LLMEVAL_CLI_TRACE_QUERY_H_
#define LLMEVAL_CLI_TRACE_QUERY_H_

#include <string>

#include "cli/flags.h"
#include "core/status.h"
#include "engine/config/config.h"
#include "engine/otlp/otlp_exporter.h"
#include "engine/store/collected_spans.h"

namespace llmeval {

// "90s", "45m", "12h", "30d" -> nanoseconds; `what` names the flag or term in the error.
Result<int64_t> ParseTraceDuration(const std::string& text, const std::string& what);

// True when any collected-trace flag is given.
bool HasCollectedTraceFlags(const Flags& flags);
// --service, --since (relative to now_unix_ns), --attr KEY=VALUE (repeatable), --status error, --slowest, --limit.
Result<CollectedTraceQuery> CollectedQueryFromFlags(const Flags& flags, int64_t now_unix_ns);
Result<CollectedTraceQuery> ParseCollectedQuery(const std::string& query, int64_t now_unix_ns);

// cli/cmd_traces_collected.cc: `traces list` and `traces export` (to `path`, or pushed to `endpoint` when not null)
// over collected traces; return the exit code.
int ListCollectedTraces(Store* store, const CollectedTraceQuery& query);
int ExportCollectedTraces(Store* store, const CollectedTraceQuery& query, const OtlpEndpoint* endpoint,
                          const std::string& path, size_t max_attribute_bytes);

// cli/cmd_evaluate_traces.cc: `evaluate --traces QUERY [--sample N]` turns the matching collected traces into a stored
// source run (engine/run/trace_import.h) and prints what it took and skipped; run_id 0 when --traces is not given.
struct TracesSource {
  int64_t run_id = 0;
};
Result<TracesSource> ImportTracesForEvaluate(const Flags& flags, const ProjectConfig& config);
// Deletes the source run again when the evaluation was refused, so a refused command leaves nothing behind.
void DropTracesSource(const Flags& flags, const ProjectConfig& config, const TracesSource& source);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_TRACE_QUERY_H_
