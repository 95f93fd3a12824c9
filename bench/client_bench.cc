// client_bench: the model client alone (OpenAIProvider over CurlTransport) against the simulated model server in a
// separate process over loopback. For each point (concurrency, latency) it keeps `concurrency` calls in flight
// (closed loop: each finished call starts the next) until --calls calls are done, and prints the achieved
// throughput against the ideal (concurrency / latency) and the client's CPU time per request: over the whole point
// (cpu_us/req: connection set-up and teardown included) and over its second half (steady_us: every connection is
// open and warm by then). The server runs in a forked child and each point runs in its own forked child, so
// getrusage there counts the client only.
//
// Usage: client_bench [--calls=N] [--points=64:50,256:200,1024:1000] [--repeats=R] [--engine-transport] [--event]
//   --calls             calls per point (default 5000; the full-size run uses --calls=20000)
//   --repeats           runs per point; the median is printed (default 1)
//   --engine-transport  CurlTransport with its default options (256 connections per host), as ProviderSet builds
//                       it; otherwise the transport allows `concurrency` connections.
//   --event             EventTransport (libevent's evhttp client, what ProviderSet uses for plain http:// to a
//                       numeric host or localhost) instead of CurlTransport.
// Targets: achieved >= 95% of ideal, < 50 us of client CPU per request.
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "engine/http/curl_transport.h"
#include "engine/http/event_transport.h"
#include "engine/os/malloc_tuning.h"
#include "engine/providers/openai_provider.h"

namespace llmeval {
namespace bench {
namespace {

struct Point {
  int concurrency;
  int latency_ms;
};

struct Figures {
  double wall = 0, cpu_us_per_call = 0;
  int64_t calls = 0, errors = 0, rss_kib = 0;
};

// Runs in the measurement child: drives `calls` chat calls with `concurrency` in flight.
std::string MeasureClient(const std::string& base_url, const Point& point, int64_t calls, bool engine_transport,
                          bool event) {
  CurlTransportOptions transport_options;
  if (!engine_transport) {
    transport_options.max_host_connections = point.concurrency;
    transport_options.max_cached_connections = 2L * point.concurrency;
  }
  ProviderConfig config;
  config.name = "bench";
  config.base_url = base_url;
  config.api_key_env = "";
  config.max_concurrency = point.concurrency;
  config.max_attempts = 1;

  std::mutex mu;
  std::condition_variable cv;
  int64_t started = 0, finished = 0, errors = 0;
  int64_t cpu_half = 0, cpu_last = 0;  // Process CPU when half, and all, of the calls had finished.
  int64_t cpu_start = ProcessCpuMicros();
  double wall_start = NowSeconds();
  {
    std::unique_ptr<HttpTransport> transport;
    if (event) {
      transport = std::make_unique<EventTransport>();
    } else {
      transport = std::make_unique<CurlTransport>(transport_options);
    }
    OpenAIProvider provider(config, transport.get());
    std::function<void()> start_one;
    start_one = [&] {
      int64_t n;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (started >= calls) return;
        n = started++;
      }
      ChatRequest request;
      request.model = "sim";
      request.messages.push_back(ChatMessage::System("You are a concise assistant."));
      request.messages.push_back(
          ChatMessage::User("Question " + std::to_string(n) + ": what is a unit test, in two sentences?"));
      request.max_tokens = 200;
      provider.Chat(std::move(request), [&](ChatResult result) {
        start_one();  // Before counting this call: once the count is complete nothing here touches start_one.
        std::lock_guard<std::mutex> lock(mu);
        ++finished;
        if (!result.status.ok() && errors++ == 0) {
          std::fprintf(stderr, "first error: %s\n", result.status.message().c_str());
        }
        // The second half of the calls runs on warm connections: its CPU is the steady-state cost per request.
        if (finished == calls / 2) cpu_half = ProcessCpuMicros();
        if (finished == calls) {
          cpu_last = ProcessCpuMicros();
          cv.notify_all();
        }
      });
    };
    for (int i = 0; i < point.concurrency; ++i) start_one();
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return finished == calls; });
  }
  double wall = NowSeconds() - wall_start;
  int64_t cpu = ProcessCpuMicros() - cpu_start;
  char line[256];
  double steady = static_cast<double>(cpu_last - cpu_half) / static_cast<double>(calls - calls / 2);
  std::snprintf(line, sizeof line, "%.6f %.3f %.3f %lld %lld %lld", wall, static_cast<double>(cpu) / calls, steady,
                static_cast<long long>(calls), static_cast<long long>(errors), static_cast<long long>(PeakRssKiB()));
  return line;
}

}  // namespace
}  // namespace bench
}  // namespace llmeval

