#include "engine/run/evaluator.h"

#include <simdjson.h>

#include <algorithm>
#include <map>
#include <random>

#include "core/json_writer.h"
#include "engine/run/concurrency_check.h"
#include "engine/run/engine_scorers.h"
#include "engine/run/item_feed.h"
#include "engine/run/item_task.h"
#include "engine/run/prompt_resolver.h"
#include "engine/run/run_driver.h"
#include "engine/run/run_setup.h"
#include "engine/run/stored_item_feed.h"

namespace llmeval {
namespace {

// What a resumed evaluate run was started with: its params name the source run, the judge and the scorers.
struct EvaluateParams {
  int64_t source_run_id = 0;
  std::string judge;
  std::vector<std::string> scorers;
};

Result<EvaluateParams> LoadEvaluateParams(const RunRecord& run) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(run.params_json).get(root) != simdjson::SUCCESS) {
    return Status::Internal("run " + std::to_string(run.id) + " has unreadable parameters");
  }
  EvaluateParams params;
  if (root["evaluated_from"].get(params.source_run_id) != simdjson::SUCCESS) {
    return Status::InvalidInput("run " + std::to_string(run.id) +
                                " is not an evaluate run; resume it with: llmeval run --resume " +
                                std::to_string(run.id));
  }
  std::string_view judge;
  if (root["judge"].get(judge) == simdjson::SUCCESS) params.judge = std::string(judge);
  simdjson::dom::array scorers;
  if (root["scorers"].get(scorers) == simdjson::SUCCESS) {
    for (auto e : scorers) {
      std::string_view name;
      if (e.get(name) == simdjson::SUCCESS) params.scorers.emplace_back(name);
    }
  }
  return params;
}

}  // namespace

