// evaluate_traces_bench: the real `llmeval evaluate --traces` over --traces collected traces (default 10,000), as a
// user scores their application's production traces. It writes the traces into a fresh store as `llmeval collect`
// stores them (CollectedSpanWriter: a root span with GenAI input/output messages, an execute_tool span and a chat span
// each, a third of them per convention: GenAI semconv, OpenInference, MLflow), writes a project with two code scorers
// (word_count and contains), then runs `llmeval evaluate --traces all --quiet` in a child and reaps it with wait4;
// then `llmeval monitor --traces all --once` over the same traces (one pass scores them all, a second finds nothing
// new).
//
// Prints per command: items, wall time, items/s, the llmeval process's CPU per item (user + system from wait4's
// rusage: every thread, start-up to exit, the import of the traces into a source run included) and its peak RSS.
//
//   evaluate_traces_bench [--llmeval=PATH] [--traces=10000] [--keep]
//
// Single-threaded (work is done by the child); benchmarks only.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/child_process.h"
#include "core/clock.h"
#include "core/json_writer.h"
#include "engine/store/collected_spans.h"
#include "engine/store/span_rows.h"
#include "tracing/id_generator.h"
#include "tracing/span.h"

namespace llmeval::bench {
namespace {

const char* const kAnswers[] = {
    "A unit test checks one small unit of code, such as a function, in isolation.",
    "Refactoring changes the structure of code without changing its behaviour.",
    "Version control records every change so a team can review, merge and revert work.",
    "No idea.",
};

std::string Messages(const char* role, const std::string& text) {
  JsonWriter w;
  w.BeginArray();
  w.BeginObject();
  w.Field("role", role);
  w.Key("parts");
  w.BeginArray();
  w.BeginObject();
  w.Field("type", "text");
  w.Field("content", text);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.EndArray();
  return w.Take();
}

CollectedSpanRow Row(const Span& span) {
  CollectedSpanRow row;
  row.span = SpanToRow(span);
  row.service_name = "shop";
  row.scope_name = "evaluate_traces_bench";
  row.resource_json = "{\"service.name\":\"shop\"}";
  return row;
}

// One trace of `index`: the convention rotates, the answer too (a quarter answer "No idea.", which both scorers fail).
void AddTrace(IdGenerator* ids, int64_t index, int64_t start_ns, std::vector<CollectedSpanRow>* out) {
  const std::string question = "Question " + std::to_string(index) + ": what does this code do?";
  const std::string answer = kAnswers[index % 4];
  Span root;
  root.trace_id = ids->NewTraceId(start_ns / 1000000);
  root.span_id = ids->NewSpanId();
  root.name = "answer_question";
  root.start_unix_nanos = start_ns;
  root.end_unix_nanos = start_ns + 40000000;
  switch (index % 3) {
    case 0:
      SetAttribute(&root.attributes, "gen_ai.operation.name", std::string("invoke_agent"));
      SetAttribute(&root.attributes, "gen_ai.input.messages", Messages("user", question));
      SetAttribute(&root.attributes, "gen_ai.output.messages", Messages("assistant", answer));
      break;
    case 1:
      SetAttribute(&root.attributes, "openinference.span.kind", std::string("AGENT"));
      SetAttribute(&root.attributes, "input.value", question);
      SetAttribute(&root.attributes, "output.value", answer);
      break;
    default:
      SetAttribute(&root.attributes, "mlflow.spanType", std::string("AGENT"));
      SetAttribute(&root.attributes, "mlflow.spanInputs", "{\"question\":\"" + question + "\"}");
      SetAttribute(&root.attributes, "mlflow.spanOutputs", "\"" + answer + "\"");
  }
  Span tool = root;
  tool.span_id = ids->NewSpanId();
  tool.parent_span_id = root.span_id;
  tool.name = "execute_tool search";
  tool.kind = SpanKind::kInternal;
  tool.start_unix_nanos = start_ns + 1000000;
  tool.end_unix_nanos = start_ns + 6000000;
  tool.attributes.clear();
  SetAttribute(&tool.attributes, "gen_ai.tool.name", std::string("search"));
  SetAttribute(&tool.attributes, "gen_ai.tool.call.arguments", std::string("{\"query\":\"code\"}"));
  Span chat = tool;
  chat.span_id = ids->NewSpanId();
  chat.name = "chat shop-model";
  chat.kind = SpanKind::kClient;
  chat.start_unix_nanos = start_ns + 7000000;
  chat.end_unix_nanos = start_ns + 39000000;
  chat.attributes.clear();
  SetAttribute(&chat.attributes, "gen_ai.request.model", std::string("shop-model"));
  SetAttribute(&chat.attributes, "gen_ai.usage.input_tokens", int64_t{20});
  out->push_back(Row(root));
  out->push_back(Row(tool));
  out->push_back(Row(chat));
}

bool WriteTraces(const std::string& db, int64_t traces) {
  Result<std::unique_ptr<Store>> store = Store::Open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return false;
  }
  CollectedSpanWriter writer(store->get());
  IdGenerator ids(19);
  const int64_t start_ns = Clock::Real()->NowUnixNanos() - 3600 * 1000000000LL;
  std::vector<CollectedSpanRow> batch;
  for (int64_t i = 0; i < traces; ++i) {
    AddTrace(&ids, i, start_ns + i * 1000000, &batch);
    if (batch.size() >= 3000 || i + 1 == traces) {
      Status s = writer.Write(batch, start_ns);
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", s.message().c_str());
        return false;
      }
      batch.clear();
    }
  }
  return true;
}