int main(int argc, char** argv) {
  using namespace llmeval::bench;
  llmeval::TuneMallocForThroughput();  // As the llmeval binary does.
  BenchFlags flags(argc, argv);
  int64_t calls = flags.GetInt("calls", 5000);
  int repeats = static_cast<int>(flags.GetInt("repeats", 1));
  bool engine_transport = flags.Has("engine-transport");
  bool event = flags.Has("event");
  std::vector<Point> points;
  std::string spec = flags.Get("points", "64:50,256:200,1024:1000");
  for (size_t start = 0; start < spec.size();) {
    size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    std::string item = spec.substr(start, comma - start);
    size_t colon = item.find(':');
    if (colon != std::string::npos) points.push_back({std::atoi(item.c_str()), std::atoi(item.c_str() + colon + 1)});
    start = comma + 1;
  }
  std::printf(
      "client_bench: OpenAIProvider over %s -> sim server (separate process), %lld calls/point, "
      "%d run(s)/point (median), transport: %s\n",
      event ? "EventTransport" : "CurlTransport", static_cast<long long>(calls), repeats,
      event ? "one connection per call in flight"
            : (engine_transport ? "engine defaults" : "connections = concurrency"));
  std::printf("%6s %8s %8s %9s %10s %10s %7s %10s %9s %8s %7s %9s\n", "conc", "lat_ms", "calls", "wall_s", "achieved/s",
              "ideal/s", "ratio", "cpu_us/req", "steady_us", "srv_us", "errors", "rss_KiB");
  int status = 0;
  for (const Point& point : points) {
    std::vector<double> walls, cpus, steadies, server_cpus;
    int64_t errors = 0, rss = 0;
    for (int r = 0; r < repeats; ++r) {
      ServerProcess server;
      if (!server.Start(point.latency_ms)) return 1;
      std::string out =
          RunInChild([&] { return MeasureClient(server.base_url(), point, calls, engine_transport, event); });
      int64_t server_cpu = server.Stop();
      double wall = 0, cpu = 0, steady = 0;
      long long n = 0, e = 0, kib = 0;
      if (std::sscanf(out.c_str(), "%lf %lf %lf %lld %lld %lld", &wall, &cpu, &steady, &n, &e, &kib) != 6) {
        status = 1;
        continue;
      }
      walls.push_back(wall);
      cpus.push_back(cpu);
      steadies.push_back(steady);
      server_cpus.push_back(static_cast<double>(server_cpu) / calls);
      errors += e;
      rss = std::max<int64_t>(rss, kib);
    }
    if (walls.empty()) continue;
    double wall = Median(walls);
    double achieved = calls / wall;
    double ideal = point.concurrency / (point.latency_ms / 1000.0);
    std::printf("%6d %8d %8lld %9.2f %10.0f %10.0f %6.1f%% %10.1f %9.1f %8.1f %7lld %9lld\n", point.concurrency,
                point.latency_ms, static_cast<long long>(calls), wall, achieved, ideal, 100 * achieved / ideal,
                Median(cpus), Median(steadies), Median(server_cpus), static_cast<long long>(errors),
                static_cast<long long>(rss));
    std::fflush(stdout);
  }
  return status;
}
