// target_bench: `llmeval run --target` through an HTTP target at high concurrency, as the benchmark asks:
// --items rows (default 10,000) at --concurrency 256 against a loopback application with 200 ms latency. The
// application is `llmeval sim-server --latency-ms 200` in a child process (an OpenAI-compatible endpoint; the target's
// body template and response pointers map its chat completions, the way a user maps their own service), and the run
// is the real `llmeval` binary in a child reaped with wait4, one word-count scorer, --no-cache. The run's OTLP
// receiver for the app's spans is on as in every target run (the sim app sends none, so no item waits).
//
// Prints wall time, the ideal (items x latency / concurrency), ratio = ideal / wall (target >= 0.95), the llmeval
// process's CPU per item (user + system from wait4: every thread, start-up to summary), its peak RSS and the most
// requests the app saw in flight at once.
//
//   target_bench [--llmeval=PATH] [--items=10000] [--concurrency=256] [--latency-ms=200] [--runs=1] [--keep]
//
// Single-threaded; benchmarks only. The project lives in a fresh directory under /tmp, removed unless --keep.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "bench/child_process.h"

namespace llmeval::bench {
namespace {

bool WriteProject(const std::string& dir, int64_t items, int64_t concurrency) {
  std::string csv = "question\n";
  csv.reserve(static_cast<size_t>(items) * 40);
  for (int64_t i = 0; i < items; ++i) csv += "What is item " + std::to_string(i) + " about?\n";
  return WriteText(dir + "/questions.csv", csv) &&
         WriteText(dir + "/llmeval.yaml",
                   "dataset: questions.csv\n"
                   "targets:\n"
                   "  app:\n"
                   "    kind: http\n"
                   "    url: http://127.0.0.1:${APP_PORT}/v1/chat/completions\n"
                   "    body: {model: sim, messages: [{role: user, content: \"{question}\"}]}\n"
                   "    response: {answer: /choices/0/message/content, input_tokens: /usage/prompt_tokens, "
                   "output_tokens: /usage/completion_tokens}\n"
                   "    max_concurrency: " +
                       std::to_string(concurrency) +
                       "\n"
                       "scorers:\n"
                       "  - {name: enough_words, type: word_count, min: 10}\n");
}

int Main(int argc, char** argv) {
  BenchFlags flags(argc, argv);
  const std::string llmeval = flags.Get("llmeval", LLMEVAL_BINARY);
  const int64_t items = flags.GetInt("items", 10000);
  const int64_t concurrency = flags.GetInt("concurrency", 256);
  const int64_t latency_ms = flags.GetInt("latency-ms", 200);
  const int64_t runs = flags.GetInt("runs", 1);
  const double ideal =
      static_cast<double>(items) * static_cast<double>(latency_ms) / 1000.0 / static_cast<double>(concurrency);
  std::printf(
      "target_bench: %s run --target app (http) --no-cache --concurrency %lld, %lld items, app latency %lld ms\n",
      llmeval.c_str(), static_cast<long long>(concurrency), static_cast<long long>(items),
      static_cast<long long>(latency_ms));
  std::printf("  %4s %8s %8s %6s %12s %12s %14s\n", "run", "wall s", "ideal s", "ratio", "CPU us/item", "peak RSS MiB",
              "app in-flight");
  int failures = 0;
  for (int64_t run = 1; run <= runs; ++run) {
    std::string dir = MakeTempDir("llmeval-target-bench");
    if (!WriteProject(dir, items, concurrency)) {
      std::fprintf(stderr, "cannot write the project in %s\n", dir.c_str());
      return 1;
    }
    SimServerChild server;
    if (!server.Start(llmeval, latency_ms)) return 1;
    MeasuredProcess m =
        RunMeasured({llmeval, "run", "--target", "app", "--no-cache", "--concurrency", std::to_string(concurrency)},
                    dir, {"APP_PORT=" + server.port()}, dir + "/run.out");
    std::string server_max = server.Stop();
    bool ok = m.ExitedWith(0) && m.out.find("errors 0") != std::string::npos;
    PrintRatioRow(run, m, ideal, items, server_max, ok, "  (llmeval failed or items errored)");
    if (!ok) ++failures;
    RemoveUnlessKept(flags, dir);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace llmeval::bench

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }
