// OtlpReceiver: an OTLP/HTTP trace receiver (POST /v1/traces) on one libevent loop thread (engine/http's
// EventHttpServer), bound to 127.0.0.1 unless told otherwise. It decodes application/x-protobuf and application/json
// bodies, gzip or not (engine/collector/otlp_decode.h), and hands each request's spans to a SpanSink; it answers
// when the sink has taken them, as the OTLP/HTTP specification says:
//   200  ExportTraceServiceResponse (with partial_success naming the rejected spans, e.g. invalid ids)
//   400  a malformed body or bad gzip        401  --token-env set and the bearer token missing or wrong
//   404  another path                         405  another method
//   413  a body (or its inflated form) over max_body_bytes
//   415  an unknown Content-Type or Content-Encoding
//   503  the sink cannot take the spans now (a full disk, a locked store, a full queue), with Retry-After
// Error answers carry a google.rpc.Status in the request's encoding. Every refusal is counted (Counters).
// The token is compared in constant time and never logged or echoed.
//
// Start/Stop from one owning thread; counters() from any thread. The sink must outlive the receiver.
#ifndef LLMEVAL_ENGINE_COLLECTOR_OTLP_RECEIVER_H_
#define LLMEVAL_ENGINE_COLLECTOR_OTLP_RECEIVER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "engine/collector/span_sink.h"
#include "engine/http/event_http_server.h"

namespace llmeval {

struct OtlpReceiverOptions {
  std::string host = "127.0.0.1";
  int port = 4318;                   // 0 picks a free port.
  size_t max_body_bytes = 16 << 20;  // Applies to the body as sent and to its inflated form.
  std::string bearer_token;          // Required as "Authorization: Bearer <token>" when not empty.
};

class OtlpReceiver {
 public:
  struct Counters {
    int64_t requests = 0;
    int64_t accepted_spans = 0;
    int64_t rejected_spans = 0;  // Rejected one by one inside accepted requests (partial success).
    int64_t malformed = 0;       // 400
    int64_t unauthorized = 0;    // 401
    int64_t not_found = 0;       // 404 and 405
    int64_t too_large = 0;       // 413
    int64_t unsupported = 0;     // 415
    int64_t unavailable = 0;     // 503
    std::string Line() const;    // "requests=.. spans=.. rejected_spans=.. 400=.. 401=.. 404=.. 413=.. 415=.. 503=.."
  };

  OtlpReceiver();
  ~OtlpReceiver();  // Stops.
  OtlpReceiver(const OtlpReceiver&) = delete;
  OtlpReceiver& operator=(const OtlpReceiver&) = delete;

  // IOError naming host:port when it cannot listen.
  Status Start(const OtlpReceiverOptions& options, SpanSink* sink);
  // Stops taking requests, waits (up to 30 s) for the sink to answer those it holds, and stops the loop.
  void Stop();
  int port() const { return server_.port(); }
  Counters counters() const;

  struct State;  // Shared with the loop thread's callbacks and the sink's completions.

 private:
  EventHttpServer server_;
  std::shared_ptr<State> state_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_COLLECTOR_OTLP_RECEIVER_H_
