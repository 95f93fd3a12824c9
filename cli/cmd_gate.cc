// `llmeval gate`: evaluates the project's gate rules on a run (fresh, or --run R), optionally against a baseline (a
// baseline file, a stored run, a prompt version or a model evaluated fresh on the same items), prints the verdict
// table, writes Markdown / JUnit / JSON reports, and exits 0 (pass), 1 (a rule failed) or 2 (bad config or input).
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/commands.h"
#include "core/strings.h"
#include "engine/gate/baseline.h"
#include "engine/gate/gate.h"
#include "engine/gate/gate_git.h"
#include "engine/gate/gate_run.h"
#include "engine/os/file_io.h"
#include "engine/run/run_params.h"
#include "engine/run/runner.h"

namespace llmeval {
namespace {

std::atomic<int> g_gate_interrupts{0};
void OnGateSigint(int) { g_gate_interrupts.fetch_add(1); }

std::vector<FlagSpec> GateFlags() {
  return ProjectFlags({
      {"run", true, "gate a stored run instead of evaluating afresh", ""},
      {"baseline", true,
       "compare against: a baseline file (baseline.json), a run id, a prompt reference (prompts:/basic@production) or "
       "model:REF, evaluated on the same items (default: the config's gate.baseline)",
       ""},
      {"changed-since", true,
       "gate only the prompt files changed since this git revision, each against its version there", ""},
      {"prompt", true, "prompt reference(s) to evaluate (default: the config's)", ""},
      {"model", true, "model reference(s) to evaluate (default: the config's)", ""},
      {"judge", true, "judge model for LLM-as-judge scorers", ""},
      {"dataset", true, "question CSV or JSONL file (default: the config's)", ""},
      {"limit", true, "evaluate at most N rows", ""},
      {"repeat", true, "evaluate every item N times (repeats are clustered by item in comparisons)", ""},
      {"concurrency", true, "items in flight at once", ""},
      {"var", true, "template variable NAME=VALUE (repeatable)", ""},
      {"no-cache", false, "do not answer from the response cache", ""},
      {"markdown", true, "write a Markdown summary (PR comment, $GITHUB_STEP_SUMMARY) to FILE", ""},
      {"junit", true, "write JUnit XML (one test case per item and scorer) to FILE", ""},
      {"json", true, "write the full report as JSON to FILE", ""},
      {"quiet", false, "no progress output", ""},
  });
}

class GateObserver : public RunObserver {
 public:
  explicit GateObserver(bool quiet) : quiet_(quiet) {}
  void OnStart(int64_t run_id, int64_t total, int64_t) override {
    if (!quiet_) std::printf("  run %lld: %lld items\n", static_cast<long long>(run_id), static_cast<long long>(total));
    std::fflush(stdout);
  }
  void OnItem(const ItemRecord&) override {}
  void OnWarning(const std::string& warning) override { std::fprintf(stderr, "warning: %s\n", warning.c_str()); }
  void OnInterrupt(int) override { std::fprintf(stderr, "\ninterrupted: finishing the items in flight\n"); }

