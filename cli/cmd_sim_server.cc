// `llmeval sim-server`: the simulated model behind an OpenAI-compatible HTTP API, for dry runs and benchmarks. It
// prints the bound port on its first line and serves until interrupted, or until --exit-after seconds pass.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "engine/sim/sim_server.h"

namespace llmeval {
namespace {

std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop = true; }

}  // namespace

int CmdSimServer(const Args& args) {
  std::vector<FlagSpec> specs = {
      {"host", true, "address to bind (default 127.0.0.1)", ""},
      {"port", true, "port to bind; 0 picks a free one (default 0)", ""},
      {"latency-ms", true, "added latency per response (default 0)", ""},
      {"jitter-ms", true, "random extra latency up to this (default 0)", ""},
      {"faults", true,
       "fault spec, e.g. '429=5%,500=2%,drop@50' (kinds: 429 500 503 slow drop malformed truncated "
       "empty_choices length)",
       ""},
      {"slow-ms", true, "how long a 'slow' fault holds the response (default 30000)", ""},
      {"seed", true, "seed for answers, jitter and faults (default 0)", ""},
      {"exit-after", true, "stop by itself after this many seconds (default: run until Ctrl-C)", ""},
      {"help", false, "show this help", ""},
  };
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("sim-server", flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval sim-server [flags]",
                     "Serves POST /v1/chat/completions (JSON and stream:true SSE) and GET /v1/models with the "
                     "deterministic simulated model. A request header X-Sim-Fault: KIND forces a fault; "
                     "X-Sim-Latency-Ms sets the latency of one request.",
                     specs);
    return 0;
  }
  SimServerOptions options;
  options.host = flags->Get("host", "127.0.0.1");
  Result<int64_t> port = flags->GetInt("port", 0, 0);
  Result<int64_t> latency = flags->GetInt("latency-ms", 0, 0);
  Result<int64_t> jitter = flags->GetInt("jitter-ms", 0, 0);
  Result<int64_t> slow = flags->GetInt("slow-ms", 30000, 0);
  Result<int64_t> seed = flags->GetInt("seed", 0, 0);
  Result<int64_t> exit_after = flags->GetInt("exit-after", 0, 1);
  for (const Status& s :
       {port.status(), latency.status(), jitter.status(), slow.status(), seed.status(), exit_after.status()}) {
    if (!s.ok()) return Fail("sim-server", s);
  }
  if (*port > 65535) return Fail("sim-server", Status::InvalidInput("--port must be at most 65535"));
  options.port = static_cast<int>(*port);
  options.latency_ms = static_cast<int>(*latency);
  options.jitter_ms = static_cast<int>(*jitter);
  options.slow_ms = static_cast<int>(*slow);
  options.seed = static_cast<uint64_t>(*seed);
  options.faults = flags->Get("faults");
  SimServer server(options);
  Status s = server.Start();
  if (!s.ok()) return Fail("sim-server", s);
  std::printf("%d\n", server.port());
  std::fprintf(stderr, "llmeval sim-server: listening on http://%s:%d/v1 (Ctrl-C to stop)\n", options.host.c_str(),
               server.port());
  std::fflush(stdout);
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*exit_after);
  while (!g_stop) {
    if (*exit_after > 0 && std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server.Stop();
  SimServer::Counters c = server.counters();
  std::fprintf(stderr, "llmeval sim-server: served %llu requests (%llu faults, %llu streams, at most %llu in flight)\n",
               static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.faults),
               static_cast<unsigned long long>(c.streams), static_cast<unsigned long long>(c.max_in_flight));
  return 0;
}

}  // namespace llmeval
