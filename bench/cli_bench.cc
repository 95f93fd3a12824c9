// cli_bench: the real `llmeval` binary end to end, as a new user runs it. It starts `llmeval sim-server` in a child
// process (50 ms latency), writes a project with a generated CSV of --items rows (default 10,000), one prompt, the
// default `openai` provider reached through OPENAI_BASE_URL with no provider settings, one guideline judge and two
// word-count scorers, then runs `llmeval run --no-cache --concurrency 128` in a child and reaps it with wait4.
//
// Prints wall time, the ideal (items x 2 calls x latency / concurrency), ratio = ideal / wall, the llmeval process's
// CPU per item (user + system from wait4's rusage: every thread, the whole run from start-up to the summary), its
// peak RSS, and the most requests the server saw in flight at once. Targets on 2 cores: ratio >= 0.95, CPU <= 120 us
// per item, peak RSS <= 48 MiB.
//
//   cli_bench [--llmeval=PATH] [--server=PATH] [--items=10000] [--concurrency=128] [--latency-ms=50] [--runs=1]
//   [--keep]
//
// Both PATHs default to the llmeval built with this bench (--server runs the sim server, so a binary built before
// the server could count requests in flight is measured against the same server). The project lives in a fresh
// directory under /tmp, removed at the end (--keep leaves it, with the run's output in run.out). Single-threaded;
// benchmarks only.
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

const char* const kTopics[] = {
    "a hash table",         "a mutex",   "a B-tree",           "TCP slow start",    "a bloom filter",
    "eventual consistency", "a closure", "garbage collection", "a write-ahead log", "dependency injection"};

bool WriteProject(const std::string& dir, int64_t items) {
  std::string csv = "category,question\n";
  csv.reserve(static_cast<size_t>(items) * 48);
  for (int64_t i = 0; i < items; ++i) {
    csv +=
        "topic" + std::to_string(i % 10) + ",What is " + kTopics[i % 10] + "? (question " + std::to_string(i) + ")\n";
  }
  return WriteText(dir + "/questions.csv", csv) && mkdir((dir + "/prompts").c_str(), 0755) == 0 &&
         WriteText(dir + "/prompts/basic.txt", "Category: {category}\nQuestion: {question}\nAnswer clearly.\n") &&
         WriteText(dir + "/llmeval.yaml",
                   "dataset: questions.csv\n"
                   "prompt: basic\n"
                   "model: openai:sim\n"
                   "judge: openai:sim\n"
                   "scorers:\n"
                   "  - {name: enough_words, type: word_count, min: 10}\n"
                   "  - {name: not_too_many_words, type: word_count, max: 1000}\n"
                   "  - name: english\n"
                   "    type: guidelines\n"
                   "    guidelines: [\"The answer should be in English.\"]\n");
}

int Main(int argc, char** argv) {
  BenchFlags flags(argc, argv);
  const std::string llmeval = flags.Get("llmeval", LLMEVAL_BINARY);
  const std::string server_binary = flags.Get("server", LLMEVAL_BINARY);  // Same server for every binary measured.
  const int64_t items = flags.GetInt("items", 10000);
  const int64_t concurrency = flags.GetInt("concurrency", 128);
  const int64_t latency_ms = flags.GetInt("latency-ms", 50);
  const int64_t runs = flags.GetInt("runs", 1);
  const double ideal =
      static_cast<double>(items) * 2 * static_cast<double>(latency_ms) / 1000.0 / static_cast<double>(concurrency);
  std::printf("cli_bench: %s run --no-cache --concurrency %lld, %lld items x (1 model + 1 judge call), %lld ms\n",
              llmeval.c_str(), static_cast<long long>(concurrency), static_cast<long long>(items),
              static_cast<long long>(latency_ms));
  std::printf("  %4s %8s %8s %6s %12s %12s %14s\n", "run", "wall s", "ideal s", "ratio", "CPU us/item", "peak RSS MiB",
              "server in-flight");
  int failures = 0;
  for (int64_t run = 1; run <= runs; ++run) {
    std::string dir = MakeTempDir("llmeval-cli-bench");
    if (!WriteProject(dir, items)) {
      std::fprintf(stderr, "cannot write the project in %s\n", dir.c_str());
      return 1;
    }
    SimServerChild server;
    if (!server.Start(server_binary, latency_ms)) return 1;
    MeasuredProcess m = RunMeasured({llmeval, "run", "--no-cache", "--concurrency", std::to_string(concurrency)}, dir,
                                    {"OPENAI_BASE_URL=http://127.0.0.1:" + server.port() + "/v1"}, dir + "/run.out");
    std::string server_max = server.Stop();
    bool ok = m.ExitedWith(0);
    PrintRatioRow(run, m, ideal, items, server_max, ok, "  (llmeval failed)");
    std::string in_flight = LineWith(m.out, "In flight at most");
    if (!in_flight.empty()) std::printf("       llmeval: %s\n", in_flight.c_str());
    if (!ok) ++failures;
    RemoveUnlessKept(flags, dir);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace llmeval::bench

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }
