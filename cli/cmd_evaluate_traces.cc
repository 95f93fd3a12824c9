// `llmeval evaluate --traces QUERY`: collected traces into the source run that evaluate scores (cli/trace_query.h).
#include <cstdio>

#include "cli/commands.h"
#include "cli/trace_query.h"
#include "core/clock.h"
#include "engine/run/trace_import.h"

namespace llmeval {

Result<TracesSource> ImportTracesForEvaluate(const Flags& flags, const ProjectConfig& config) {
  Result<CollectedTraceQuery> query = ParseCollectedQuery(flags.Get("traces"), Clock::Real()->NowUnixNanos());
  if (!query.ok()) return query.status();
  Result<int64_t> sample = flags.GetInt("sample", 0, 1);
  if (!sample.ok()) return sample.status();
  Result<std::unique_ptr<Store>> store = OpenProjectStore(flags, config);
  if (!store.ok()) return store.status();
  TraceImportOptions options;
  options.experiment = config.experiment;
  options.query_text = flags.Get("traces");
  options.sample = *sample;
  Result<TraceImport> imported = ImportCollectedTraces(store->get(), *query, options);
  if (!imported.ok()) return imported.status();
  std::string skipped;
  int64_t skipped_total = 0;
  for (const auto& [reason, n] : imported->skipped) {
    skipped += (skipped.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
    skipped_total += n;
  }
  std::string conventions;
  for (const auto& [name, n] : imported->conventions) {
    conventions += (conventions.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  }
  if (imported->run_id == 0) {
    return Status::NotFound("no collected trace matching '" + options.query_text + "' has a recognisable input and " +
                            "output (" + std::to_string(imported->matched) + " matched" +
                            (skipped.empty() ? "" : "; skipped: " + skipped) +
                            "; see: llmeval traces list --collected)");
  }
  std::fprintf(stderr, "traces: %lld matched, %lld items (%s) into run %lld, %lld skipped%s%s\n",
               static_cast<long long>(imported->matched), static_cast<long long>(imported->items), conventions.c_str(),
               static_cast<long long>(imported->run_id), static_cast<long long>(skipped_total),
               skipped.empty() ? "" : ": ", skipped.c_str());
  return TracesSource{imported->run_id};
}

void DropTracesSource(const Flags& flags, const ProjectConfig& config, const TracesSource& source) {
  if (source.run_id == 0) return;
  Result<std::unique_ptr<Store>> store = OpenProjectStore(flags, config);
  if (store.ok()) (*store)->DeleteRun(source.run_id);
}

}  // namespace llmeval
