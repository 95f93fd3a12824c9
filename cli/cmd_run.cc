// `llmeval run` and `llmeval generate`: flags -> RunOptions -> ExecuteRun, with progress and the summary table.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <mutex>

#include "cli/commands.h"
#include "cli/summary_printer.h"
#include "cli/trace_query.h"
#include "core/clock.h"
#include "core/strings.h"
#include "engine/config/config.h"
#include "engine/run/evaluator.h"
#include "engine/run/run_summary.h"
#include "engine/run/runner.h"

namespace llmeval {
namespace {

std::atomic<int> g_interrupts{0};

void OnSigint(int) { g_interrupts.fetch_add(1); }

std::vector<FlagSpec> RunFlags() {
  return ProjectFlags({
      {"prompt", true, "prompt reference(s), comma-separated or repeated: basic, basic@production, basic/3", ""},
      {"model", true, "model reference(s): sim, gpt-4.1-mini, openai:/gpt-4.1-mini, provider:model", ""},
      {"target", true, "target(s) of the config's targets: section, evaluated in place of models", ""},
      {"judge", true, "judge model for LLM-as-judge scorers (default: the config's, else sim)", ""},
      {"dataset", true, "question CSV or JSONL file (default: the config's)", ""},
      {"limit", true, "evaluate at most N rows", "max-questions"},
      {"sample", true, "evaluate a random sample of N rows (seeded by --seed)", ""},
      {"seed-sample", true, "seed for --sample only (default: --seed, else 0)", ""},
      {"filter", true, "only rows where column=value (repeatable)", ""},
      {"repeat", true, "evaluate every item N times", ""},
      {"temperature", true, "sampling temperature", ""},
      {"max-tokens", true, "maximum output tokens per call", ""},
      {"seed", true, "seed sent to the model", ""},
      {"tools", true, "tools to offer the model (names from the config), comma-separated; 'none' for none", ""},
      {"scorers", true, "run only these scorers of the config, comma-separated", ""},
      {"concurrency", true, "items in flight at once (each has one model call in flight at a time)", ""},
      {"no-cache", false, "do not answer from the response cache", ""},
      {"run-name", true, "a name for the run", ""},
      {"experiment", true, "experiment to file the run under", ""},
      {"resume", true, "continue an interrupted run: evaluate only its missing items", ""},
      {"var", true, "template variable NAME=VALUE (repeatable)", ""},
      {"group-by", true, "break the summary down by this dataset column (e.g. category)", ""},
      {"quiet", false, "no progress output", ""},
  });
}

// Progress: a redrawn line on a terminal, a plain line every 10% (or 5 s) otherwise.
class ProgressPrinter : public RunObserver {
 public:
  explicit ProgressPrinter(bool quiet) : quiet_(quiet), tty_(StdoutIsTty()) {}

  void OnStart(int64_t run_id, int64_t total, int64_t already_done) override {
    total_ = total - already_done;
    start_ns_ = Clock::Real()->NowMonotonicNanos();
    if (quiet_) return;
    std::printf("Run %lld: %lld items to evaluate%s\n", static_cast<long long>(run_id), static_cast<long long>(total_),
                already_done > 0 ? (" (" + std::to_string(already_done) + " already stored)").c_str() : "");
    std::fflush(stdout);
  }

