// run_bench: the whole engine (ExecuteRun: read, render, call, parse, score, trace, store) against the simulated
// model. Generates a dataset CSV and a prompt in a temporary directory and builds the project config in code: one
// prompt, the model and judge on a provider pointing at a sim server running in a separate forked process (latency
// L, loopback), two built-in word_count scorers and, where asked, one guidelines judge. Every measurement runs in a
// fresh forked child, so its getrusage (CPU time, ru_maxrss) is the engine's alone, per measurement.
//
// Sections (--sections=a,b,c,d; default all):
//   a  throughput vs ideal (concurrency / latency) at 256 / 200 ms and 1024 / 1 s; one model call per item
//   b  engine CPU time per item (process CPU / items) from the section-a runs, one at 64 / 20 ms and one saturated
//      (64 / 0 ms: the engine always has work, so no thread sleeps between items); every row also shows the CPU of
//      the same run over one item (fixed_s: store open, setup, summary) and the marginal CPU per item beyond it
//      (marg_us/it)
//   c  peak RSS for --small-rows vs --big-rows with the in-process `sim` model (no HTTP; the memory of the engine)
//   d  the small-suite shape: model + judge + two scorers, 50 ms, concurrency 4, 32, 128 for each of --suite-items
// Flags: --items=N (section a, default 4000; full size 20000), --small-rows=10000 --big-rows=N (default 100000; full
// size 1000000), --suite-items=1000[,10000], --repeats=R (median of R runs, default 1), --no-cache.
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "engine/os/malloc_tuning.h"
#include "engine/run/runner.h"

