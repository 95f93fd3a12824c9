// `llmeval monitor --traces QUERY [--every 5m] [--sample 10%] [--once] [--webhook URL]`: flags -> MonitorOptions ->
// one pass (--once, exit 1 on a significant drop) or the loop (a line per scorer per pass, alert lines, the webhook),
// stopped cleanly by SIGINT/SIGTERM (engine/run/monitor.h).
#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/commands.h"
#include "cli/trace_query.h"
#include "core/clock.h"
#include "core/strings.h"
#include "engine/run/monitor.h"

namespace llmeval {
namespace {

std::atomic<int> g_stop{0};

void OnStopSignal(int) { g_stop.fetch_add(1); }

// "10%" (a stable share of the new traces) or "N" (at most N new traces a pass).
Status ParseSample(const std::string& text, MonitorOptions* options) {
  const std::string expected =
      "--sample: expected a percentage of new traces (like 10% or 0.5%) or a number of traces a pass (like 200); got "
      "'" +
      text + "'";
  if (text.empty()) return Status::InvalidInput(expected);
  if (text.back() == '%') {
    std::optional<double> pct = ParseDouble(text.substr(0, text.size() - 1));
    if (!pct.has_value() || !(*pct > 0) || *pct > 100) return Status::InvalidInput(expected);
    options->sample_fraction = *pct / 100;
    return Status::OK();
  }
  std::optional<int64_t> n = ParseInt(text);
  if (!n.has_value() || *n < 1) return Status::InvalidInput(expected);
  options->sample_max = *n;
  return Status::OK();
}

std::string Rate(const WindowCounts& w) {
  char buf[96];
  if (w.measured() == 0) {
    std::snprintf(buf, sizeof buf, "0/0 (-)");
  } else {
    std::snprintf(buf, sizeof buf, "%lld/%lld (%.1f%%)", static_cast<long long>(w.passed),
                  static_cast<long long>(w.measured()), 100 * w.pass_rate());
  }
  return buf;
}

std::string Verdict(const ScorerDrift& d, const MonitorOptions& options) {
  if (!d.enough_data) return "not enough data (" + std::to_string(options.min_measured) + " measured a window)";
  return d.test.significant ? "DROP" : "ok";
}

std::string PassSummary(const MonitorOptions& options, const MonitorPass& pass) {
  std::string line = "monitor '" + options.name + "': " + std::to_string(pass.new_traces) + " new traces, " +
                     std::to_string(pass.sampled) + " sampled, " + std::to_string(pass.scored) + " scored";
  if (pass.run_id != 0) line += " into run " + std::to_string(pass.run_id);
  for (const auto& [reason, n] : pass.skipped) line += ", " + std::to_string(n) + " skipped (" + reason + ")";
  if (pass.deferred > 0) line += ", " + std::to_string(pass.deferred) + " left for the next pass";
  if (pass.interrupted) line += " (interrupted)";
  return line;
}

void PrintTable(const MonitorOptions& options, const MonitorPass& pass) {
  std::printf("%s\n", PassSummary(options, pass).c_str());
  if (pass.scorers.empty()) {
    std::printf("no verdicts yet (no scored trace matches '%s')\n", options.query_text.c_str());
    return;
  }
  std::printf("windows: current %s, baseline the %s before it; one-sided two-proportion z-test, alpha %.3g\n",
              FormatWindowSpec(options.window).c_str(), FormatWindowSpec(options.baseline).c_str(), options.alpha);
  std::printf("%-28s %-20s %10s %-20s %10s %7s %8s  %s\n", "scorer", "baseline pass", "unmeasured", "current pass",
              "unmeasured", "z", "p", "status");
  for (const ScorerDrift& d : pass.scorers) {
    std::printf("%-28s %-20s %10lld %-20s %10lld %7.2f %8.4f  %s\n", d.scorer.c_str(), Rate(d.windows.baseline).c_str(),
                static_cast<long long>(d.windows.baseline.unmeasured), Rate(d.windows.current).c_str(),
                static_cast<long long>(d.windows.current.unmeasured), d.test.z, d.test.p_value,
                Verdict(d, options).c_str());
  }
}

class LinePrinter : public MonitorListener {
 public:
  explicit LinePrinter(const MonitorOptions& options) : options_(options) {}