  void OnItem(const ItemRecord& item) override {
    ++done_;
    if (!item.error.empty()) ++errors_;
    if (item.cost_usd.has_value()) cost_ += *item.cost_usd;
    for (const AssessmentRow& a : item.assessments) {
      if (a.judge_cost_usd.has_value()) cost_ += *a.judge_cost_usd;
    }
    if (quiet_) return;
    int64_t now = Clock::Real()->NowMonotonicNanos();
    double elapsed = static_cast<double>(now - start_ns_) / 1e9;
    bool last = done_ == total_;
    if (tty_) {
      if (!last && now - last_print_ns_ < 100'000'000) return;
    } else {
      int64_t step = std::max<int64_t>(1, total_ / 10);
      if (!last && done_ % step != 0 && now - last_print_ns_ < 5'000'000'000) return;
    }
    last_print_ns_ = now;
    double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
    double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    std::printf("%s%lld/%lld items  %.1f/s  ETA %.0fs  errors %lld  cost $%.4f%s", tty_ ? "\r\033[K" : "",
                static_cast<long long>(done_), static_cast<long long>(total_), rate, eta,
                static_cast<long long>(errors_), cost_, tty_ && !last ? "" : "\n");
    std::fflush(stdout);
  }

  void OnWarning(const std::string& warning) override { std::fprintf(stderr, "warning: %s\n", warning.c_str()); }

  void OnInterrupt(int level) override {
    std::fprintf(stderr, level == 1 ? "\ninterrupted: finishing the items in flight (Ctrl-C again to stop now)\n"
                                    : "\nstopping now; run again with --resume to finish\n");
  }

 private:
  bool quiet_;
  bool tty_;
  int64_t total_ = 0;
  int64_t done_ = 0;
  int64_t errors_ = 0;
  double cost_ = 0;
  int64_t start_ns_ = 0;
  int64_t last_print_ns_ = 0;
};

// "In flight at most: 100 model calls, 98 judge calls (--concurrency 100)": what concurrency the run achieved, so a
// cap below --concurrency shows (the run warned before it started).
void PrintCallsInFlight(const RunOutcome& outcome, bool app, bool judge) {
  std::string line = "In flight at most:";
  if (app) line += " " + std::to_string(outcome.max_app_calls_in_flight) + " model calls";
  if (app && judge) line += ",";
  if (judge) line += " " + std::to_string(outcome.max_judge_calls_in_flight) + " judge calls";
  std::printf("%s (--concurrency %d)\n", line.c_str(), outcome.concurrency);
}

int RunOrGenerate(const Args& args, bool generate_only) {
  const char* command = generate_only ? "generate" : "run";
  std::vector<FlagSpec> specs = RunFlags();
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail(command, flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp(std::string("llmeval ") + command + " [flags]",
                     generate_only ? "Renders the prompts over the dataset, calls the models and stores the answers "
                                     "and traces, without scoring."
                                   : "Evaluates every prompt x model over the dataset: renders, calls the model (with "
                                     "tools when enabled), scores, stores answers, assessments and traces, and prints "
                                     "a summary.",
                     specs);
    return 0;
  }
  if (!flags->positional().empty()) {
    return Fail(command, Status::InvalidInput("unexpected argument '" + flags->positional()[0] + "'"));
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail(command, config.status());

  RunOptions options;
  options.prompts = flags->GetList("prompt");
  options.models = flags->GetList("model");
  options.targets = flags->GetList("target");
  options.judge = flags->Get("judge");
  options.dataset = flags->Get("dataset");
  options.filters = flags->GetAll("filter");
  options.generate_only = generate_only;
  options.use_cache = !flags->Has("no-cache");
  options.run_name = flags->Get("run-name");
  options.experiment = flags->Get("experiment");
  options.db = flags->Get("db");
  for (const std::string& var : flags->GetAll("var")) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(command, Status::InvalidInput("--var expects NAME=VALUE, got '" + var + "'"));
    }
    options.variables[var.substr(0, eq)] = var.substr(eq + 1);
  }
  if (flags->Has("tools")) {
    std::vector<std::string> tools = flags->GetList("tools");
    if (tools.size() == 1 && tools[0] == "none") tools.clear();
    options.tools = tools;
  }
  if (flags->Has("scorers")) options.scorers = flags->GetList("scorers");
  options.group_by = flags->Get("group-by");
  Result<int64_t> limit = flags->GetInt("limit", 0, 1);
  Result<int64_t> sample = flags->GetInt("sample", 0, 1);
  // --sample N --seed S: the seed picks the sample (and is sent to the model); --seed-sample sets only the former.
  Result<int64_t> sample_seed = flags->GetInt("seed-sample", ParseInt(flags->Get("seed")).value_or(0), 0);
  Result<int64_t> repeat = flags->GetInt("repeat", 0, 1);
  Result<int64_t> concurrency = flags->GetInt("concurrency", 0, 1);
  Result<int64_t> resume = flags->GetInt("resume", 0, 1);
  Result<std::optional<double>> temperature = flags->GetDouble("temperature");
  for (const Status& s : {limit.status(), sample.status(), sample_seed.status(), repeat.status(), concurrency.status(),
                          resume.status(), temperature.status()}) {
    if (!s.ok()) return Fail(command, s);
  }
  options.limit = *limit;
  options.sample = *sample;
  options.sample_seed = static_cast<uint64_t>(*sample_seed);
  options.repeat = static_cast<int>(*repeat);
  options.concurrency = static_cast<int>(*concurrency);
  options.resume_run_id = *resume;
  options.temperature = *temperature;
  if (temperature->has_value() && !(**temperature >= 0 && **temperature <= kMaxTemperature)) {
    return Fail(command, Status::InvalidInput("--temperature expects a number between 0 and 2 (the OpenAI range), "
                                              "got '" +
                                              flags->Get("temperature") + "'"));
  }
  if (flags->Has("max-tokens")) {
    Result<int64_t> v = flags->GetInt("max-tokens", 0, 1);
    if (!v.ok()) return Fail(command, v.status());
    options.max_tokens = *v;
  }
  if (flags->Has("seed")) {
    Result<int64_t> v = flags->GetInt("seed", 0, 0);
    if (!v.ok()) return Fail(command, v.status());
    options.seed = *v;
  }