namespace llmeval {
namespace bench {
namespace {

bool WriteDataset(const std::string& path, int64_t rows) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  static const char* const kTopics[] = {"unit testing", "code review", "refactoring", "continuous integration",
                                        "dependency injection"};
  std::fputs("id,Category,Question\n", f);
  for (int64_t i = 0; i < rows; ++i) {
    std::fprintf(f, "q%lld,se,\"Explain %s in software engineering (case %lld), briefly.\"\n",
                 static_cast<long long>(i), kTopics[i % 5], static_cast<long long>(i));
  }
  return std::fclose(f) == 0;
}

struct Setup {
  std::string dir;
  std::string base_url;  // "" = the in-process sim model.
  int concurrency = 16;
  bool judge = false;
  bool cache = true;
  bool generate_only = false;
};

ProjectConfig MakeConfig(const Setup& s, const std::string& dataset, const std::string& db) {
  ProjectConfig c = DefaultProjectConfig(s.dir);
  c.dataset = dataset;
  c.prompts_dir = s.dir + "/prompts";
  c.prompts = {"answer"};
  c.db = db;
  c.concurrency = s.concurrency;
  c.cache = s.cache;
  c.max_tokens = 300;
  if (!s.base_url.empty()) {
    ProviderSettings p;
    p.name = "bench";
    p.base_url = s.base_url;
    p.max_concurrency = s.concurrency;
    p.max_attempts = 1;
    c.providers["bench"] = p;
    c.models = {"bench:sim"};
    c.judge = "bench:sim";
  } else {
    c.models = {"sim"};
    c.judge = "sim";
  }
  c.scorers.push_back({"enough_words", "word_count", "{\"min\":5}", 1, {}});
  c.scorers.push_back({"not_too_many_words", "word_count", "{\"max\":1000}", 2, {}});
  if (s.judge) {
    c.scorers.push_back({"english", "guidelines", "{\"guidelines\":[\"The answer should be in English.\"]}", 3, {}});
  }
  return c;
}

struct Figures {
  double wall = 0, cpu_s = 0;
  int64_t items = 0, errors = 0, rss_kib = 0;
  double fixed_cpu_s = -1;  // CPU of the same run over one item (store open, setup, summary); -1 when not measured.
};

// Runs one evaluation in a forked child; `dataset` has at least `items` rows.
Figures Measure(const Setup& setup, const std::string& dataset, int64_t items) {
  static int counter = 0;
  std::string db = setup.dir + "/run" + std::to_string(++counter) + ".db";
  std::string out = RunInChild([&] {
    ProjectConfig config = MakeConfig(setup, dataset, db);
    RunOptions options;
    options.limit = items;
    options.generate_only = setup.generate_only;
    CountingObserver observer;
    std::atomic<int> interrupts{0};
    ThreadCpuSampler threads;
    int64_t cpu_start = ProcessCpuMicros();
    double start = NowSeconds();
    Result<RunOutcome> outcome = ExecuteRun(config, options, &observer, &interrupts);
    double wall = NowSeconds() - start;
    int64_t cpu_micros = ProcessCpuMicros() - cpu_start;
    std::string per_thread = threads.Stop();
    double cpu = static_cast<double>(cpu_micros - threads.own_cpu_micros()) / 1e6;  // The engine's CPU alone.
    if (items > 1) std::fprintf(stderr, "    threads (CPU by name): %s\n", per_thread.c_str());
    if (!outcome.ok()) {
      std::fprintf(stderr, "run failed: %s\n", outcome.status().message().c_str());
      return std::string();
    }
    char line[256];
    std::snprintf(line, sizeof line, "%.6f %.6f %lld %lld %lld", wall, cpu, static_cast<long long>(observer.items),
                  static_cast<long long>(observer.errors), static_cast<long long>(PeakRssKiB()));
    return std::string(line);
  });
  RemoveTree(db);
  std::remove((db + "-wal").c_str());
  std::remove((db + "-shm").c_str());
  Figures f;
  long long n = 0, e = 0, kib = 0;
  if (std::sscanf(out.c_str(), "%lf %lf %lld %lld %lld", &f.wall, &f.cpu_s, &n, &e, &kib) == 5) {
    f.items = n;
    f.errors = e;
    f.rss_kib = kib;
  }
  return f;
}

// The median (by wall time) of `repeats` measurements, each with a fresh server process when `latency_ms` >= 0.
Figures MeasureMedian(Setup setup, const std::string& dataset, int64_t items, int latency_ms, int repeats) {
  std::vector<Figures> runs;
  for (int r = 0; r < repeats; ++r) {
    ServerProcess server;
    if (latency_ms >= 0) {
      if (!server.Start(latency_ms)) break;
      setup.base_url = server.base_url();
    }
    runs.push_back(Measure(setup, dataset, items));
  }
  if (runs.empty()) return {};
  std::sort(runs.begin(), runs.end(), [](const Figures& a, const Figures& b) { return a.wall < b.wall; });
  Figures median = runs[runs.size() / 2];
  // The same run over one item: its CPU is the fixed cost of a run, so the per-item cost can be shown without it.
  ServerProcess server;
  if (latency_ms < 0 || server.Start(latency_ms)) {
    if (latency_ms >= 0) setup.base_url = server.base_url();
    Figures one = Measure(setup, dataset, 1);
    if (one.items == 1) median.fixed_cpu_s = one.cpu_s;
  }
  return median;
}

void PrintHeader() {
  std::printf("  %6s %6s %7s %6s %8s %9s %9s %7s %8s %10s %8s %10s %7s %8s\n", "conc", "lat_ms", "items", "calls",
              "wall_s", "ideal_s", "items/s", "ratio", "cpu_s", "cpu_us/it", "fixed_s", "marg_us/it", "errors",
              "rss_MiB");
}

void PrintRow(int concurrency, int latency_ms, int calls_per_item, const Figures& f) {
  double ideal = latency_ms > 0 ? static_cast<double>(f.items) * calls_per_item * latency_ms / 1000.0 / concurrency : 0;
  // Marginal: CPU beyond the fixed cost of a run, per item after the first.
  double marginal = f.fixed_cpu_s >= 0 && f.items > 1 ? (f.cpu_s - f.fixed_cpu_s) * 1e6 / (f.items - 1) : 0;
  std::printf("  %6d %6d %7lld %6d %8.2f %9.2f %9.0f %6.1f%% %8.2f %10.1f %8.3f %10.1f %7lld %8.1f\n", concurrency,
              latency_ms, static_cast<long long>(f.items), calls_per_item, f.wall, ideal,
              f.wall > 0 ? f.items / f.wall : 0, f.wall > 0 && ideal > 0 ? 100 * ideal / f.wall : 0, f.cpu_s,
              f.items > 0 ? f.cpu_s * 1e6 / f.items : 0, f.fixed_cpu_s, marginal, static_cast<long long>(f.errors),
              f.rss_kib / 1024.0);
  std::fflush(stdout);
}

}  // namespace
}  // namespace bench
}  // namespace llmeval

