// `llmeval traces list|export` and `llmeval trace show`: the stored span traces of evaluated items.
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>

#include "cli/commands.h"
#include "cli/trace_query.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "core/version.h"
#include "engine/os/file_io.h"
#include "engine/otlp/otlp_exporter.h"
#include "engine/store/span_rows.h"
#include "tracing/otlp_json.h"
#include "tracing/semconv.h"
#include "tracing/waterfall.h"

namespace llmeval {
namespace {

int TerminalWidth() {
  winsize ws{};
  if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40) return ws.ws_col;
  return 100;
}

std::string Attr(const Span& s, const char* key) {
  const std::string* v = FindString(s.attributes, key);
  return v != nullptr ? *v : "";
}

}  // namespace

int CmdTrace(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"json", false, "print the raw spans as JSON (OTLP/JSON)", ""});
  specs.push_back({"width", true, "columns to fit (default: the terminal's, else 100)", ""});
  specs.push_back({"no-details", false, "one line per span, no tool arguments, verdicts or errors", ""});
  specs.push_back({"collapse", true, "collapse runs of more than N sibling spans (default 20)", ""});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("trace", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.size() != 2 || pos[0] != "show") {
    PrintCommandHelp("llmeval trace show TRACE_ID [--json] [--width N]",
                     "Shows one evaluated item's trace as a waterfall: the span tree on a shared time axis with "
                     "durations, tokens, cost, tool calls, verdicts and errors. Find ids with 'llmeval traces list'.",
                     specs);
    return flags->Has("help") ? 0 : 2;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("trace show", config.status());
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail("trace show", store.status());
  Result<std::vector<SpanRow>> rows = (*store)->TraceSpans(AsciiLower(pos[1]));
  if (!rows.ok()) return Fail("trace show", rows.status());
  if (rows->empty()) {
    return Fail("trace show",
                Status::NotFound("no trace " + pos[1] + " in " + (*store)->path() + " (see: llmeval traces list)"));
  }
  Result<std::vector<Span>> spans = SpansFromRows(*rows);
  if (!spans.ok()) return Fail("trace show", spans.status());
  if (flags->Has("json")) {
    std::printf("%s\n", EncodeOtlpJson(*spans, LlmevalResource(kLlmevalVersion, config->experiment), 0).c_str());
    return 0;
  }
  WaterfallOptions options;
  Result<int64_t> width = flags->GetInt("width", TerminalWidth(), 40);
  Result<int64_t> collapse = flags->GetInt("collapse", 20, 1);
  if (!width.ok()) return Fail("trace show", width.status());
  if (!collapse.ok()) return Fail("trace show", collapse.status());
  options.width = static_cast<int>(*width);
  options.color = StdoutIsTty();
  options.details = !flags->Has("no-details");
  options.max_children_before_collapse = static_cast<size_t>(*collapse);
  std::printf("%s", RenderWaterfall(*spans, options).c_str());
  return 0;
}

int CmdTraces(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"run", true, "only traces of this run", ""});
  specs.push_back({"status", true, "only traces whose root span has this status ('error')", ""});
  specs.push_back({"slowest", true, "the N slowest traces", ""});
  specs.push_back(
      {"scorer", true, "only traces where scorer NAME had this outcome: NAME=fail (or pass, error, skipped)", ""});
  specs.push_back({"limit", true, "traces to list (default 50)", ""});
  specs.push_back({"service", true, "collected traces of this service.name (from llmeval collect)", ""});
  specs.push_back({"since", true, "collected traces started within this long ago (90s, 15m, 1h, 7d)", ""});
  specs.push_back({"attr", true, "collected traces with a span attribute KEY=VALUE (repeatable)", ""});
  specs.push_back({"collected", false, "collected traces (those llmeval collect received), not run traces", ""});
  specs.push_back({"format", true, "export format: otlp-json", ""});
  specs.push_back({"output", true, "export to this file instead of stdout", "o"});
  specs.push_back({"otlp-endpoint", true,
                   "push the traces over OTLP/HTTP (JSON) to this base URL (POST "
                   "<URL>/v1/traces); default: OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT",
                   ""});
  specs.push_back({"max-attribute-bytes", true,
                   "cap long attribute strings on export (default 65536; the store keeps "
                   "the full text)",
                   ""});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("traces", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.size() != 1) {
    PrintCommandHelp(
        "llmeval traces list [--run R] [--status error] [--scorer NAME=fail] [--slowest N]\n"
        "       llmeval traces export [--run R] --format otlp-json [-o FILE]\n"
        "       llmeval traces export [--run R] --otlp-endpoint URL\n"
        "       llmeval traces list|export --collected [--service NAME] [--since 1h] [--attr KEY=VALUE] [--status "
        "error]",
        "Lists stored traces, or writes them as OTLP/JSON (one ExportTraceServiceRequest per line, one "
        "line per trace).",
        specs);
    return flags->Has("help") ? 0 : 2;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("traces", config.status());
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail("traces", store.status());
  Result<int64_t> run = flags->GetInt("run", 0, 1);
  if (!run.ok()) return Fail("traces", run.status());
  if (*run != 0) {  // A run that does not exist is a mistake, not a run without traces.
    Result<RunRecord> record = (*store)->GetRun(*run);
    if (!record.ok()) return Fail("traces", record.status());
  }
  std::string status = flags->Get("status");
  if (!status.empty() && status != "error") {
    return Fail("traces", Status::InvalidInput("--status accepts 'error', got '" + status + "'"));
  }
  const bool collected = HasCollectedTraceFlags(*flags);
  if (collected && *run != 0) {
    return Fail("traces", Status::InvalidInput("--run selects a run's traces; --service, --since, --attr and "
                                               "--collected select collected ones: use one or the other"));
  }
  std::optional<CollectedTraceQuery> query;
  if (collected) {
    Result<CollectedTraceQuery> q = CollectedQueryFromFlags(*flags, Clock::Real()->NowUnixNanos());
    if (!q.ok()) return Fail("traces", q.status());
    query = *q;
  }
  if (pos[0] == "list" && query.has_value()) return ListCollectedTraces(store->get(), *query);
  if (pos[0] == "list") {
    Result<int64_t> slowest = flags->GetInt("slowest", 0, 1);
    Result<int64_t> limit = flags->GetInt("limit", 50, 1);
    if (!slowest.ok()) return Fail("traces list", slowest.status());
    if (!limit.ok()) return Fail("traces list", limit.status());
    std::string scorer_filter = flags->Get("scorer");
    std::string scorer_name, scorer_outcome;
    if (!scorer_filter.empty()) {
      size_t eq = scorer_filter.find('=');
      scorer_name = scorer_filter.substr(0, eq);
      scorer_outcome = eq == std::string::npos ? "" : scorer_filter.substr(eq + 1);
      if (scorer_name.empty() || (scorer_outcome != "fail" && scorer_outcome != "pass" && scorer_outcome != "error" &&
                                  scorer_outcome != "skipped")) {
        return Fail("traces list",
                    Status::InvalidInput("--scorer expects NAME=fail|pass|error|skipped, got '" + scorer_filter + "'"));
      }
    }
    Result<std::vector<SpanRow>> roots =
        (*store)->RootSpans(*run, status == "error", *slowest > 0, static_cast<int>(*slowest > 0 ? *slowest : *limit),
                            scorer_name, scorer_outcome);
    if (!roots.ok()) return Fail("traces list", roots.status());
    std::printf("%-32s %-5s %-10s %-6s %-16s %-8s %s\n", "trace", "run", "duration", "status", "prompt", "item",
                "model");
    for (const SpanRow& row : *roots) {
      Result<Span> span = SpanFromRow(row);
      if (!span.ok()) continue;
      double ms = static_cast<double>(row.end_unix_ns - row.start_unix_ns) / 1e6;
      std::printf(
          "%-32s %-5s %8.1fms %-6s %-16s %-8s %s\n", row.trace_id.c_str(), Attr(*span, semconv::kLlmevalRunId).c_str(),
          ms, row.status == 2 ? "error" : "ok",
          (Attr(*span, semconv::kLlmevalPromptName) + "/" + Attr(*span, semconv::kLlmevalPromptVersion)).c_str(),
          Attr(*span, semconv::kLlmevalItemId).substr(0, 8).c_str(), Attr(*span, semconv::kLlmevalModel).c_str());
    }
    return 0;
  }
  if (pos[0] == "export") {
    // Push mode: --otlp-endpoint, or the OTEL_EXPORTER_OTLP_* variables when neither --format nor -o is given.
    Result<OtlpEndpoint> endpoint = ResolveOtlpEndpoint(
        flags->Get("otlp-endpoint"), [](const char* name) { return static_cast<const char*>(std::getenv(name)); });
    if (!endpoint.ok()) return Fail("traces export", endpoint.status());
    const bool push =
        flags->Has("otlp-endpoint") || (!flags->Has("format") && !flags->Has("output") && !endpoint->url.empty());
    if (push && flags->Has("otlp-endpoint") && flags->Get("otlp-endpoint").empty()) {
      return Fail("traces export", Status::InvalidInput("--otlp-endpoint needs a URL"));
    }
    if (push && flags->Has("output")) {
      return Fail("traces export", Status::InvalidInput("--otlp-endpoint pushes to a receiver; drop -o/--output"));
    }
    if (push && flags->Has("format") && flags->Get("format") != "otlp-json") {
      return Fail("traces export",
                  Status::InvalidInput("--otlp-endpoint sends otlp-json; got --format " + flags->Get("format")));
    }
    if (!push && flags->Get("format") != "otlp-json") {
      return Fail("traces export", Status::InvalidInput("--format otlp-json is required (the only format so far)"));
    }
    Result<int64_t> cap = flags->GetInt("max-attribute-bytes", 65536, 0);
    if (!cap.ok()) return Fail("traces export", cap.status());
    if (query.has_value()) {
      if (!flags->Has("limit")) query->limit = 1 << 30;
      return ExportCollectedTraces(store->get(), *query, push ? &endpoint.value() : nullptr, flags->Get("output"),
                                   static_cast<size_t>(*cap));
    }
    std::vector<SpanRow> rows;
    if (*run != 0) {
      Result<std::vector<SpanRow>> r = (*store)->RunSpans(*run);
      if (!r.ok()) return Fail("traces export", r.status());
      rows = std::move(r.value());
    } else {
      Result<std::vector<SpanRow>> roots = (*store)->RootSpans(0, false, false, 1 << 30);
      if (!roots.ok()) return Fail("traces export", roots.status());
      for (const SpanRow& root : *roots) {
        Result<std::vector<SpanRow>> t = (*store)->TraceSpans(root.trace_id);
        if (!t.ok()) return Fail("traces export", t.status());
        rows.insert(rows.end(), t->begin(), t->end());
      }
    }
    Resource resource = LlmevalResource(kLlmevalVersion, config->experiment);
    if (push) {
      Result<std::vector<Span>> spans = SpansFromRows(rows);
      if (!spans.ok()) return Fail("traces export", spans.status());
      std::set<std::string> trace_ids;
      for (const SpanRow& row : rows) trace_ids.insert(row.trace_id);
      OtlpBatchLimits limits;
      limits.max_attribute_bytes = static_cast<size_t>(*cap);
      OtlpExportSummary summary = PushOtlpSpans(*spans, resource, *endpoint, limits);
      std::printf("pushed %zu traces (%zu spans) to %s: %zu requests, %zu attempts, %zu retries, %zu failures\n",
                  trace_ids.size(), summary.spans_sent, RedactUrl(endpoint->url).c_str(), summary.requests,
                  summary.attempts, summary.retries, summary.failures);
      if (!summary.ok()) {
        return Fail("traces export",
                    Status::Unavailable(std::to_string(summary.spans_failed + summary.spans_rejected) + " of " +
                                        std::to_string(spans->size()) + " spans not delivered to " +
                                        RedactUrl(endpoint->url) + ": " + summary.first_error));
      }
      return 0;
    }
    std::string out;
    size_t traces = 0;
    for (size_t i = 0; i < rows.size();) {
      size_t j = i;
      while (j < rows.size() && rows[j].trace_id == rows[i].trace_id) ++j;
      Result<std::vector<Span>> spans = SpansFromRows(std::vector<SpanRow>(rows.begin() + i, rows.begin() + j));
      if (!spans.ok()) return Fail("traces export", spans.status());
      out += EncodeOtlpJson(*spans, resource, static_cast<size_t>(*cap)) + "\n";
      ++traces;
      i = j;
    }
    std::string path = flags->Get("output");
    if (path.empty() || path == "-") {
      WriteStdout(out);
      return 0;
    }
    Status s = WriteFileAtomically(path, out);
    if (!s.ok()) return Fail("traces export", s);
    std::fprintf(stderr, "wrote %zu traces to %s\n", traces, path.c_str());
    return 0;
  }
  return Fail("traces", Status::InvalidInput("unknown subcommand '" + pos[0] + "' (list or export)"));
}

}  // namespace llmeval