  void OnPass(const MonitorPass& pass) override {
    const std::string when = FormatTime(pass.now_unix_ns);
    std::printf("%s  %s\n", when.c_str(), PassSummary(options_, pass).c_str());
    for (const ScorerDrift& d : pass.scorers) {
      std::printf("%s  %s  current %s, %lld unmeasured  baseline %s, %lld unmeasured  z %.2f  p %.4f  %s\n",
                  when.c_str(), d.scorer.c_str(), Rate(d.windows.current).c_str(),
                  static_cast<long long>(d.windows.current.unmeasured), Rate(d.windows.baseline).c_str(),
                  static_cast<long long>(d.windows.baseline.unmeasured), d.test.z, d.test.p_value,
                  Verdict(d, options_).c_str());
    }
    std::fflush(stdout);
  }

  void OnAlert(const MonitorPass& pass, const ScorerDrift& d, const Status& webhook) override {
    std::printf("%s  ALERT %s: pass rate dropped from %.1f%% to %.1f%% (z %.2f, p %.4f < alpha %.3g)%s\n",
                FormatTime(pass.now_unix_ns).c_str(), d.scorer.c_str(), 100 * d.windows.baseline.pass_rate(),
                100 * d.windows.current.pass_rate(), d.test.z, d.test.p_value, options_.alpha,
                webhook_ ? (webhook.ok() ? "; webhook sent" : "; webhook failed") : "");
    if (!webhook.ok()) std::fprintf(stderr, "llmeval monitor: %s\n", webhook.message().c_str());
    std::fflush(stdout);
  }

  void OnRecovered(const MonitorPass& pass, const ScorerDrift& d) override {
    std::printf("%s  RECOVERED %s: pass rate %.1f%% is no longer significantly below its baseline's %.1f%%\n",
                FormatTime(pass.now_unix_ns).c_str(), d.scorer.c_str(), 100 * d.windows.current.pass_rate(),
                100 * d.windows.baseline.pass_rate());
    std::fflush(stdout);
  }

  void OnPassError(const Status& status) override {
    std::fprintf(stderr, "llmeval monitor: pass failed, trying again next interval: %s\n", status.message().c_str());
  }

  bool webhook_ = false;

