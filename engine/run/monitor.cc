// One monitor pass: new traces -> sample -> source run -> evaluate -> verdicts -> windows (engine/run/monitor.h).
#include "engine/run/monitor.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "core/strings.h"
#include "engine/run/evaluator.h"
#include "engine/run/runner.h"
#include "engine/run/trace_import.h"
#include "engine/store/monitor_rows.h"

namespace llmeval {
namespace {

// The evaluation inside a pass reports nothing of its own: the pass summarises it.
class QuietObserver : public RunObserver {
 public:
  void OnStart(int64_t, int64_t, int64_t) override {}
  void OnItem(const ItemRecord&) override {}
  void OnWarning(const std::string&) override {}
  void OnInterrupt(int) override {}
};

bool InSample(const std::string& trace_id, double fraction) {
  if (fraction >= 1) return true;
  constexpr uint64_t kBuckets = 1000000;
  return static_cast<double>(StableTraceHash(trace_id) % kBuckets) < fraction * static_cast<double>(kBuckets);
}

Result<std::vector<ScorerDrift>> Drifts(Store* store, const MonitorOptions& options, int64_t now_unix_ns) {
  Result<std::vector<std::string>> scorers = MonitorScorers(store, options.name);
  if (!scorers.ok()) return scorers.status();
  const bool by_count = options.window.count > 0 && options.baseline.count > 0;
  const bool by_time = options.window.duration_ns > 0 && options.baseline.duration_ns > 0;
  const int64_t oldest_ns = now_unix_ns - options.window.duration_ns - options.baseline.duration_ns;
  std::vector<ScorerDrift> out;
  for (const std::string& scorer : *scorers) {
    std::vector<Verdict> verdicts;
    Status s = ForEachMonitorVerdict(store, options.name, scorer, [&](int64_t start, const std::string& outcome) {
      if (by_time && start < oldest_ns) return false;
      verdicts.push_back({start, outcome});
      return !by_count || static_cast<int64_t>(verdicts.size()) < options.window.count + options.baseline.count;
    });
    if (!s.ok()) return s;
    ScorerDrift d;
    d.scorer = scorer;
    d.windows = SplitWindows(verdicts, options.window, options.baseline, now_unix_ns);
    d.enough_data =
        d.windows.current.measured() >= options.min_measured && d.windows.baseline.measured() >= options.min_measured;
    d.test = TwoProportionDropTest(d.windows.baseline.passed, d.windows.baseline.measured(), d.windows.current.passed,
                                   d.windows.current.measured(), options.alpha);
    out.push_back(std::move(d));
  }
  return out;
}

// The scorers a pass would run exist, checked before anything is opened or written (a pass with nothing new would
// not reach the evaluation's own check).
Status CheckScorers(const ProjectConfig& config, const MonitorOptions& options) {
  std::vector<std::string> declared;
  for (const ScorerSettings& sc : config.scorers) declared.push_back(sc.name);
  const std::string where = config.path.empty() ? "" : " (" + config.path + ")";
  if (declared.empty()) return Status::InvalidInput("the config" + where + " declares no scorers to monitor with");
  if (!options.scorers.has_value()) return Status::OK();
  for (const std::string& name : *options.scorers) {
    if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
      return Status::InvalidInput("--scorers names '" + name + "', which the config" + where +
                                  " does not declare; declared: " + JoinStrings(declared, ", "));
    }
  }
  return Status::OK();
}

}  // namespace

bool MonitorPass::any_drop() const {
  return std::any_of(scorers.begin(), scorers.end(), [](const ScorerDrift& d) { return d.drop(); });
}