int main(int argc, char** argv) {
  using namespace llmeval::bench;
  llmeval::TuneMallocForThroughput();  // As the llmeval binary does.
  BenchFlags flags(argc, argv);
  std::string sections = flags.Get("sections", "a,b,c,d");
  int64_t items = flags.GetInt("items", 4000);
  int64_t small_rows = flags.GetInt("small-rows", 10000);
  int64_t big_rows = flags.GetInt("big-rows", 100000);
  std::vector<int64_t> suite_items = flags.GetInts("suite-items", {1000});
  int repeats = static_cast<int>(flags.GetInt("repeats", 1));
  bool cache = !flags.Has("no-cache");

  std::string dir = MakeTempDir("run_bench");
  std::string mkdir_prompts = dir + "/prompts";
  if (dir.empty() || mkdir(mkdir_prompts.c_str(), 0755) != 0 ||
      !WriteText(mkdir_prompts + "/answer.txt", "Answer the exam question below in a few sentences.\n\n{question}\n")) {
    std::fprintf(stderr, "cannot set up %s\n", dir.c_str());
    return 1;
  }
  int64_t max_rows = std::max<int64_t>(items, 2000);
  for (int64_t n : suite_items) max_rows = std::max(max_rows, n);
  std::string dataset = dir + "/questions.csv";
  if (!WriteDataset(dataset, max_rows)) return 1;
  std::printf(
      "run_bench: ExecuteRun against a sim server in another process; %d run(s) per figure (median by wall); "
      "response cache %s; temp dir %s\n",
      repeats, cache ? "on" : "off", dir.c_str());
  Setup base;
  base.dir = dir;
  base.cache = cache;

  if (sections.find('a') != std::string::npos || sections.find('b') != std::string::npos) {
    std::printf("\n(a, b) throughput vs ideal and engine CPU per item: 1 model call + 2 word_count scorers per item\n");
    PrintHeader();
    struct P {
      int conc, lat;
      int64_t n;
    };
    std::vector<P> points;
    if (sections.find('a') != std::string::npos) points = {{256, 200, items}, {1024, 1000, items}};
    if (sections.find('b') != std::string::npos) {
      points.push_back({64, 20, std::min<int64_t>(items, 4000)});
      // Saturated: the sim server answers at once, so the engine never waits for work and its CPU per item is the
      // cost of the work itself, without the wake-ups a thread pays each time it sleeps between items.
      points.push_back({64, 0, items});
    }
    for (const P& p : points) {
      Setup s = base;
      s.concurrency = p.conc;
      PrintRow(p.conc, p.lat, 1, MeasureMedian(s, dataset, p.n, p.lat, repeats));
    }
  }
  if (sections.find('c') != std::string::npos) {
    std::printf(
        "\n(c) peak RSS, in-process `sim` model (no HTTP), concurrency 256, 1 model call + 2 scorers per item\n");
    std::string big = dir + "/big.csv";
    if (!WriteDataset(big, big_rows)) return 1;
    PrintHeader();
    for (int64_t rows : {small_rows, big_rows}) {
      Setup s = base;
      s.concurrency = 256;
      PrintRow(256, 0, 1, MeasureMedian(s, big, rows, -1, 1));
    }
    std::remove(big.c_str());
  }
  if (sections.find('d') != std::string::npos) {
    std::printf("\n(d) small suite: 1 model call + 1 judge call + 2 word_count scorers per item, 50 ms latency\n");
    PrintHeader();
    for (int64_t n : suite_items) {
      for (int conc : {4, 32, 128}) {
        Setup s = base;
        s.concurrency = conc;
        s.judge = true;
        PrintRow(conc, 50, 2, MeasureMedian(s, dataset, n, 50, repeats));
      }
    }
  }
  RemoveTree(dir);
  return 0;
}
