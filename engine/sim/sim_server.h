// SimServer: the simulated model (engine/sim/sim_model.h) behind a real OpenAI-compatible HTTP endpoint, for demos,
// client tests and benchmarks. Built on libevent's evhttp with one event-loop thread; HTTP keep-alive is on.
//
// Routes:
//   POST /v1/chat/completions (also /chat/completions)  SimulateChat; plain JSON, or server-sent events with chunked
//                                                        transfer when the body sets "stream": true
//   GET  /v1/models (also /models)                       lists the model "sim"
//   anything else                                        404 with an OpenAI-style JSON error body
// A body that is not a valid request gets 400 with {"error": {"message", "type": "invalid_request_error", ...}}.
//
// Latency: each chat reply waits latency_ms plus a deterministic jitter in [0, jitter_ms]; a request header
// "X-Sim-Latency-Ms: N" replaces both for that request. Waits use libevent timers, never a sleeping thread, so
// thousands of concurrent connections are served by the one loop. Faults (engine/sim/fault_spec.h) come from `faults`
// or, per request, from the header "X-Sim-Fault: <kind>"; "slow" holds the reply for slow_ms.
//
// Start and Stop may be called from any thread (Stop waits for the loop thread to finish); the destructor stops.
// counters() is safe from any thread at any time.
#ifndef LLMEVAL_ENGINE_SIM_SIM_SERVER_H_
#define LLMEVAL_ENGINE_SIM_SIM_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"

namespace llmeval {

struct SimServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port; read it back with port().
  int latency_ms = 0;
  int jitter_ms = 0;
  std::string faults;  // A fault spec, e.g. "429=5%,503@7"; empty: none.
  uint64_t seed = 0;   // Seeds SimulateChat, the jitter and the fault choices.
  int slow_ms = 30000;
};

class SimServer {
 public:
  explicit SimServer(SimServerOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Binds and starts the loop thread. InvalidInput for a bad fault spec or option, IOError when it cannot bind.
  // Calling Start on a running server does nothing.
  Status Start();

  // The bound port; valid after a successful Start.
  int port() const;

  // Stops the loop and closes every connection; pending replies are dropped. Safe to call twice.
  void Stop();

  struct Counters {
    uint64_t requests = 0;       // Every HTTP request received.
    uint64_t faults = 0;         // Chat requests answered with an injected fault.
    uint64_t streams = 0;        // Chat requests answered as a stream.
    uint64_t bad_requests = 0;   // 400 and 404 answers.
    uint64_t in_flight = 0;      // Requests received and not yet answered (waiting for their latency included).
    uint64_t max_in_flight = 0;  // The most requests in flight at once: what concurrency the clients achieved.
  };
  Counters counters() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_SERVER_H_