// `llmeval ARGS` in `dir`; a gate-style exit 1 (a monitor's drop) counts as a run that finished.
MeasuredProcess RunLlmeval(const std::string& llmeval, const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> argv = {llmeval};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunMeasured(argv, dir, {}, dir + "/command.out");
}

bool Finished(const MeasuredProcess& m) { return m.ExitedWith(0) || m.ExitedWith(1); }

void Print(const char* what, int64_t items, const MeasuredProcess& m) {
  std::printf("  %-34s %7lld %8.2f %10.0f %12.1f %12.1f%s\n", what, static_cast<long long>(items), m.wall_s,
              m.wall_s > 0 ? static_cast<double>(items) / m.wall_s : 0,
              items > 0 ? m.cpu_us / static_cast<double>(items) : 0, m.peak_rss_mib,
              Finished(m) ? "" : "  (llmeval failed)");
  if (!Finished(m)) std::fprintf(stderr, "%s\n", m.out.c_str());
}

int Main(int argc, char** argv) {
  BenchFlags flags(argc, argv);
  const std::string llmeval = flags.Get("llmeval", LLMEVAL_BINARY);
  const int64_t traces = flags.GetInt("traces", 10000);
  std::string dir = MakeTempDir("llmeval-evaluate-traces-bench");
  const std::string db = dir + "/llmeval.db";
  if (!WriteText(dir + "/llmeval.yaml",
                 "db: llmeval.db\n"
                 "scorers:\n"
                 "  - {name: enough_words, type: word_count, min: 5}\n"
                 "  - {name: mentions_code, type: contains, value: code}\n")) {
    return 1;
  }
  double start = NowSeconds();
  if (!WriteTraces(db, traces)) return 1;
  std::printf(
      "evaluate_traces_bench: %lld collected traces (3 spans each, GenAI / OpenInference / MLflow) written in "
      "%.2f s; two code scorers\n",
      static_cast<long long>(traces), NowSeconds() - start);
  std::printf("  %-34s %7s %8s %10s %12s %12s\n", "command", "items", "wall s", "items/s", "CPU us/item",
              "peak RSS MiB");
  MeasuredProcess evaluated = RunLlmeval(llmeval, {"evaluate", "--traces", "all", "--quiet"}, dir);
  Print("evaluate --traces all", traces, evaluated);
  MeasuredProcess monitored = RunLlmeval(
      llmeval, {"monitor", "--traces", "all", "--once", "--window", "1000", "--baseline-window", "5000"}, dir);
  Print("monitor --traces all --once", traces, monitored);
  MeasuredProcess again = RunLlmeval(llmeval, {"monitor", "--traces", "all", "--once"}, dir);
  Print("monitor --once (nothing new)", 0, again);
  std::printf("       second monitor pass: %.2f s for %lld traces already scored\n", again.wall_s,
              static_cast<long long>(traces));
  int failures = (Finished(evaluated) ? 0 : 1) + (Finished(monitored) ? 0 : 1) + (Finished(again) ? 0 : 1);
  if (evaluated.out.find("items " + std::to_string(traces)) == std::string::npos) {
    std::fprintf(stderr, "evaluate did not score every trace:\n%s\n", evaluated.out.c_str());
    ++failures;
  }
  RemoveUnlessKept(flags, dir);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace llmeval::bench

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }
