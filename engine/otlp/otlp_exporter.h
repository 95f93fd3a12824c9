// OTLP/HTTP push of stored traces: `llmeval traces export --otlp-endpoint URL`.
//
// Endpoint resolution (OpenTelemetry exporter conventions): an explicit URL (the flag) is a base URL to which
// "/v1/traces" is appended unless it already ends with it; otherwise OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as
// is; otherwise OTEL_EXPORTER_OTLP_ENDPOINT is a base URL. Headers come from OTEL_EXPORTER_OTLP_HEADERS and then
// OTEL_EXPORTER_OTLP_TRACES_HEADERS ("k=v,k2=v2", values percent-decoded; a later key replaces an earlier one).
// OTEL_EXPORTER_OTLP_TRACES_TIMEOUT / OTEL_EXPORTER_OTLP_TIMEOUT set the per-request timeout in milliseconds.
//
// Delivery: spans are packed into ExportTraceServiceRequest bodies (OTLP/JSON, tracing/otlp_json.h) of at most
// max_spans_per_request spans and about max_bytes_per_request bytes (a single larger span goes alone), each POSTed
// with Content-Type application/json. 429, 502, 503, 504 and network errors are retried with capped exponential
// backoff and jitter, honouring Retry-After (capped at max_server_delay_ns); other statuses are final failures. A 2xx
// whose body reports partialSuccess.rejectedSpans counts those spans as rejected (not retried, per OTLP).
//
// Secrets: header values never appear in any message this module produces (the header names do); a receiver's error
// body is quoted only after every header value in it is replaced by "[redacted]", and URL credentials are never
// printed.
//
// Thread-safety: an OtlpExporter is driven by its transport's callbacks; Start may be called once. `done` runs
// exactly once, on the transport's IO thread (or on the calling thread when there is nothing to send).
#ifndef LLMEVAL_ENGINE_OTLP_OTLP_EXPORTER_H_
#define LLMEVAL_ENGINE_OTLP_OTLP_EXPORTER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/http/http_transport.h"
#include "tracing/otlp_json.h"
#include "tracing/span.h"

namespace llmeval {

// Reads an environment variable; nullptr when unset. Tests pass a map-backed function.
using EnvLookup = std::function<const char*(const char*)>;

struct OtlpEndpoint {
  std::string url;      // Full URL of the traces endpoint; empty when none is configured.
  HttpHeaders headers;  // Extra request headers (values are secrets: never print them).
  int64_t timeout_ms = 10000;
};

// `base` with "/v1/traces" appended (no doubled slash), or `base` itself when it already ends with "/v1/traces".
std::string OtlpTracesUrl(std::string_view base);

// Parses "k=v,k2=v2" (whitespace around keys and values trimmed, values percent-decoded). `source` names the variable
// in error messages, which never quote a value.
Result<HttpHeaders> ParseOtlpHeaders(std::string_view text, std::string_view source);

// Resolves the endpoint from `flag_url` (may be empty) and the environment. InvalidInput for malformed headers,
// timeouts or URLs that are not http:// or https://. An empty url means no endpoint is configured.
Result<OtlpEndpoint> ResolveOtlpEndpoint(std::string_view flag_url, const EnvLookup& env);

// `url` without any "user:password@" part, for messages.
std::string RedactUrl(std::string_view url);

struct OtlpBatchLimits {
  size_t max_spans_per_request = 512;
  size_t max_bytes_per_request = 1 << 20;
  size_t max_attribute_bytes = 65536;
};

// One request body and how many spans it carries.
struct OtlpBatch {
  std::string body;
  size_t spans = 0;
};

// Packs `spans` (in order) into request bodies within `limits`. Pure.
std::vector<OtlpBatch> BuildOtlpBatches(const std::vector<Span>& spans, const Resource& resource,
                                        const OtlpBatchLimits& limits);

struct OtlpExportOptions {
  OtlpEndpoint endpoint;
  int max_attempts = 5;                          // Per request, including the first.
  int64_t base_delay_ns = 500'000'000;           // First backoff.
  int64_t max_delay_ns = 10'000'000'000;         // Backoff cap.
  int64_t max_server_delay_ns = 30'000'000'000;  // Retry-After cap.
  double jitter = 0.25;
  size_t max_in_flight = 4;  // Requests sent concurrently.
};

struct OtlpExportSummary {
  size_t requests = 0;  // Request bodies (batches) to deliver.
  size_t attempts = 0;  // HTTP attempts made, retries included.
  size_t retries = 0;
  size_t delivered = 0;       // Batches accepted with a 2xx.
  size_t failures = 0;        // Batches given up on.
  size_t spans_sent = 0;      // Spans in accepted batches.
  size_t spans_failed = 0;    // Spans in batches given up on.
  size_t spans_rejected = 0;  // partialSuccess.rejectedSpans summed over accepted batches.
  std::string first_error;    // The first failure, secrets removed; empty when none.
  bool ok() const { return failures == 0 && spans_rejected == 0; }
};

class OtlpExporter {
 public:
  // `transport` and `clock` must outlive the export. `random_unit` returns values in [0, 1) for jitter (default: a
  // per-exporter PRNG).
  OtlpExporter(HttpTransport* transport, Clock* clock, OtlpExportOptions options,
               std::function<double()> random_unit = nullptr);

  // Sends every batch; `done` runs once with the summary when each batch is delivered or given up on.
  void Start(std::vector<OtlpBatch> batches, std::function<void(OtlpExportSummary)> done);

 private:
  struct State;
  void SendBatch(size_t index);
  void OnResponse(size_t index, HttpResponse response);
  void Finish(size_t index, bool delivered, size_t rejected, const std::string& error);

  HttpTransport* transport_;
  Clock* clock_;
  OtlpExportOptions options_;
  std::function<double()> random_unit_;
  std::shared_ptr<State> state_;
};

// Sends `batches` and blocks until done. Must not be called on the transport's IO thread.
OtlpExportSummary ExportOtlpBlocking(HttpTransport* transport, Clock* clock, const OtlpExportOptions& options,
                                     std::vector<OtlpBatch> batches);

// Packs `spans` within `limits` and pushes them to `endpoint` over a fresh CurlTransport; blocks until done.
OtlpExportSummary PushOtlpSpans(const std::vector<Span>& spans, const Resource& resource, const OtlpEndpoint& endpoint,
                                const OtlpBatchLimits& limits);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OTLP_OTLP_EXPORTER_H_
