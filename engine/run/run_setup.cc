#include "engine/run/run_setup.h"

#include <set>

#include "core/strings.h"
#include "engine/run/conversation_setup.h"

namespace llmeval {

Status BuildScorers(const ProjectConfig& config, const std::optional<std::vector<std::string>>& names, RunContext* ctx,
                    std::vector<std::string>* built) {
  std::set<std::string> wanted;
  if (names.has_value()) wanted.insert(names->begin(), names->end());
  for (const ScorerSettings& sc : config.scorers) {
    if (names.has_value() && wanted.erase(sc.name) == 0) continue;
    std::string params_json;
    bool per_turn = false;
    if (Status scope = TakeScorerScope(config, sc, &params_json, &per_turn); !scope.ok()) return scope;
    if (per_turn) ctx->conversation.turn_scorers.insert(sc.name);
    Result<std::unique_ptr<Scorer>> scorer = MakeScorer({sc.name, sc.type, params_json});
    if (!scorer.ok()) {
      std::string where = config.path.empty() ? "" : config.path + ":" + std::to_string(sc.line) + ": ";
      return Status::InvalidInput(where + scorer.status().message());
    }
    built->push_back(sc.name);
    ctx->scorers.push_back(std::move(scorer.value()));
  }
  if (!wanted.empty()) {
    std::vector<std::string> known;
    for (const ScorerSettings& sc : config.scorers) known.push_back(sc.name);
    return Status::InvalidInput("--scorers names '" + *wanted.begin() + "', which the config does not declare; " +
                                "declared: " + (known.empty() ? "(none)" : JoinStrings(known, ", ")));
  }
  return Status::OK();
}

Status SetupJudge(ProviderSet* providers, const std::string& judge_ref, RunContext* ctx) {
  bool needs_judge = false;
  for (const auto& sc : ctx->scorers) {
    if (!sc->is_judge()) continue;
    const auto* judge = static_cast<const JudgeScorer*>(sc.get());
    if (judge->judge_model().empty()) {
      needs_judge = true;
      continue;
    }
    Result<ResolvedModel> own = providers->Resolve(judge->judge_model());
    if (!own.ok()) return own.status().WithContext("scorer '" + sc->name() + "' judge_model");
    ctx->judge_targets[sc->name()] = {own->provider, own->provider_key, own->provider_name, own->api_model};
  }
  if (!needs_judge) return Status::OK();
  Result<ResolvedModel> judge = providers->Resolve(judge_ref);
  if (!judge.ok()) return judge.status().WithContext("judge");
  ctx->judge_provider = judge->provider;
  ctx->judge_provider_key = judge->provider_key;
  ctx->judge_provider_name = judge->provider_name;
  ctx->judge_model = judge->api_model;
  return Status::OK();
}

Result<RunOutcome> NoteCallsInFlight(const RunContext& ctx, Result<RunOutcome> outcome) {
  if (!outcome.ok()) return outcome;
  outcome->max_app_calls_in_flight = ctx.app_calls.max();
  outcome->max_judge_calls_in_flight = ctx.judge_calls.max();
  return outcome;
}

PriceTable BuildPriceTable(const ProjectConfig& config) {
  PriceTable prices = PriceTable::Defaults();
  for (const PriceSettings& p : config.prices) {
    prices.Set(p.model, {p.input_per_mtok, p.output_per_mtok, p.cached_input_per_mtok});
  }
  return prices;
}

Result<RunConnections> OpenRunConnections(const std::string& store_path, bool use_cache) {
  RunConnections connections;
  Result<std::unique_ptr<Store>> writer_store = Store::Open(store_path);
  if (!writer_store.ok()) return writer_store.status();
  connections.writer = std::make_unique<StoreWriter>(std::move(writer_store.value()));
  if (use_cache) {
    Result<std::unique_ptr<Store>> cache_store = Store::Open(store_path);
    if (!cache_store.ok()) return cache_store.status();
    connections.cache = std::make_unique<ResponseCache>(std::move(cache_store.value()));
  }
  return connections;
}

}  // namespace llmeval
