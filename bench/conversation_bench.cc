// conversation_bench: simulated conversations through the whole engine (ExecuteRun in `user_simulator` mode): N
// conversations of exactly T turns (stop_on_goal off, max_turns T), the model under test and the simulated user both
// on a provider pointing at a sim server in a separate forked process (latency L, loopback), concurrency C. Each
// conversation is 2*T calls one after another (the user's message, then the model's answer), so the ideal wall time
// is N * 2T * L / C (the pool always full); the ratio printed is ideal / measured
// (1.0 is perfect). CPU per turn is this process's CPU (the engine alone; the server runs in its own process) over
// N * T turns.
// Flags: --conversations=1000 --turns=5 --concurrency=128 --latency-ms=50.
#include <atomic>
#include <cstdio>
#include <string>

#include "bench/bench_util.h"
#include "engine/os/malloc_tuning.h"
#include "engine/run/runner.h"

namespace llmeval {
namespace bench {
namespace {

int Main(int argc, char** argv) {
  TuneMallocForThroughput();
  BenchFlags flags(argc, argv);
  const int64_t conversations = flags.GetInt("conversations", 1000);
  const int64_t turns = flags.GetInt("turns", 5);
  const int64_t concurrency = flags.GetInt("concurrency", 128);
  const int64_t latency_ms = flags.GetInt("latency-ms", 50);
  static const char* const kGoals[] = {"understand unit testing", "learn how code review works",
                                       "see why refactoring matters", "set up continuous integration",
                                       "use dependency injection well"};
  std::string dir = MakeTempDir("llmeval-conversation-bench");
  std::string rows;
  for (int64_t i = 0; i < conversations; ++i) {
    rows += "{\"id\": \"c" + std::to_string(i) + "\", \"goal\": \"" + kGoals[i % 5] + " (case " + std::to_string(i) +
            ")\"}\n";
  }
  std::string prompts = dir + "/prompts";
  if (!WriteText(dir + "/convs.jsonl", rows) || std::system(("mkdir -p " + prompts).c_str()) != 0 ||
      !WriteText(prompts + "/tutor.txt", "You are a patient software-engineering tutor. Be brief.\n")) {
    std::fprintf(stderr, "cannot write the bench files under %s\n", dir.c_str());
    return 1;
  }
  ServerProcess server;
  if (!server.Start(static_cast<int>(latency_ms))) return 1;

  ProjectConfig c = DefaultProjectConfig(dir);
  c.dataset = dir + "/convs.jsonl";
  c.id_column = "id";
  c.prompts_dir = prompts;
  c.prompts = {"tutor"};
  c.db = dir + "/bench.db";
  c.concurrency = static_cast<int>(concurrency);
  c.cache = false;
  c.max_tokens = 200;
  ProviderSettings p;
  p.name = "bench";
  p.base_url = server.base_url();
  p.max_concurrency = static_cast<int>(concurrency);
  p.max_attempts = 1;
  c.providers["bench"] = p;
  c.models = {"bench:sim"};
  c.judge = "bench:sim";
  c.conversation.mode = "simulate";
  c.conversation.simulator_model = "bench:sim";
  c.conversation.max_turns = static_cast<int>(turns);
  c.conversation.stop_on_goal = false;
  c.scorers.push_back({"enough_words", "word_count", "{\"min\":5}", 1, {}});

  RunOptions options;
  CountingObserver observer;
  std::atomic<int> interrupts{0};
  int64_t cpu_start = ProcessCpuMicros();
  double start = NowSeconds();
  Result<RunOutcome> outcome = ExecuteRun(c, options, &observer, &interrupts);
  double wall = NowSeconds() - start;
  double cpu = static_cast<double>(ProcessCpuMicros() - cpu_start) / 1e6;
  server.Stop();
  RemoveTree(dir);
  if (!outcome.ok()) {
    std::fprintf(stderr, "run failed: %s\n", outcome.status().message().c_str());
    return 1;
  }
  double calls = static_cast<double>(conversations) * 2.0 * static_cast<double>(turns);
  double ideal = calls * static_cast<double>(latency_ms) / 1000.0 / static_cast<double>(concurrency);
  double all_turns = static_cast<double>(conversations) * static_cast<double>(turns);
  std::printf("conversation_bench: %lld conversations x %lld turns, concurrency %lld, sim server latency %lld ms\n",
              static_cast<long long>(conversations), static_cast<long long>(turns), static_cast<long long>(concurrency),
              static_cast<long long>(latency_ms));
  std::printf("  items %lld  errors %lld  not ending at max_turns %lld\n", static_cast<long long>(observer.items),
              static_cast<long long>(observer.errors), static_cast<long long>(observer.items - observer.max_turns));
  // Whole waves of C conversations: the last partial wave takes as long as a full one.
  double waves = static_cast<double>((conversations + concurrency - 1) / concurrency);
  double wave_ideal = waves * 2.0 * static_cast<double>(turns) * static_cast<double>(latency_ms) / 1000.0;
  std::printf("  wall %.2f s  ideal %.2f s  ratio to ideal %.3f (target >= 0.9)\n", wall, ideal, ideal / wall);
  std::printf("  in whole waves of %lld: ideal %.2f s, ratio %.3f\n", static_cast<long long>(concurrency), wave_ideal,
              wave_ideal / wall);
  std::printf("  engine CPU %.2f s  = %.0f us per turn (%.0f us per call)\n", cpu, cpu * 1e6 / all_turns,
              cpu * 1e6 / calls);
  return observer.errors == 0 && observer.items == conversations ? 0 : 1;
}

}  // namespace
}  // namespace bench
}  // namespace llmeval

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }
