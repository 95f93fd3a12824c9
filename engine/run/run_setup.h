// Setup steps shared by `run` and `evaluate`: building the configured scorers, resolving the judge, the price table.
// Every failure is an InvalidInput status naming the config file and line, returned before any model call.
#ifndef LLMEVAL_ENGINE_RUN_RUN_SETUP_H_
#define LLMEVAL_ENGINE_RUN_RUN_SETUP_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/providers/price_table.h"
#include "engine/run/provider_set.h"
#include "engine/run/run_context.h"
#include "engine/run/runner.h"
#include "engine/store/store.h"
#include "engine/store/store_writer.h"

namespace llmeval {

// Builds the scorers of `config` named in `names` (nullopt: all) into ctx->scorers; their names go to *built.
Status BuildScorers(const ProjectConfig& config, const std::optional<std::vector<std::string>>& names, RunContext* ctx,
                    std::vector<std::string>* built);

// When any scorer is a judge, resolves `judge_ref` and fills ctx's judge fields.
Status SetupJudge(ProviderSet* providers, const std::string& judge_ref, RunContext* ctx);

// The default prices with the config's overrides.
PriceTable BuildPriceTable(const ProjectConfig& config);

// The store connections a run's threads own besides the caller's: the writer thread's, and the response cache's
// (null unless `use_cache`).
struct RunConnections {
  std::unique_ptr<StoreWriter> writer;
  std::unique_ptr<ResponseCache> cache;
};
Result<RunConnections> OpenRunConnections(const std::string& store_path, bool use_cache);

// `outcome` with the most app and judge calls ctx's gauges saw in flight at once.
Result<RunOutcome> NoteCallsInFlight(const RunContext& ctx, Result<RunOutcome> outcome);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_SETUP_H_
