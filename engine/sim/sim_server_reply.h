// What the simulated server (engine/sim/sim_server.h) answers to one HTTP request, decided without any IO: routing,
// request decoding, fault choice, latency, and the encoded body or stream events. The server only moves the bytes. Pure
// given its inputs; not thread-safe only in that `chat_counter` is updated (the server owns it on its loop thread).
#ifndef LLMEVAL_ENGINE_SIM_SIM_SERVER_REPLY_H_
#define LLMEVAL_ENGINE_SIM_SIM_SERVER_REPLY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sim/fault_spec.h"
#include "engine/sim/sim_server.h"

namespace llmeval {

struct SimHttpRequest {
  std::string_view method;  // "GET", "POST", ...
  std::string_view path;    // Without the query string.
  std::string_view body;
  const char* fault_header = nullptr;    // X-Sim-Fault, or null.
  const char* latency_header = nullptr;  // X-Sim-Latency-Ms, or null.
};

struct SimReply {
  enum class Kind { kBody, kStream, kDrop };
  Kind kind = Kind::kBody;
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // Extra response headers.
  std::string body;                                          // kBody.
  std::vector<std::string> events;                           // kStream: "data: ...\n\n" each.
  int delay_ms = 0;                                          // Wait this long before answering.
  bool fault = false;
  bool bad_request = false;
};

// Builds the reply. `chat_counter` counts chat completion requests; it numbers them for periodic faults.
SimReply BuildSimReply(const SimHttpRequest& request, const SimServerOptions& options, const FaultSpec& faults,
                       uint64_t* chat_counter);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_SERVER_REPLY_H_