 private:
  bool quiet_;
};

enum class BaselineKind { kNone, kFile, kRun, kPrompt, kModel };

BaselineKind KindOf(const std::string& spec) {
  if (spec.empty()) return BaselineKind::kNone;
  if (ParseInt(spec).has_value()) return BaselineKind::kRun;
  if (spec.size() > 5 && spec.compare(spec.size() - 5, 5, ".json") == 0) return BaselineKind::kFile;
  if (FileExists(spec) && spec.find('@') == std::string::npos) return BaselineKind::kFile;
  if (spec.rfind("model:", 0) == 0) return BaselineKind::kModel;
  return BaselineKind::kPrompt;
}

// Runs an evaluation; Cancelled-like status 130 is reported through *interrupted.
Result<int64_t> Evaluate(const ProjectConfig& config, const RunOptions& options, const std::string& what, bool quiet,
                         bool* interrupted) {
  if (!quiet) std::printf("Evaluating %s\n", what.c_str());
  GateObserver observer(quiet);
  Result<RunOutcome> outcome = ExecuteRun(config, options, &observer, &g_gate_interrupts);
  if (!outcome.ok()) return outcome.status();
  if (outcome->status == "interrupted") *interrupted = true;
  return outcome->run_id;
}

// A baseline evaluated fresh: its run and its variants with their items.
struct EvaluatedBaseline {
  RunRecord run;
  std::vector<GateTarget> targets;
};

Result<EvaluatedBaseline> EvaluateBaseline(const ProjectConfig& config, const RunOptions& options,
                                           const std::string& what, bool quiet, bool* interrupted, Store* store) {
  Result<int64_t> run_id = Evaluate(config, options, what, quiet, interrupted);
  if (!run_id.ok()) return run_id.status();
  EvaluatedBaseline evaluated;
  Result<std::vector<GateTarget>> targets = LoadGateTargets(store, *run_id);
  if (!targets.ok()) return targets.status();
  Result<RunRecord> run = store->GetRun(*run_id);
  if (!run.ok()) return run.status();
  evaluated.run = std::move(*run);
  evaluated.targets = std::move(*targets);
  return evaluated;
}

// The variant of `candidates` that best matches `target`: same prompt (unless `ignore_prompt`) and same model
// (unless `ignore_model`); a single variant always matches.
const GateTarget* Match(const std::vector<GateTarget>& candidates, const GateTarget& target, bool ignore_prompt,
                        bool ignore_model) {
  for (const GateTarget& c : candidates) {
    bool prompt = ignore_prompt || c.summary.variant.prompt_name == target.summary.variant.prompt_name;
    bool model = ignore_model || c.summary.variant.model == target.summary.variant.model;
    if (prompt && model) return &c;
  }
  return candidates.size() == 1 ? &candidates[0] : nullptr;
}

Baseline AsBaseline(const std::string& source, const RunRecord& run, const GateTarget& t) {
  return BaselineFromItems(source, run, t.summary.variant, t.items);
}

Status WriteReports(const Flags& flags, const GateReport& report, const std::vector<GateTarget>& targets) {
  struct Output {
    const char* flag;
    std::string (*format)(const GateReport&, const std::vector<GateTarget>&);
  };
  for (const Output& o :
       {Output{"markdown", &FormatGateMarkdown}, Output{"junit", &FormatGateJunit}, Output{"json", &FormatGateJson}}) {
    if (!flags.Has(o.flag)) continue;
    Status s = WriteFileAtomically(flags.Get(o.flag), o.format(report, targets));
    if (!s.ok()) return s;
  }
  return Status::OK();
}

}  // namespace

int CmdGate(const Args& args) {
  const std::string command = "gate";
  std::vector<FlagSpec> specs = GateFlags();
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail(command, flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval gate [--run R] [--baseline SPEC] [--changed-since REF] [flags]",
                     "Evaluates the gate rules of llmeval.yaml (gate:) on a fresh evaluation or a stored run, against "
                     "a baseline when one is given, and prints the verdict.\nExit codes: 0 every rule passed, 1 a "
                     "rule failed, 2 bad config or input.",
                     specs);
    return 0;
  }
  if (!flags->positional().empty()) {
    return Fail(command, Status::InvalidInput("unexpected argument '" + flags->positional()[0] + "'"));
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail(command, config.status());
  const std::string config_name = config->path.empty() ? "llmeval.yaml" : config->path;
  if (config->gate.rules.empty()) {
    return Fail(command, Status::InvalidInput(config_name + ": no gate rules; add a gate: section with rules:"));
  }
  if (!config->scorers.empty()) {  // Rules naming a scorer the config lacks are caught before any model call.
    for (const GateRule& rule : config->gate.rules) {
      bool known = rule.scorer.empty();
      for (const ScorerSettings& sc : config->scorers) known = known || sc.name == rule.scorer;
      if (!known) {
        return Fail(command,
                    Status::InvalidInput(config_name + ":" + std::to_string(rule.line) + ": gate rule names scorer '" +
                                         rule.scorer + "', which is not among the config's scorers"));
      }
    }
  }
  if (flags->Has("run") && flags->Has("changed-since")) {
    return Fail(command, Status::InvalidInput("--run and --changed-since cannot be combined"));
  }
  bool quiet = flags->Has("quiet");

  RunOptions options;
  options.prompts = flags->GetList("prompt");
  options.models = flags->GetList("model");
  options.judge = flags->Get("judge");
  options.dataset = flags->Get("dataset");
  options.use_cache = !flags->Has("no-cache");
  options.db = flags->Get("db");
  for (const std::string& var : flags->GetAll("var")) {
    size_t eq = var.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(command, Status::InvalidInput("--var expects NAME=VALUE, got '" + var + "'"));
    }
    options.variables[var.substr(0, eq)] = var.substr(eq + 1);
  }
  Result<int64_t> limit = flags->GetInt("limit", 0, 1);
  Result<int64_t> repeat = flags->GetInt("repeat", 0, 1);
  Result<int64_t> concurrency = flags->GetInt("concurrency", 0, 1);
  Result<int64_t> run_flag = flags->GetInt("run", 0, 1);
  for (const Status& s : {limit.status(), repeat.status(), concurrency.status(), run_flag.status()}) {
    if (!s.ok()) return Fail(command, s);
  }
  options.limit = *limit;
  options.repeat = static_cast<int>(*repeat);
  options.concurrency = static_cast<int>(*concurrency);

