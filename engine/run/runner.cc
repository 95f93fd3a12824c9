#include "engine/run/runner.h"

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <random>

#include "core/strings.h"
#include "datasets/column_names.h"
#include "datasets/row_reader.h"
#include "datasets/selection.h"
#include "engine/os/file_io.h"
#include "engine/run/concurrency_check.h"
#include "engine/run/conversation_setup.h"
#include "engine/run/dataset_scan.h"
#include "engine/run/engine_scorers.h"
#include "engine/run/item_feed.h"
#include "engine/run/item_task.h"
#include "engine/run/prompt_resolver.h"
#include "engine/run/provider_set.h"
#include "engine/run/run_context.h"
#include "engine/run/run_driver.h"
#include "engine/run/run_params.h"
#include "engine/run/run_setup.h"
#include "engine/run/run_targets.h"
#include "prompts/prompt_set.h"

namespace llmeval {
namespace {

// A variable (--var or the config's `variables:`) binds only placeholders the dataset leaves unbound: one named
// like a column would replace the column's value in the prompt while the stored inputs keep the dataset's.
Status CheckVariablesBindNoColumn(const ProjectConfig& config, const RunOptions& options,
                                  const std::string& dataset_path, const RunContext& ctx) {
  auto check = [&](const std::string& name, const std::string& where) {
    std::string key = AsciiLower(name);
    bool column = std::find(ctx.columns.begin(), ctx.columns.end(), key) != ctx.columns.end();
    if (!column && ctx.placeholder_columns.count(key) == 0) return Status::OK();
    return Status::InvalidInput(
        where + ": '" + name + "' is " +
        (column ? "a column of " + dataset_path : "mapped to a column of " + dataset_path + " by dataset.columns") +
        "; variables may only set placeholders the dataset does not provide (rename the "
        "placeholder or the variable)");
  };
  for (const auto& [name, value] : options.variables) {
    Status s = check(name, "--var " + name);
    if (!s.ok()) return s;
  }
  for (const auto& [name, value] : config.variables) {
    Status s = check(name, config.path + ": variables." + name);
    if (!s.ok()) return s;
  }
  return Status::OK();
}

// Every dataset column a scorer reads (its DatasetColumns(), a judge's human_label_column) exists, so a misspelt
// name is bad input rather than a run whose every item that scorer skips. Errors name the config file and line.
Status CheckScorerColumns(const ProjectConfig& config, const JudgeRunInfo& judge_info, const std::string& dataset_path,
                          const RunContext& ctx) {
  auto has = [&](const std::string& name) {
    return std::find(ctx.columns.begin(), ctx.columns.end(), name) != ctx.columns.end() ||
           ctx.fixed_variables.count(name) > 0 || ctx.placeholder_columns.count(name) > 0;
  };
  auto missing = [&](const std::string& scorer, const std::string& param, const std::string& column) {
    int line = 0;
    for (const ScorerSettings& sc : config.scorers) {
      if (sc.name != scorer) continue;
      auto it = sc.param_lines.find(param);
      line = it != sc.param_lines.end() ? it->second : sc.line;
    }
    std::string where = config.path.empty() ? "" : config.path + ":" + std::to_string(line) + ": ";
    std::string normalized = NormalizeColumnName(column);
    std::string hint = has(normalized) ? normalized : SuggestClosest(normalized, ctx.columns);
    return Status::InvalidInput(where + "scorer '" + scorer + "' " + param + ": '" + column + "' is not a column of " +
                                dataset_path + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                "; columns: " + JoinStrings(ctx.columns, ", "));
  };
  for (const auto& scorer : ctx.scorers) {
    for (const auto& [param, column] : scorer->DatasetColumns()) {
      if (!has(column)) return missing(scorer->name(), param, column);
    }
  }
  for (const auto& [scorer, column] : judge_info.human_label_columns) {
    if (!has(column)) return missing(scorer, "human_label_column", column);
  }
  return Status::OK();
}

uint64_t RandomSeed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

std::string StorePath(const ProjectConfig& config, const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  const char* env = std::getenv("LLMEVAL_DB");
  if (env != nullptr && *env != '\0') return env;
  return config.Resolve(config.db);
}

Result<RunOutcome> ExecuteRun(const ProjectConfig& config, const RunOptions& given, RunObserver* observer,
                              const std::atomic<int>* interrupts) {
  RunOptions options = given;
  std::string store_path = StorePath(config, options.db);
  // An existing store is opened now (a resumed run and stored prompt versions are read from it); a new one is created
  // only once every input is checked, so input rejected with exit 2 leaves nothing behind.
  std::unique_ptr<Store> store;
  if (options.resume_run_id != 0 && !FileExists(store_path)) {
    return Status::NotFound("no run " + std::to_string(options.resume_run_id) + " to resume: there is no store at " +
                            store_path);
  }
  if (FileExists(store_path)) {
    Result<std::unique_ptr<Store>> opened = Store::Open(store_path);
    if (!opened.ok()) return opened.status();
    store = std::move(opened.value());
    Status recovered = store->RecoverAbandonedRuns();
    if (!recovered.ok()) return recovered;
  }
  Status s;

  RunRecord resumed;
  std::vector<VariantRecord> resumed_variants;
  if (options.resume_run_id != 0) {
    Result<RunRecord> run = LoadResumableRun(store.get(), options.resume_run_id);
    if (!run.ok()) return run.status();
    resumed = *run;
    s = LoadResumeOptions(resumed, &options);
    if (!s.ok()) return s;
    Result<std::vector<VariantRecord>> variants = store->Variants(resumed.id);
    if (!variants.ok()) return variants.status();
    resumed_variants = *variants;
  }

  // 1. The dataset: validated in full before anything else happens.
  std::string dataset_path = options.dataset.empty() ? config.Resolve(config.dataset) : options.dataset;
  if (dataset_path.empty()) {
    return Status::InvalidInput("no dataset: pass --dataset FILE or set 'dataset:' in the project config");
  }
  Result<DatasetScan> scan = ScanDataset(dataset_path, options, config);
  if (!scan.ok()) return scan.status();
  if (options.resume_run_id != 0 && !resumed.dataset_sha256.empty() && scan->sha256 != resumed.dataset_sha256) {
    return Status::InvalidInput("dataset " + dataset_path + " changed since run " + std::to_string(resumed.id) +
                                " started; resuming would mix answers to different data");
  }
  for (const std::string& w : scan->warnings) observer->OnWarning(w);
  if (!options.group_by.empty()) {
    const std::string wanted = NormalizeColumnName(options.group_by);
    if (std::find(scan->columns.begin(), scan->columns.end(), wanted) == scan->columns.end()) {
      return Status::InvalidInput("--group-by '" + options.group_by + "' is not a column of " + dataset_path +
                                  " (columns: " + JoinStrings(scan->columns, ", ") + ")");
    }
  }
  if (scan->selected == 0) {  // A run of nothing is a mistake in the dataset or the filters: say which.
    if (scan->rows == 0) return Status::InvalidInput(dataset_path + " has no data rows; nothing to evaluate");
    return Status::InvalidInput("--filter matches none of the " + std::to_string(scan->rows) + " rows of " +
                                dataset_path + " (" + JoinStrings(options.filters, ", ") + "); nothing to evaluate");
  }

  auto run_ctx = std::make_unique<RunContext>();
  RunContext& ctx = *run_ctx;
  ctx.columns = scan->columns;
  for (const auto& [k, v] : config.variables) ctx.fixed_variables[AsciiLower(k)] = v;
  for (const auto& [k, v] : options.variables) ctx.fixed_variables[AsciiLower(k)] = v;
  for (const auto& [placeholder, header] : config.column_map) {
    std::string wanted = NormalizeColumnName(header);
    int index = -1;
    for (size_t i = 0; i < ctx.columns.size(); ++i) {
      if (ctx.columns[i] == wanted || scan->raw_columns[i] == header) index = static_cast<int>(i);
    }
    if (index < 0) {
      return Status::InvalidInput(config.path + ": dataset.columns maps '" + placeholder + "' to column '" + header +
                                  "', which " + dataset_path +
                                  " does not have; columns: " + JoinStrings(scan->raw_columns, ", "));
    }
    ctx.placeholder_columns[AsciiLower(placeholder)] = index;
  }
  s = CheckVariablesBindNoColumn(config, options, dataset_path, ctx);
  if (!s.ok()) return s;
  ctx.id_column = scan->id_column;

  // 2. Tools.
  std::vector<std::string> tool_names = options.tools.has_value() ? *options.tools : config.enabled_tools;
  ToolExecutor tools(config.tools, config.dir);
  Result<std::vector<ToolSpec>> specs = tools.Specs(tool_names);
  if (!specs.ok()) return specs.status();
  ctx.tool_specs = *specs;
  ctx.tools = &tools;
  ctx.max_steps = config.max_steps;

  // 3. Prompts: resolve every reference, check every placeholder is bound.
  PromptResolver resolver(store.get(), config.Resolve(config.prompts_dir));
  std::vector<std::string> prompt_refs = options.prompts.empty() ? config.prompts : options.prompts;
  if (options.resume_run_id != 0) {
    prompt_refs.clear();
    for (const VariantRecord& v : resumed_variants) {
      std::string ref = v.prompt_name + "/" + std::to_string(v.prompt_version);
      if (std::find(prompt_refs.begin(), prompt_refs.end(), ref) == prompt_refs.end()) prompt_refs.push_back(ref);
    }
  }
  if (!options.targets.empty() && options.prompts.empty()) prompt_refs.clear();  // A target needs no prompt.
  if (prompt_refs.empty() && options.targets.empty()) {
    return Status::InvalidInput("no prompt: pass --prompt NAME or set 'prompt:' in the config");
  }
  std::vector<ResolvedPrompt> prompts;
  std::vector<Template> templates;
  std::vector<std::string> available = ctx.columns;
  for (const auto& [k, v] : ctx.fixed_variables) available.push_back(k);
  for (const auto& [k, v] : ctx.placeholder_columns) available.push_back(k);
  for (const std::string& ref : prompt_refs) {
    Result<ResolvedPrompt> p = resolver.Load(ref);
    if (!p.ok()) return p.status();
    // Errors in a working file name the file; a stored version is named like basic/3.
    std::string label = p->file.empty() ? p->name + "/" + std::to_string(p->version) : p->file;
    Result<Template> t = Template::Parse(p->content, label);
    if (!t.ok()) return t.status();
    std::vector<std::string> missing = UnboundPlaceholders(*t, available);
    if (!missing.empty()) {
      return Status::InvalidInput("prompt " + label + " (" + ref + ") uses {" + JoinStrings(missing, "}, {") +
                                  "} but no dataset column or variable provides " +
                                  (missing.size() == 1 ? "it" : "them") + "; columns of " + dataset_path + ": " +
                                  JoinStrings(ctx.columns, ", ") +
                                  (ctx.fixed_variables.empty() ? "" : "; variables: set with --var NAME=VALUE"));
    }
    for (size_t j = 0; j < prompts.size(); ++j) {
      if (prompts[j].name == p->name && prompts[j].sha256 == p->sha256) {  // The same text is the same version.
        int version = p->version != 0 ? p->version : prompts[j].version;
        std::string twice = version != 0 ? p->name + "/" + std::to_string(version) : p->name;
        return Status::InvalidInput("the prompts to evaluate name " + twice + " twice (" + prompt_refs[j] + " and " +
                                    ref + "); each prompt version is one column of the grid");
      }
    }
    prompts.push_back(*p);
    templates.push_back(std::move(t.value()));
  }
  const bool target_prompt = !prompts.empty();
  if (prompts.empty()) AddTargetInputPrompt(&prompts, &templates);
  ResolvedPrompt system_prompt, addendum;
  if (!config.system_prompt.empty()) {
    Result<ResolvedPrompt> p = resolver.Load(config.system_prompt);
    if (!p.ok()) return p.status().WithContext("system_prompt");
    system_prompt = *p;
  }
  if (!ctx.tool_specs.empty() && !config.tools_addendum.empty()) {
    Result<ResolvedPrompt> p = resolver.Load(config.tools_addendum);
    if (!p.ok()) return p.status().WithContext("tools_addendum");
    addendum = *p;
  }

  // 4. Scorers (engine scorer types; judge prompts as versioned prompts: engine/run/engine_scorers.h).
  std::vector<std::string> scorer_names;
  JudgeRunInfo judge_info;
  if (!options.generate_only) {
    Result<ProjectConfig> scoring_config =
        PrepareRunScorers(config, options.scorers, resolver, resumed.params_json, &judge_info);
    if (!scoring_config.ok()) return scoring_config.status();
    s = BuildScorers(*scoring_config, options.scorers, &ctx, &scorer_names);
    if (!s.ok()) return s;
    s = CheckScorerColumns(config, judge_info, dataset_path, ctx);
    if (!s.ok()) return s;
  }

  // 5. Providers, for every model and the judge; those that set no max_concurrency follow the run's.
  int concurrency = options.concurrency > 0 ? options.concurrency : config.concurrency;
  ProviderSet providers(&config, concurrency);
  std::vector<ResolvedModel> resolved_models;
  std::vector<std::string> models = options.models.empty() ? config.models : options.models;
  if (options.resume_run_id != 0) {
    models.clear();
    for (const VariantRecord& v : resumed_variants) {
      if (std::find(models.begin(), models.end(), v.model) == models.end()) models.push_back(v.model);
    }
  }
  // Declared before the targets, so that the apps have stopped before their spans' receiver does.
  std::unique_ptr<AppSpanSink> app_spans;
  std::unique_ptr<OtlpReceiver> app_receiver;
  TargetSet targets(&config);
  if (!options.targets.empty()) {
    s = StartAppSpanReceiver(&targets, &app_spans, &app_receiver);
    if (!s.ok()) return s;
    models.clear();
    s = ResolveRunTargets(options.targets, ctx, target_prompt, &targets, &resolved_models);
    if (!s.ok()) return s;
  }
  if (models.empty() && resolved_models.empty()) {
    return Status::InvalidInput("no model: pass --model NAME or set 'model:' in the config");
  }
  for (const std::string& m : models) {
    Result<ResolvedModel> r = providers.Resolve(m);
    if (!r.ok()) return r.status();
    for (const ResolvedModel& earlier : resolved_models) {
      if (earlier.label == r->label) {
        return Status::InvalidInput("the models to evaluate name " + m +
                                    " twice; each model is one row of the grid (use --repeat to ask it again)");
      }
    }
    resolved_models.push_back(*r);
  }
  std::string judge_ref = options.judge.empty() ? config.judge : options.judge;
  s = SetupJudge(&providers, judge_ref, &ctx);
  if (!s.ok()) return s;
  s = SetupConversation(config, scan->messages_column, &providers, &ctx);
  if (!s.ok()) return s;
  PriceTable prices = BuildPriceTable(config);
  ctx.prices = &prices;
  ctx.temperature = options.temperature.has_value() ? options.temperature : config.temperature;
  ctx.max_tokens = options.max_tokens.has_value() ? options.max_tokens : config.max_tokens;
  ctx.seed = options.seed.has_value() ? options.seed : config.seed;
  ctx.generate_only = options.generate_only;
  int repeat = options.repeat > 0 ? options.repeat : config.repeat;
  for (const std::string& warning : ConcurrencyWarnings(concurrency, providers)) observer->OnWarning(warning);

  // 6. Every input is checked: only now is anything written. The prompts read from working files are stored as
  // versions, then the run record and its variants.
  if (store == nullptr) {
    Result<std::unique_ptr<Store>> created = Store::Open(store_path);
    if (!created.ok()) return created.status();
    store = std::move(created.value());
  }
  resolver.set_store(store.get());
  for (ResolvedPrompt& p : prompts) {
    s = resolver.Register(&p, "");
    if (!s.ok()) return s;
  }
  for (ResolvedPrompt* p : {&system_prompt, &addendum}) {
    s = resolver.Register(p, "");
    if (!s.ok()) return s;
  }
  s = RegisterJudgePrompts(&resolver, &judge_info);
  if (!s.ok()) return s;
  int64_t run_id = 0;
  if (options.resume_run_id != 0) {
    run_id = resumed.id;
    s = store->SetRunStatus(run_id, "running", false);
    if (!s.ok()) return s;
  } else {
    RunRecord run;
    run.experiment = options.experiment.empty() ? config.experiment : options.experiment;
    run.name = options.run_name;
    run.params_json =
        AddJudgeRunInfo(ParamsJson(options, dataset_path, judge_ref, repeat, tool_names, scorer_names), judge_info);
    run.dataset_path = dataset_path;
    run.dataset_sha256 = scan->sha256;
    run.dataset_rows = scan->rows;
    run.git_commit = resolver.GitCommit();
    Result<int64_t> id = store->CreateRun(run);
    if (!id.ok()) return id.status();
    run_id = *id;
  }
  ctx.run_id = run_id;
  std::string system_text = system_prompt.content;
  if (!addendum.content.empty()) system_text = ComposeSystemPrompt(system_prompt.content, addendum.content);
  for (size_t p = 0; p < prompts.size(); ++p) {
    for (const ResolvedModel& m : resolved_models) {
      Variant v{};
      v.record.run_id = run_id;
      v.record.prompt_name = prompts[p].name;
      v.record.prompt_version = prompts[p].version;
      v.record.system_name = system_prompt.name;
      v.record.system_version = system_prompt.version;
      v.record.addendum_name = addendum.name;
      v.record.addendum_version = addendum.version;
      v.record.model = m.label;
      bool found = false;
      for (const VariantRecord& existing : resumed_variants) {
        if (existing.prompt_name == v.record.prompt_name && existing.prompt_version == v.record.prompt_version &&
            existing.model == m.label) {
          v.record.id = existing.id;
          found = true;
        }
      }
      if (!found) {
        Result<int64_t> id = store->AddVariant(v.record);
        if (!id.ok()) return id.status();
        v.record.id = *id;
      }
      v.user_template = templates[p];
      v.system_text = system_text;
      v.provider = m.provider;
      v.provider_key = m.provider_key;
      v.provider_name = m.provider_name;
      v.api_model = m.api_model;
      v.target = m.target;
      v.target_prompt = target_prompt;
      v.span_grace_ns = m.span_grace_ms * 1000000;
      v.wait_for_spans = m.wait_for_spans;
      ctx.variants.push_back(std::move(v));
    }
  }

  CompletedSlots done(repeat);
  if (options.resume_run_id != 0) {
    s = store->ForEachCompletedSlot(run_id, [&](const ItemSlot& slot) { done.Add(slot); });
    if (!s.ok()) return s;
  }

  // 7. Threads: the writer, the cache reader, tool workers.
  Result<RunConnections> connections = OpenRunConnections(store_path, options.use_cache && config.cache);
  if (!connections.ok()) return connections.status();
  ctx.writer = connections->writer.get();
  ctx.cache = connections->cache.get();
  IdGenerator ids(RandomSeed());
  ctx.ids = &ids;
  ThreadPool tool_pool(ctx.tool_specs.empty() ? 1 : std::min(concurrency, 32));
  ctx.tool_pool = &tool_pool;
  CpuExecutor cpu;
  ctx.cpu = &cpu;
  if (app_spans != nullptr) {
    Result<std::unique_ptr<Store>> span_store = Store::Open(store_path);
    if (!span_store.ok()) return span_store.status();
    app_spans->Open(std::move(span_store.value()), run_id);
    ctx.app_spans = app_spans.get();
  }

  int64_t total = scan->selected * static_cast<int64_t>(ctx.variants.size()) * repeat;
  observer->OnStart(run_id, total, done.size());

  // 8. Stream the dataset through ItemTasks: the pump keeps `concurrency` of them in flight. This thread starts the
  // first ones; after that, each finished item starts the next on its own thread (usually a CPU worker) and this one
  // only waits.
  std::unique_ptr<FileByteSource> source;
  std::unique_ptr<RowReader> reader;
  s = OpenDataset(dataset_path, &source, &reader);
  if (!s.ok()) return s;
  std::vector<RowFilter> filters;
  for (const std::string& f : options.filters) filters.push_back(*ParseRowFilter(f));
  ItemFeed feed(reader.get(), *RowSelector::Create(filters, ctx.columns), options.sample > 0 ? &scan->sampled : nullptr,
                options.limit, &ctx.variants, repeat, &done);
  RunDrive drive{.store = store.get(),
                 .writer = connections->writer.get(),
                 .cpu = &cpu,
                 .observer = observer,
                 .interrupts = interrupts,
                 .run_id = run_id,
                 .command = "run",
                 .concurrency = concurrency};
  RunOutcome outcome;
  outcome.run_id = run_id;
  outcome.concurrency = concurrency;
  if (app_spans != nullptr) {
    drive.before_finish = [&] {  // The items' traces are complete once the last answer's grace has passed.
      app_spans->Settle();
      app_receiver->Stop();
      app_spans->Close();
    };
  }
  Result<RunOutcome> driven =
      DriveItems(drive, &feed, outcome, [&](ItemFeed::Item item, std::function<void(const ItemRecord&)> item_done) {
        auto task =
            std::make_shared<ItemTask>(&ctx, item.variant, std::move(item.row), item.repeat, std::move(item_done));
        // Rendering, the request, the cache lookup and handing the call to the provider happen here, on the thread
        // that freed the slot; everything after the model's reply runs on the CPU workers.
        task->Start();
      });
  return NoteCallsInFlight(ctx, std::move(driven));
}

}  // namespace llmeval