Result<RunOutcome> ExecuteEvaluate(const ProjectConfig& config, const EvaluateOptions& given, RunObserver* observer,
                                   const std::atomic<int>* interrupts) {
  EvaluateOptions options = given;
  std::string store_path = StorePath(config, options.db);
  Result<std::unique_ptr<Store>> opened = Store::Open(store_path);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<Store> store = std::move(opened.value());
  Status s = store->RecoverAbandonedRuns();
  if (!s.ok()) return s;

  // A resumed evaluate run brings back its source run, judge and scorers.
  RunRecord resumed;
  std::vector<VariantRecord> resumed_variants;
  if (options.resume_run_id != 0) {
    Result<RunRecord> run = LoadResumableRun(store.get(), options.resume_run_id);
    if (!run.ok()) return run.status();
    Result<EvaluateParams> params = LoadEvaluateParams(*run);
    if (!params.ok()) return params.status();
    resumed = *run;
    options.source_run_id = params->source_run_id;
    options.judge = params->judge;
    options.scorers = params->scorers;
    Result<std::vector<VariantRecord>> variants = store->Variants(resumed.id);
    if (!variants.ok()) return variants.status();
    resumed_variants = *variants;
  }

  Result<RunRecord> source = store->GetRun(options.source_run_id);
  if (!source.ok()) return source.status();
  if (source->status == "running") {
    return Status::InvalidInput("run " + std::to_string(source->id) + " is still running; evaluate it when it ends");
  }
  Result<std::vector<VariantRecord>> source_variants = store->Variants(source->id);
  if (!source_variants.ok()) return source_variants.status();
  Result<int64_t> source_items = store->CountItems(source->id, Store::ItemFilter());
  if (!source_items.ok()) return source_items.status();
  if (*source_items == 0) {
    return Status::InvalidInput("run " + std::to_string(source->id) + " has no stored items; nothing to evaluate");
  }

  auto run_ctx = std::make_unique<RunContext>();
  RunContext& ctx = *run_ctx;
  for (const auto& [k, v] : config.variables) ctx.fixed_variables[k] = v;
  std::vector<std::string> scorer_names;
  PromptResolver resolver(store.get(), config.Resolve(config.prompts_dir));
  JudgeRunInfo judge_info;
  Result<ProjectConfig> scoring_config = PrepareRunScorers(
      config, options.scorers, resolver, options.resume_run_id != 0 ? resumed.params_json : "{}", &judge_info);
  if (!scoring_config.ok()) return scoring_config.status();
  s = BuildScorers(*scoring_config, options.scorers, &ctx, &scorer_names);
  if (!s.ok()) return s;
  if (ctx.scorers.empty()) return Status::InvalidInput("no scorers to run: declare 'scorers:' in the config");
  int concurrency = options.concurrency > 0 ? options.concurrency : config.concurrency;
  ProviderSet providers(&config, concurrency);
  std::string judge_ref = options.judge.empty() ? config.judge : options.judge;
  s = SetupJudge(&providers, judge_ref, &ctx);
  if (!s.ok()) return s;
  s = RegisterJudgePrompts(&resolver, &judge_info);  // Only now that every input is checked.
  if (!s.ok()) return s;
  PriceTable prices = BuildPriceTable(config);
  ctx.prices = &prices;

  // The evaluate run and one variant per variant of the source (a resumed run reuses its own).
  if (options.resume_run_id != 0) {
    ctx.run_id = resumed.id;
    s = store->SetRunStatus(ctx.run_id, "running", false);
    if (!s.ok()) return s;
  } else {
    RunRecord run;
    run.experiment = source->experiment;
    run.name = options.run_name.empty() ? "evaluate run " + std::to_string(source->id) : options.run_name;
    JsonWriter params;
    params.BeginObject();
    params.Field("evaluated_from", source->id);
    params.Field("judge", judge_ref);
    params.Key("scorers");
    params.BeginArray();
    for (const std::string& n : scorer_names) params.String(n);
    params.EndArray();
    params.Key("source_params");
    params.Raw(source->params_json);
    params.EndObject();
    run.params_json = AddJudgeRunInfo(params.Take(), judge_info);
    run.dataset_path = source->dataset_path;
    run.dataset_sha256 = source->dataset_sha256;
    run.dataset_rows = source->dataset_rows;
    run.git_commit = source->git_commit;
    Result<int64_t> run_id = store->CreateRun(run);
    if (!run_id.ok()) return run_id.status();
    ctx.run_id = *run_id;
  }
  ctx.variants.reserve(source_variants->size());
  for (const VariantRecord& sv : *source_variants) {
    Variant v;
    v.record = sv;
    v.record.run_id = ctx.run_id;
    v.record.id = 0;
    for (const VariantRecord& existing : resumed_variants) {
      if (existing.prompt_name == sv.prompt_name && existing.prompt_version == sv.prompt_version &&
          existing.model == sv.model) {
        v.record.id = existing.id;
      }
    }
    if (v.record.id == 0) {
      Result<int64_t> id = store->AddVariant(v.record);
      if (!id.ok()) return id.status();
      v.record.id = *id;
    }
    ctx.variants.push_back(std::move(v));
  }
  std::map<int64_t, const Variant*> variant_of;
  for (size_t i = 0; i < source_variants->size(); ++i) variant_of[(*source_variants)[i].id] = &ctx.variants[i];

  // The slots a resumed run already scored, as bits sized by the source's repeats.
  int repeats = 1;
  s = store->ForEachCompletedSlot(source->id,
                                  [&](const ItemSlot& slot) { repeats = std::max(repeats, slot.repeat + 1); });
  if (!s.ok()) return s;
  CompletedSlots done(repeats);
  if (options.resume_run_id != 0) {
    s = store->ForEachCompletedSlot(ctx.run_id, [&](const ItemSlot& slot) { done.Add(slot); });
    if (!s.ok()) return s;
  }

  // Threads: the writer, the cache reader, the CPU workers; the feed reads the source on its own connection.
  Result<RunConnections> connections = OpenRunConnections(store_path, options.use_cache && config.cache);
  if (!connections.ok()) return connections.status();
  ctx.writer = connections->writer.get();
  ctx.cache = connections->cache.get();
  Result<std::unique_ptr<Store>> feed_store = Store::Open(store_path);
  if (!feed_store.ok()) return feed_store.status();
  std::random_device rd;
  IdGenerator ids((static_cast<uint64_t>(rd()) << 32) ^ rd());
  ctx.ids = &ids;
  CpuExecutor cpu;
  ctx.cpu = &cpu;

  for (const std::string& warning : ConcurrencyWarnings(concurrency, providers)) observer->OnWarning(warning);
  observer->OnStart(ctx.run_id, *source_items, done.size());
  RunDrive drive{.store = store.get(),
                 .writer = connections->writer.get(),
                 .cpu = &cpu,
                 .observer = observer,
                 .interrupts = interrupts,
                 .run_id = ctx.run_id,
                 .command = "evaluate",
                 .concurrency = concurrency};
  RunOutcome outcome;
  outcome.run_id = ctx.run_id;
  outcome.source_run_id = source->id;
  outcome.concurrency = concurrency;
  StoredItemFeed feed(feed_store->get(), source->id, std::move(variant_of), &done);
  Result<RunOutcome> driven = DriveItems(
      drive, &feed, outcome, [&](StoredItemFeed::Item item, std::function<void(const ItemRecord&)> item_done) {
        auto task = std::make_shared<ItemTask>(&ctx, item.variant, DataRow(), item.stored.repeat, std::move(item_done));
        task->StartFromStored(item.stored, std::move(item.tool_calls));
      });
  return NoteCallsInFlight(ctx, std::move(driven));
}

}  // namespace llmeval