  std::string spec = flags->Has("baseline") ? flags->Get("baseline") : config->gate.baseline;
  BaselineKind kind = flags->Has("changed-since") ? BaselineKind::kNone : KindOf(spec);
  // Everything that can be checked before a model call is checked first.
  std::optional<Baseline> file_baseline;
  if (kind == BaselineKind::kFile) {
    Result<Baseline> b = LoadBaselineFile(spec);
    if (!b.ok()) return Fail(command, b.status());
    b->source = spec;
    file_baseline = std::move(*b);
  }
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail(command, store.status());
  std::optional<RunRecord> baseline_run;
  if (kind == BaselineKind::kRun) {
    Result<RunRecord> r = (*store)->GetRun(*ParseInt(spec));
    if (!r.ok()) return Fail(command, Status::InvalidInput("--baseline: " + r.status().message()));
    baseline_run = *r;
  }
  std::optional<RunRecord> candidate_run;
  if (*run_flag != 0) {
    Result<RunRecord> r = (*store)->GetRun(*run_flag);
    if (!r.ok()) return Fail(command, Status::InvalidInput("--run: " + r.status().message()));
    candidate_run = *r;
  }

  std::signal(SIGINT, OnGateSigint);
  std::signal(SIGTERM, OnGateSigint);
  bool interrupted = false;
  std::vector<GateTarget> targets;
  std::vector<std::string> notes;