 private:
  const MonitorOptions& options_;
};

}  // namespace

int CmdMonitor(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags({
      {"traces", true, "the collected traces to watch: 'service=shop status=error KEY=VALUE' or 'all' (required)", ""},
      {"every", true, "time between passes (default 5m): 30s, 5m, 1h", ""},
      {"sample", true, "score this share of new traces (10%, a stable choice by trace id) or at most N a pass", ""},
      {"once", false, "one pass over what is new, print the table, exit 1 on a significant drop", ""},
      {"webhook", true, "POST a JSON alert here when a scorer's pass rate drops (http:// or https://)", ""},
      {"window", true, "the current window: the newest N scored traces (default 100) or a duration (1h)", ""},
      {"baseline-window", true, "the baseline: the N traces (default 500) or the duration (7d) before the window", ""},
      {"alpha", true, "significance level of the one-sided drop test (default 0.05)", ""},
      {"min-samples", true, "measured verdicts each window needs before it is tested (default 20)", ""},
      {"name", true, "the monitor's name in the store (default: the --traces query); what it scored is kept under it",
       ""},
      {"scorers", true, "run only these scorers of the config, comma-separated", ""},
      {"judge", true, "judge model for LLM-as-judge scorers (default: the config's)", ""},
      {"concurrency", true, "items in flight at once while scoring", ""},
      {"no-cache", false, "do not answer judge calls from the response cache", ""},
  });
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("monitor", flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval monitor --traces QUERY [--every 5m] [--sample 10%] [--once] [--webhook URL]",
                     "Scores new collected traces with the config's scorers as they arrive (each trace once, "
                     "remembered in the store), and reports when a scorer's pass rate in the current window drops "
                     "significantly below its baseline window's.",
                     specs);
    return 0;
  }
  if (!flags->Has("traces")) {
    return Fail("monitor", Status::InvalidInput("--traces QUERY is required: which collected traces to watch, like "
                                                "'service=shop' or 'all' (see: llmeval traces list --collected)"));
  }
  MonitorOptions options;
  options.query_text = flags->Get("traces");
  Result<CollectedTraceQuery> query = ParseCollectedQuery(options.query_text, 0);
  if (!query.ok()) return Fail("monitor", query.status());
  if (query->since_unix_ns != 0) {
    return Fail("monitor", Status::InvalidInput("--traces: since= does not go with monitor, which scores every new "
                                                "trace once; the windows (--window, --baseline-window) set the time"));
  }
  options.query = *query;
  options.name = flags->Get("name", options.query_text);
  MonitorLoopOptions loop;
  Result<int64_t> every = ParseTraceDuration(flags->Get("every", "5m"), "--every");
  if (!every.ok()) return Fail("monitor", every.status());
  if (*every <= 0) return Fail("monitor", Status::InvalidInput("--every: expected a positive duration, like 5m"));
  loop.every_ns = *every;
  if (flags->Has("sample")) {
    Status s = ParseSample(flags->Get("sample"), &options);
    if (!s.ok()) return Fail("monitor", s);
  }
  Result<WindowSpec> window = ParseWindowSpec(flags->Get("window", "100"), "--window");
  if (!window.ok()) return Fail("monitor", window.status());
  Result<WindowSpec> baseline = ParseWindowSpec(flags->Get("baseline-window", "500"), "--baseline-window");
  if (!baseline.ok()) return Fail("monitor", baseline.status());
  options.window = *window;
  options.baseline = *baseline;
  Result<std::optional<double>> alpha = flags->GetDouble("alpha");
  if (!alpha.ok()) return Fail("monitor", alpha.status());
  if (alpha->has_value()) {
    if (!(**alpha > 0) || **alpha > 0.5) {
      return Fail("monitor", Status::InvalidInput("--alpha: expected a significance level above 0 and at most 0.5, "
                                                  "like 0.05; got '" +
                                                  flags->Get("alpha") + "'"));
    }
    options.alpha = **alpha;
  }
  Result<int64_t> min_samples = flags->GetInt("min-samples", 20, 1);
  Result<int64_t> concurrency = flags->GetInt("concurrency", 0, 1);
  for (const Status& s : {min_samples.status(), concurrency.status()}) {
    if (!s.ok()) return Fail("monitor", s);
  }
  options.min_measured = *min_samples;
  options.concurrency = static_cast<int>(*concurrency);
  loop.webhook_url = flags->Get("webhook");
  if (flags->Has("webhook") && loop.webhook_url.rfind("http://", 0) != 0 &&
      loop.webhook_url.rfind("https://", 0) != 0) {
    return Fail("monitor",
                Status::InvalidInput("--webhook: expected an http:// or https:// URL, got '" + loop.webhook_url + "'"));
  }
  if (flags->Has("scorers")) options.scorers = flags->GetList("scorers");
  options.judge = flags->Get("judge");
  options.use_cache = !flags->Has("no-cache");
  options.db = flags->Get("db");
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("monitor", config.status());

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  if (flags->Has("once")) {
    Result<MonitorPass> pass = MonitorOnce(*config, options, &g_stop, Clock::Real()->NowUnixNanos());
    if (!pass.ok()) return Fail("monitor", pass.status());
    PrintTable(options, *pass);
    if (!pass->any_drop()) return 0;
    if (!loop.webhook_url.empty()) {
      for (const ScorerDrift& d : pass->scorers) {
        if (!d.drop()) continue;
        Status s = PostWebhook(loop.webhook_url, MonitorAlertJson(options, *pass, d));
        if (!s.ok()) std::fprintf(stderr, "llmeval monitor: %s\n", s.message().c_str());
      }
    }
    return 1;
  }
  LinePrinter printer(options);
  printer.webhook_ = !loop.webhook_url.empty();
  std::printf("monitoring '%s' every %s (Ctrl-C stops)\n", options.query_text.c_str(),
              flags->Get("every", "5m").c_str());
  std::fflush(stdout);
  Status s = RunMonitorLoop(*config, options, loop, &printer, &g_stop);
  if (!s.ok()) return Fail("monitor", s);
  std::printf("monitor stopped\n");
  return 0;
}

}  // namespace llmeval
