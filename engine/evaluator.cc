#include "engine/evaluator.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <random>

#include "core/json_writer.h"
#include "engine/engine_scorers.h"
#include "engine/item_task.h"
#include "engine/prompt_resolver.h"
#include "engine/run_setup.h"
#include "engine/span_rows.h"
#include "tracing/semconv.h"

namespace llmeval {
namespace {

// The tool calls an item's stored trace recorded, in order.
std::vector<ToolCallRecord> StoredToolCalls(Store* store, const std::string& trace_id) {
  std::vector<ToolCallRecord> calls;
  Result<std::vector<SpanRow>> rows = store->TraceSpans(trace_id);
  if (!rows.ok()) return calls;
  Result<std::vector<Span>> spans = SpansFromRows(*rows);
  if (!spans.ok()) return calls;
  for (const Span& span : *spans) {
    const std::string* name = FindString(span.attributes, semconv::kGenAiToolName);
    if (name == nullptr) continue;
    const std::string* args = FindString(span.attributes, semconv::kGenAiToolCallArguments);
    const std::string* result = FindString(span.attributes, semconv::kGenAiToolCallResult);
    calls.push_back(
        {*name, args != nullptr ? *args : "", result != nullptr ? *result : "", span.status == SpanStatus::kError});
  }
  return calls;
}

}  // namespace

Result<RunOutcome> ExecuteEvaluate(const ProjectConfig& config, const EvaluateOptions& options, RunObserver* observer) {
  std::string store_path = StorePath(config, options.db);
  Result<std::unique_ptr<Store>> opened = Store::Open(store_path);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<Store> store = std::move(opened.value());
  Status s = store->RecoverAbandonedRuns();
  if (!s.ok()) return s;
  Result<RunRecord> source = store->GetRun(options.source_run_id);
  if (!source.ok()) return source.status();
  if (source->status == "running") {
    return Status::InvalidInput("run " + std::to_string(source->id) + " is still running; evaluate it when it ends");
  }
  Result<std::vector<VariantRecord>> source_variants = store->Variants(source->id);
  if (!source_variants.ok()) return source_variants.status();
  Result<std::vector<ItemRecord>> items = store->Items(source->id);
  if (!items.ok()) return items.status();

  auto run_ctx = std::make_unique<RunContext>();
  RunContext& ctx = *run_ctx;
  for (const auto& [k, v] : config.variables) ctx.fixed_variables[k] = v;
  std::vector<std::string> scorer_names;
  PromptResolver resolver(store.get(), config.Resolve(config.prompts_dir));
  JudgeRunInfo judge_info;
  Result<ProjectConfig> scoring_config =
      PrepareRunScorers(config, options.scorers, &resolver, store.get(), "{}", &judge_info);
  if (!scoring_config.ok()) return scoring_config.status();
  s = BuildScorers(*scoring_config, options.scorers, &ctx, &scorer_names);
  if (!s.ok()) return s;
  if (ctx.scorers.empty()) return Status::InvalidInput("no scorers to run: declare 'scorers:' in the config");
  ProviderSet providers(&config);
  std::string judge_ref = options.judge.empty() ? config.judge : options.judge;
  s = SetupJudge(&providers, judge_ref, &ctx);
  if (!s.ok()) return s;
  PriceTable prices = BuildPriceTable(config);
  ctx.prices = &prices;

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
  std::map<int64_t, size_t> variant_of;
  ctx.variants.reserve(source_variants->size());
  for (const VariantRecord& sv : *source_variants) {
    Variant v;
    v.record = sv;
    v.record.run_id = ctx.run_id;
    Result<int64_t> id = store->AddVariant(v.record);
    if (!id.ok()) return id.status();
    v.record.id = *id;
    variant_of[sv.id] = ctx.variants.size();
    ctx.variants.push_back(std::move(v));
  }

  Result<std::unique_ptr<Store>> writer_store = Store::Open(store_path);
  if (!writer_store.ok()) return writer_store.status();
  StoreWriter writer(std::move(writer_store.value()));
  ctx.writer = &writer;
  std::unique_ptr<ResponseCache> cache;
  if (options.use_cache && config.cache) {
    Result<std::unique_ptr<Store>> cache_store = Store::Open(store_path);
    if (!cache_store.ok()) return cache_store.status();
    cache = std::make_unique<ResponseCache>(std::move(cache_store.value()));
    ctx.cache = cache.get();
  }
  std::random_device rd;
  IdGenerator ids((static_cast<uint64_t>(rd()) << 32) ^ rd());
  ctx.ids = &ids;

  observer->OnStart(ctx.run_id, static_cast<int64_t>(items->size()), 0);
  int concurrency = options.concurrency > 0 ? options.concurrency : config.concurrency;
  RunOutcome outcome;
  outcome.run_id = ctx.run_id;
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  for (const ItemRecord& item : *items) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return in_flight < concurrency; });
      ++in_flight;
    }
    const Variant* variant = &ctx.variants[variant_of.at(item.variant_id)];
    auto task = std::make_shared<ItemTask>(&ctx, variant, DataRow(), item.repeat, [&](const ItemRecord& done) {
      std::lock_guard<std::mutex> lock(mu);
      ++outcome.items;
      if (!done.error.empty()) ++outcome.errors;
      observer->OnItem(done);
      --in_flight;
      cv.notify_all();
    });
    task->StartFromStored(item, StoredToolCalls(store.get(), item.trace_id));
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  s = writer.Flush();
  if (!s.ok()) return s;
  outcome.status = "completed";
  s = store->SetRunStatus(ctx.run_id, outcome.status, true);
  if (!s.ok()) return s;
  return outcome;
}

}  // namespace llmeval