  if (flags->Has("changed-since")) {
    const std::string ref = flags->Get("changed-since");
    Result<std::vector<ChangedPrompt>> changed = ChangedPromptsSince(config->Resolve(config->prompts_dir), ref);
    if (!changed.ok()) return Fail(command, changed.status());
    std::vector<std::string> names, baseline_refs;
    for (const ChangedPrompt& c : *changed) {
      if (c.name == config->system_prompt || c.name == config->tools_addendum) {
        notes.push_back(c.name + " changed since " + ref + " but is the system prompt or tools addendum: not gated");
        continue;
      }
      if (c.deleted) {
        notes.push_back(c.name + " was deleted since " + ref);
        continue;
      }
      names.push_back(c.name);
      if (!c.content_at_ref.has_value()) continue;
      bool created = false;
      Result<PromptVersion> v =
          (*store)->RegisterPrompt(c.name, *c.content_at_ref, "baseline: " + c.name + " at " + ref, "", &created);
      if (!v.ok()) return Fail(command, v.status());
      baseline_refs.push_back(c.name + "/" + std::to_string(v->version));
    }
    if (!quiet) {
      std::printf("Prompts changed since %s: %s\n", ref.c_str(),
                  names.empty() ? "none" : JoinStrings(names, ", ").c_str());
    }
    if (names.empty()) {
      GateReport empty;
      empty.notes = notes;
      empty.notes.push_back("no prompt changed since " + ref + ": nothing to gate");
      std::printf("\n%s", FormatGateTable(empty).c_str());
      Status s = WriteReports(*flags, empty, targets);
      return s.ok() ? 0 : Fail(command, s);
    }
    RunOptions candidate = options;
    candidate.prompts = names;
    Result<int64_t> run_id =
        Evaluate(*config, candidate, "the changed prompts: " + JoinStrings(names, ", "), quiet, &interrupted);
    if (!run_id.ok()) return Fail(command, run_id.status());
    Result<std::vector<GateTarget>> loaded = LoadGateTargets(store->get(), *run_id);
    if (!loaded.ok()) return Fail(command, loaded.status());
    targets = std::move(*loaded);
    if (!baseline_refs.empty() && !interrupted) {
      RunOptions base = options;
      base.prompts = baseline_refs;
      Result<EvaluatedBaseline> evaluated =
          EvaluateBaseline(*config, base, "their versions at " + ref + ": " + JoinStrings(baseline_refs, ", "), quiet,
                           &interrupted, store->get());
      if (!evaluated.ok()) return Fail(command, evaluated.status());
      for (GateTarget& t : targets) {
        for (const GateTarget& b : evaluated->targets) {
          if (b.summary.variant.prompt_name == t.summary.variant.prompt_name &&
              b.summary.variant.model == t.summary.variant.model) {
            t.baseline = AsBaseline(ref + " (run " + std::to_string(evaluated->run.id) + ")", evaluated->run, b);
          }
        }
      }
    }
  } else {
    int64_t run_id = *run_flag;
    if (run_id == 0) {
      Result<int64_t> fresh = Evaluate(*config, options, "the candidate", quiet, &interrupted);
      if (!fresh.ok()) return Fail(command, fresh.status());
      run_id = *fresh;
      Result<RunRecord> r = (*store)->GetRun(run_id);
      if (!r.ok()) return Fail(command, r.status());
      candidate_run = *r;
    }
    Result<std::vector<GateTarget>> loaded = LoadGateTargets(store->get(), run_id);
    if (!loaded.ok()) return Fail(command, loaded.status());
    targets = std::move(*loaded);
    if (kind == BaselineKind::kFile) {
      for (GateTarget& t : targets) t.baseline = file_baseline;
    } else if (kind == BaselineKind::kRun) {
      Result<std::vector<GateTarget>> base = LoadGateTargets(store->get(), baseline_run->id);
      if (!base.ok()) return Fail(command, base.status());
      for (GateTarget& t : targets) {
        const GateTarget* b = Match(*base, t, false, false);
        if (b == nullptr) b = Match(*base, t, true, false);
        if (b == nullptr) {
          return Fail(command,
                      Status::InvalidInput("--baseline " + spec + ": run " + spec + " has no variant matching " +
                                           t.label + "; use a run with one variant"));
        }
        t.baseline = AsBaseline("run " + spec, *baseline_run, *b);
      }
    } else if ((kind == BaselineKind::kPrompt || kind == BaselineKind::kModel) && !interrupted) {
      RunOptions base = options;
      Status s = LoadRunSelection(*candidate_run, &base);  // The same items as the candidate.
      if (!s.ok()) return Fail(command, s);
      base.prompts.clear();
      base.models.clear();
      for (const GateTarget& t : targets) {
        const VariantRecord& v = t.summary.variant;
        if (kind == BaselineKind::kModel) {
          base.prompts.push_back(v.prompt_name + "/" + std::to_string(v.prompt_version));
        } else {
          base.models.push_back(v.model);
        }
      }
      std::string ref = kind == BaselineKind::kModel ? spec.substr(6) : spec;
      (kind == BaselineKind::kModel ? base.models : base.prompts) = {ref};
      for (auto* list : {&base.prompts, &base.models}) {  // Deduplicate, keeping order.
        std::vector<std::string> unique;
        for (const std::string& x : *list) {
          if (std::find(unique.begin(), unique.end(), x) == unique.end()) unique.push_back(x);
        }
        *list = unique;
      }
      Result<EvaluatedBaseline> evaluated =
          EvaluateBaseline(*config, base, "the baseline " + spec, quiet, &interrupted, store->get());
      if (!evaluated.ok()) return Fail(command, evaluated.status());
      for (GateTarget& t : targets) {
        const GateTarget* b = Match(evaluated->targets, t, kind == BaselineKind::kPrompt, kind == BaselineKind::kModel);
        if (b != nullptr) {
          t.baseline = AsBaseline(spec + " (run " + std::to_string(evaluated->run.id) + ")", evaluated->run, *b);
        }
      }
    }
  }
  if (interrupted) {
    std::fprintf(stderr, "llmeval gate: interrupted; no verdict\n");
    return 130;
  }

  Result<GateReport> report = EvaluateGate(config->gate.rules, targets);
  if (!report.ok()) return Fail(command, Status::InvalidInput(config_name + ": " + report.status().message()));
  report->notes.insert(report->notes.end(), notes.begin(), notes.end());
  std::printf("\n%s", FormatGateTable(*report).c_str());
  Status s = WriteReports(*flags, *report, targets);
  if (!s.ok()) return Fail(command, s);
  return report->passed() ? 0 : 1;
}

}  // namespace llmeval