  std::signal(SIGINT, OnSigint);
  std::signal(SIGTERM, OnSigint);
  ProgressPrinter progress(flags->Has("quiet"));
  Result<RunOutcome> outcome = ExecuteRun(*config, options, &progress, &g_interrupts);
  if (!outcome.ok()) return Fail(command, outcome.status());

  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail(command, store.status());
  Result<RunSummary> summary = SummarizeRun(store->get(), outcome->run_id, AsciiLower(flags->Get("group-by")));
  if (!summary.ok()) return Fail(command, summary.status());
  std::printf("\n%s", FormatRunSummary(*summary, StdoutIsTty()).c_str());
  PrintCallsInFlight(*outcome, true, !generate_only);
  std::printf("\nStored in %s as run %lld (%s).\n", (*store)->path().c_str(), static_cast<long long>(outcome->run_id),
              outcome->status.c_str());
  std::printf("Next: llmeval runs show %lld  |  llmeval traces list --run %lld  |  llmeval trace show TRACE_ID\n",
              static_cast<long long>(outcome->run_id), static_cast<long long>(outcome->run_id));
  if (outcome->status == "interrupted") {
    std::printf("Resume with: llmeval %s --resume %lld\n", command, static_cast<long long>(outcome->run_id));
    return 130;
  }
  return 0;
}

}  // namespace

int CmdRun(const Args& args) { return RunOrGenerate(args, false); }

int CmdEvaluate(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags({
      {"run", true, "the stored run whose answers to score (required unless --resume or --traces)", ""},
      {"traces", true, "score collected traces: 'service=shop since=24h status=error KEY=VALUE limit=N' or 'all'", ""},
      {"sample", true, "with --traces: at most N traces, a stable sample", ""},
      {"resume", true, "finish an interrupted evaluate run: only its unscored items are scored", ""},
      {"scorers", true, "run only these scorers of the config, comma-separated", ""},
      {"judge", true, "judge model for LLM-as-judge scorers (default: the config's)", ""},
      {"concurrency", true, "items in flight at once (each has one model call in flight at a time)", ""},
      {"no-cache", false, "do not answer judge calls from the response cache", ""},
      {"run-name", true, "a name for the new run", ""},
      {"group-by", true, "break the summary down by this dataset column", ""},
      {"quiet", false, "no progress output", ""},
  });
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("evaluate", flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval evaluate --run RUN [--scorers a,b] [--judge MODEL] | llmeval evaluate --resume RUN",
                     "Scores the stored answers of RUN again without calling the application model, into a new run "
                     "(the two-step workflow: llmeval generate, then llmeval evaluate).",
                     specs);
    return 0;
  }
  Result<int64_t> source = flags->GetInt("run", 0, 1);
  Result<int64_t> resume = flags->GetInt("resume", 0, 1);
  Result<int64_t> concurrency = flags->GetInt("concurrency", 0, 1);
  for (const Status& s : {source.status(), resume.status(), concurrency.status()}) {
    if (!s.ok()) return Fail("evaluate", s);
  }
  if (flags->Has("traces") && (*source != 0 || *resume != 0)) {
    return Fail("evaluate", Status::InvalidInput("--traces selects what to score; drop --run and --resume"));
  }
  if (*source == 0 && *resume == 0 && !flags->Has("traces")) {
    return Fail("evaluate", Status::InvalidInput("--run RUN or --traces QUERY is required (see: llmeval runs list)"));
  }
  if (*source != 0 && *resume != 0) {
    return Fail("evaluate", Status::InvalidInput("--run and --resume do not go together: a resumed evaluate run "
                                                 "scores the run it was started on"));
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("evaluate", config.status());
  TracesSource traces;
  if (flags->Has("traces")) {
    Result<TracesSource> imported = ImportTracesForEvaluate(*flags, *config);
    if (!imported.ok()) return Fail("evaluate", imported.status());
    traces = std::move(imported.value());
  }
  EvaluateOptions options;
  options.source_run_id = traces.run_id != 0 ? traces.run_id : *source;
  if (flags->Has("scorers")) options.scorers = flags->GetList("scorers");
  options.judge = flags->Get("judge");
  options.concurrency = static_cast<int>(*concurrency);
  options.use_cache = !flags->Has("no-cache");
  options.run_name = flags->Get("run-name");
  options.db = flags->Get("db");
  options.resume_run_id = *resume;
  std::signal(SIGINT, OnSigint);
  std::signal(SIGTERM, OnSigint);
  ProgressPrinter progress(flags->Has("quiet"));
  Result<RunOutcome> outcome = ExecuteEvaluate(*config, options, &progress, &g_interrupts);
  if (!outcome.ok()) {
    DropTracesSource(*flags, *config, traces);  // Refused (e.g. no scorers): the imported traces' run goes too.
    return Fail("evaluate", outcome.status());
  }
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail("evaluate", store.status());
  Result<RunSummary> summary = SummarizeRun(store->get(), outcome->run_id, AsciiLower(flags->Get("group-by")));
  if (!summary.ok()) return Fail("evaluate", summary.status());
  std::printf("\n%s", FormatRunSummary(*summary, StdoutIsTty()).c_str());
  PrintCallsInFlight(*outcome, false, true);
  std::printf("\nScored run %lld's answers into run %lld in %s (%s).\nCompare: llmeval runs compare %lld %lld\n",
              static_cast<long long>(outcome->source_run_id), static_cast<long long>(outcome->run_id),
              (*store)->path().c_str(), outcome->status.c_str(), static_cast<long long>(outcome->source_run_id),
              static_cast<long long>(outcome->run_id));
  if (outcome->status == "interrupted") {
    std::printf("Resume with: llmeval evaluate --resume %lld\n", static_cast<long long>(outcome->run_id));
    return 130;
  }
  return 0;
}
int CmdGenerate(const Args& args) { return RunOrGenerate(args, true); }

}  // namespace llmeval