Result<MonitorPass> MonitorOnce(const ProjectConfig& config, const MonitorOptions& options,
                                const std::atomic<int>* interrupts, int64_t now_unix_ns) {
  if (Status s = CheckScorers(config, options); !s.ok()) return s;
  MonitorPass pass;
  pass.now_unix_ns = now_unix_ns;
  const std::string store_path = StorePath(config, options.db);
  std::error_code ec;
  if (!std::filesystem::exists(store_path, ec)) {
    return Status::NotFound("no store at " + store_path + ": collect traces into it first (llmeval collect --db " +
                            store_path + ")");
  }
  Result<std::unique_ptr<Store>> opened = Store::Open(store_path);
  if (!opened.ok()) return opened.status();
  Store* store = opened->get();
  CollectedTraceQuery query = options.query;
  query.unseen_by_monitor = options.name;
  Result<std::vector<CollectedRoot>> roots = CollectedRoots(store, query);
  if (!roots.ok()) return roots.status();
  std::vector<CollectedRoot> fresh = std::move(roots.value());
  pass.new_traces = static_cast<int64_t>(fresh.size());
  // Oldest first: with a cap, the newest wait for the next pass.
  std::stable_sort(fresh.begin(), fresh.end(), [](const CollectedRoot& a, const CollectedRoot& b) {
    return a.root.span.start_unix_ns < b.root.span.start_unix_ns;
  });
  std::vector<MonitorTraceState> states;
  std::vector<CollectedRoot> chosen;
  std::unordered_map<std::string, int64_t> start_of;
  for (CollectedRoot& r : fresh) {
    const std::string& id = r.root.span.trace_id;
    if (!InSample(id, options.sample_fraction)) {
      states.push_back({id, "not_sampled", 0});
      continue;
    }
    ++pass.sampled;
    if (options.sample_max > 0 && static_cast<int64_t>(chosen.size()) >= options.sample_max) {
      ++pass.deferred;
      continue;
    }
    start_of[id] = r.root.span.start_unix_ns;
    chosen.push_back(std::move(r));
  }
  std::vector<MonitorVerdictRow> verdicts;
  if (!chosen.empty()) {
    const int64_t chosen_count = static_cast<int64_t>(chosen.size());
    TraceImportOptions import;
    import.experiment = config.experiment;
    import.query_text = options.query_text;
    Result<TraceImport> imported = ImportTraceRoots(store, std::move(chosen), pass.new_traces, import);
    if (!imported.ok()) return imported.status();
    pass.skipped = imported->skipped;
    for (const auto& [id, reason] : imported->skipped_traces) states.push_back({id, "skipped: " + reason, 0});
    pass.source_run_id = imported->run_id;
    if (imported->run_id != 0) {
      EvaluateOptions evaluate;
      evaluate.source_run_id = imported->run_id;
      evaluate.scorers = options.scorers;
      evaluate.judge = options.judge;
      evaluate.concurrency = options.concurrency;
      evaluate.use_cache = options.use_cache;
      evaluate.run_name = "monitor: " + options.name;
      evaluate.db = options.db;
      QuietObserver quiet;
      Result<RunOutcome> outcome = ExecuteEvaluate(config, evaluate, &quiet, interrupts);
      if (!outcome.ok()) {
        store->DeleteRun(imported->run_id);  // Refused (bad scorers): nothing of the pass stays.
        return outcome.status();
      }
      pass.run_id = outcome->run_id;
      pass.interrupted = outcome->status == "interrupted";
      Status s = store->ForEachItem(outcome->run_id, false, [&](const ItemRecord& item) {
        auto start = start_of.find(item.item_key);
        if (start == start_of.end()) return;
        ++pass.scored;
        states.push_back({item.item_key, "scored", outcome->run_id});
        for (const AssessmentRow& a : item.assessments) {
          if (a.source == "human") continue;
          verdicts.push_back({a.name, item.item_key, start->second, a.outcome});
        }
      });
      if (!s.ok()) return s;
    }
    int64_t skipped = 0;
    for (const auto& [reason, n] : pass.skipped) skipped += n;
    pass.deferred += chosen_count - pass.scored - skipped;
  }
  Status s = RecordMonitorTraces(store, options.name, states, verdicts, now_unix_ns);
  if (!s.ok()) return s;
  Result<std::vector<ScorerDrift>> drifts = Drifts(store, options, now_unix_ns);
  if (!drifts.ok()) return drifts.status();
  pass.scorers = std::move(drifts.value());
  return pass;
}

}  // namespace llmeval
