// Tests of the OTLP/HTTP exporter: endpoint and header resolution, batching, retries over a fake transport and a
// FakeClock (nothing sleeps), and a real push through CurlTransport to a loopback libevent receiver.
#include "engine/otlp/otlp_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/http/curl_transport.h"
#include "otlp/otlp_receiver.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;

class FakeTransport : public HttpTransport {
 public:
  explicit FakeTransport(FakeClock* clock) : clock_(clock) {}
  void Send(HttpRequest request, std::function<void(HttpResponse)> done) override {
    requests.push_back(request);
    pending_.push_back({std::move(request), std::move(done)});
  }
  void Schedule(int64_t delay_ns, std::function<void()> task) override {
    delays.push_back(delay_ns);
    scheduled_.push_back({delay_ns, std::move(task)});
  }
  size_t pending() const { return pending_.size(); }
  size_t scheduled() const { return scheduled_.size(); }
  void Respond(int status, std::string body = "{}", HttpHeaders headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    Deliver(std::move(r));
  }
  void RespondNetworkError(std::string error) {
    HttpResponse r;
    r.network_error = std::move(error);
    Deliver(std::move(r));
  }
  void RunScheduled() {
    ASSERT_FALSE(scheduled_.empty());
    auto next = std::move(scheduled_.front());
    scheduled_.pop_front();
    clock_->Advance(next.first);
    next.second();
  }

  std::vector<HttpRequest> requests;
  std::vector<int64_t> delays;

 private:
  void Deliver(HttpResponse response) {
    ASSERT_FALSE(pending_.empty());
    auto next = std::move(pending_.front());
    pending_.pop_front();
    next.second(std::move(response));
  }
  FakeClock* clock_;
  std::deque<std::pair<HttpRequest, std::function<void(HttpResponse)>>> pending_;
  std::deque<std::pair<int64_t, std::function<void()>>> scheduled_;
};

// `traces` traces of `per_trace` spans each: a root and children, with distinct ids.
std::vector<Span> MakeSpans(int traces, int per_trace, size_t attribute_bytes = 10) {
  std::vector<Span> spans;
  for (int t = 0; t < traces; ++t) {
    TraceId trace;
    trace.bytes[0] = static_cast<uint8_t>(t + 1);
    trace.bytes[15] = 0x42;
    SpanId root;
    for (int s = 0; s < per_trace; ++s) {
      Span span;
      span.trace_id = trace;
      span.span_id.bytes[0] = static_cast<uint8_t>(t + 1);
      span.span_id.bytes[1] = static_cast<uint8_t>(s + 1);
      if (s == 0) {
        root = span.span_id;
      } else {
        span.parent_span_id = root;
      }
      span.name = s == 0 ? "eval_item test" : "chat sim";
      span.kind = s == 0 ? SpanKind::kInternal : SpanKind::kClient;
      span.start_unix_nanos = 1'767'225'600'000'000'000 + s * kMs;
      span.end_unix_nanos = span.start_unix_nanos + kMs;
      span.attributes.emplace_back("input.value", std::string(attribute_bytes, 'x'));
      span.attributes.emplace_back("gen_ai.usage.input_tokens", int64_t{52});
      spans.push_back(std::move(span));
    }
  }
  return spans;
}

// Every spanId in an ExportTraceServiceRequest body; fails the test if the body is not valid JSON of that shape.
std::vector<std::string> SpanIdsIn(const std::string& body) {
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(body).get(root), simdjson::SUCCESS) << body.substr(0, 200);
  simdjson::dom::array resource_spans;
  if (root["resourceSpans"].get(resource_spans) != simdjson::SUCCESS) {
    ADD_FAILURE() << "no resourceSpans";
    return ids;
  }
  for (simdjson::dom::element rs : resource_spans) {
    simdjson::dom::array scope_spans;
    EXPECT_EQ(rs["scopeSpans"].get(scope_spans), simdjson::SUCCESS);
    for (simdjson::dom::element ss : scope_spans) {
      simdjson::dom::array spans;
      EXPECT_EQ(ss["spans"].get(spans), simdjson::SUCCESS);
      for (simdjson::dom::element span : spans) {
        std::string_view id;
        EXPECT_EQ(span["spanId"].get(id), simdjson::SUCCESS);
        ids.emplace_back(id);
      }
    }
  }
  return ids;
}

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(OtlpEndpoint, TracesPathIsAppendedOnce) {
  EXPECT_EQ(OtlpTracesUrl("http://localhost:4318"), "http://localhost:4318/v1/traces");
  EXPECT_EQ(OtlpTracesUrl("http://localhost:4318/"), "http://localhost:4318/v1/traces");
  EXPECT_EQ(OtlpTracesUrl("http://h/api/public/otel"), "http://h/api/public/otel/v1/traces");
  EXPECT_EQ(OtlpTracesUrl("http://h:4318/v1/traces"), "http://h:4318/v1/traces");
}

TEST(OtlpEndpoint, FlagBeatsTracesEndpointWhichBeatsTheBaseEndpoint) {
  EnvLookup env = MapEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"},
                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://full:1/custom/path"}});
  Result<OtlpEndpoint> flag = ResolveOtlpEndpoint("http://flag:9", env);
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->url, "http://flag:9/v1/traces");
  Result<OtlpEndpoint> full = ResolveOtlpEndpoint("", env);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->url, "http://full:1/custom/path");  // Used as is.
  Result<OtlpEndpoint> base = ResolveOtlpEndpoint("", MapEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"}}));
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(base->url, "http://base:4318/v1/traces");
  Result<OtlpEndpoint> none = ResolveOtlpEndpoint("", MapEnv({}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->url, "");
  Result<OtlpEndpoint> bad = ResolveOtlpEndpoint("ftp://x", MapEnv({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
}

TEST(OtlpEndpoint, HeadersAreParsedDecodedAndMergedWithTracesHeadersWinning) {
  Result<OtlpEndpoint> e = ResolveOtlpEndpoint(
      "http://h", MapEnv({{"OTEL_EXPORTER_OTLP_HEADERS", " Authorization = Basic%20abc%3D%3D , x-a=1,,"},
                          {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "X-A=2,x-mlflow-experiment-id=7"},
                          {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"}}));
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->headers, (HttpHeaders{{"Authorization", "Basic abc=="}, {"x-a", "2"}, {"x-mlflow-experiment-id", "7"}}));
  EXPECT_EQ(e->timeout_ms, 2500);
}

TEST(OtlpEndpoint, MalformedHeadersAreRejectedWithoutQuotingTheValue) {
  for (const char* text : {"Authorization=Bearer%zzsecretvalue", "justsecretvalue", "bad name=secretvalue",
                           "k=secretvalue%0D%0Ainjected: 1"}) {
    Result<HttpHeaders> parsed = ParseOtlpHeaders(text, "OTEL_EXPORTER_OTLP_HEADERS");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput);
    EXPECT_THAT(parsed.status().message(), HasSubstr("OTEL_EXPORTER_OTLP_HEADERS"));
    EXPECT_THAT(parsed.status().message(), Not(HasSubstr("secretvalue"))) << text;
  }
}

TEST(OtlpEndpoint, UrlCredentialsAreRedacted) {
  EXPECT_EQ(RedactUrl("https://user:pw@host:1/v1/traces"), "https://***@host:1/v1/traces");
  EXPECT_EQ(RedactUrl("http://host/v1/traces?a=b@c"), "http://host/v1/traces?a=b@c");
}

TEST(OtlpBatches, SpanAndByteLimitsSplitRequestsAndKeepEverySpanOnce) {
  std::vector<Span> spans = MakeSpans(10, 7);  // 70 spans.
  Resource resource = LlmevalResource("0.1.0", "test");
  OtlpBatchLimits by_count;
  by_count.max_spans_per_request = 32;
  std::vector<OtlpBatch> batches = BuildOtlpBatches(spans, resource, by_count);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].spans, 32u);
  EXPECT_EQ(batches[2].spans, 6u);

  std::vector<Span> big = MakeSpans(4, 5, 3000);  // 20 spans of a bit over 3 KB.
  OtlpBatchLimits by_bytes;
  by_bytes.max_bytes_per_request = 16 * 1024;
  batches = BuildOtlpBatches(big, resource, by_bytes);
  EXPECT_GE(batches.size(), 4u);
  std::multiset<std::string> seen;
  for (const OtlpBatch& batch : batches) {
    EXPECT_LE(batch.body.size(), by_bytes.max_bytes_per_request);
    std::vector<std::string> ids = SpanIdsIn(batch.body);
    EXPECT_EQ(ids.size(), batch.spans);
    seen.insert(ids.begin(), ids.end());
  }
  std::multiset<std::string> expected;
  for (const Span& span : big) expected.insert(span.span_id.Hex());
  EXPECT_EQ(seen, expected);

  // A span larger than the limit travels alone.
  std::vector<Span> huge = MakeSpans(1, 3, 40 * 1024);
  by_bytes.max_attribute_bytes = 0;
  batches = BuildOtlpBatches(huge, resource, by_bytes);
  EXPECT_EQ(batches.size(), 3u);
  EXPECT_TRUE(BuildOtlpBatches({}, resource, by_bytes).empty());
}

struct Harness {
  FakeClock clock;
  FakeTransport transport{&clock};
  std::optional<OtlpExportSummary> summary;

  std::unique_ptr<OtlpExporter> Start(size_t batches, OtlpExportOptions options = {}) {
    if (options.endpoint.url.empty()) options.endpoint.url = "http://127.0.0.1:4318/v1/traces";
    auto exporter = std::make_unique<OtlpExporter>(&transport, &clock, options, [] { return 0.0; });
    std::vector<OtlpBatch> bodies;
    for (size_t i = 0; i < batches; ++i) bodies.push_back({"{\"resourceSpans\":[]}", 10});
    exporter->Start(std::move(bodies), [this](OtlpExportSummary s) { summary = s; });
    return exporter;
  }
};

TEST(OtlpExporter, PostsJsonWithTheConfiguredHeaders) {
  Harness h;
  OtlpExportOptions options;
  options.endpoint.url = "http://collector/v1/traces";
  options.endpoint.headers = {{"Authorization", "Bearer s3cr3t-token"}};
  auto exporter = h.Start(1, options);
  ASSERT_EQ(h.transport.requests.size(), 1u);
  const HttpRequest& request = h.transport.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://collector/v1/traces");
  EXPECT_EQ(FindHeader(request.headers, "content-type"), "application/json");
  EXPECT_EQ(FindHeader(request.headers, "authorization"), "Bearer s3cr3t-token");
  h.transport.Respond(200);
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_TRUE(h.summary->ok());
  EXPECT_EQ(h.summary->spans_sent, 10u);
  EXPECT_EQ(h.summary->attempts, 1u);
}

TEST(OtlpExporter, RetriesA503HonouringRetryAfterThenSucceeds) {
  Harness h;
  auto exporter = h.Start(1);
  h.transport.Respond(503, "busy", {{"Retry-After", "2"}});
  ASSERT_EQ(h.transport.scheduled(), 1u);
  EXPECT_EQ(h.transport.delays[0], 2 * kSecond);
  EXPECT_FALSE(h.summary.has_value());
  h.transport.RunScheduled();
  ASSERT_EQ(h.transport.requests.size(), 2u);
  EXPECT_EQ(h.transport.requests[1].body, h.transport.requests[0].body);
  h.transport.Respond(200);
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_TRUE(h.summary->ok());
  EXPECT_EQ(h.summary->retries, 1u);
  EXPECT_EQ(h.summary->attempts, 2u);
}

TEST(OtlpExporter, RetryAfterIsCappedAndBackoffGrowsForNetworkErrors) {
  Harness h;
  OtlpExportOptions options;
  options.max_server_delay_ns = 5 * kSecond;
  options.base_delay_ns = 100 * kMs;
  auto exporter = h.Start(1, options);
  h.transport.Respond(429, "", {{"Retry-After", "3600"}});
  h.transport.RunScheduled();
  h.transport.RespondNetworkError("connection refused");
  h.transport.RunScheduled();
  h.transport.RespondNetworkError("connection refused");
  h.transport.RunScheduled();
  h.transport.Respond(502);
  h.transport.RunScheduled();
  h.transport.Respond(504);  // Fifth attempt: give up.
  EXPECT_EQ(h.transport.delays, (std::vector<int64_t>{5 * kSecond, 200 * kMs, 400 * kMs, 800 * kMs}));
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_FALSE(h.summary->ok());
  EXPECT_EQ(h.summary->failures, 1u);
  EXPECT_EQ(h.summary->spans_failed, 10u);
  EXPECT_EQ(h.summary->attempts, 5u);
  EXPECT_THAT(h.summary->first_error, HasSubstr("HTTP 504"));
  EXPECT_THAT(h.summary->first_error, HasSubstr("gave up after 5 attempts"));
}

TEST(OtlpExporter, OtherStatusesAreNotRetriedAndHeaderValuesNeverAppearInErrors) {
  Harness h;
  OtlpExportOptions options;
  options.endpoint.headers = {{"Authorization", "Bearer s3cr3t-token"}};
  auto exporter = h.Start(1, options);
  h.transport.Respond(400, "bad token Bearer s3cr3t-token\nline two");
  EXPECT_EQ(h.transport.scheduled(), 0u);
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_EQ(h.summary->failures, 1u);
  EXPECT_THAT(h.summary->first_error, HasSubstr("HTTP 400: bad token [redacted] line two"));
  EXPECT_THAT(h.summary->first_error, Not(HasSubstr("s3cr3t")));
  EXPECT_THAT(h.summary->first_error, Not(HasSubstr("\n")));
}

TEST(OtlpExporter, PartialSuccessCountsRejectedSpans) {
  Harness h;
  auto exporter = h.Start(1);
  h.transport.Respond(200, R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"too old"}})");
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_EQ(h.summary->spans_rejected, 3u);
  EXPECT_FALSE(h.summary->ok());
}

TEST(OtlpExporter, KeepsAtMostMaxInFlightRequestsAndDeliversEveryBatch) {
  Harness h;
  OtlpExportOptions options;
  options.max_in_flight = 2;
  auto exporter = h.Start(5, options);
  EXPECT_EQ(h.transport.pending(), 2u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_LE(h.transport.pending(), 2u);
    h.transport.Respond(200);
  }
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_EQ(h.summary->delivered, 5u);
  EXPECT_EQ(h.summary->spans_sent, 50u);
  EXPECT_EQ(h.transport.requests.size(), 5u);
}

TEST(OtlpExporter, NothingToSendFinishesAtOnce) {
  Harness h;
  auto exporter = h.Start(0);
  ASSERT_TRUE(h.summary.has_value());
  EXPECT_TRUE(h.summary->ok());
  EXPECT_EQ(h.summary->requests, 0u);
}

TEST(OtlpExporterLoopback, EverySpanArrivesWithHeadersAndA503IsRetried) {
  testing::OtlpReceiver receiver;
  ASSERT_NE(receiver.port(), 0);
  receiver.Script({{503, "{}", {}}});
  Result<OtlpEndpoint> endpoint =
      ResolveOtlpEndpoint("", MapEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", receiver.BaseUrl()},
                                      {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=k%2Cey-123,x-tenant=acme"}}));
  ASSERT_TRUE(endpoint.ok());
  std::vector<Span> spans = MakeSpans(6, 5);
  OtlpBatchLimits limits;
  limits.max_spans_per_request = 8;
  std::vector<OtlpBatch> batches = BuildOtlpBatches(spans, LlmevalResource("0.1.0", "test"), limits);
  ASSERT_EQ(batches.size(), 4u);
  OtlpExportOptions options;
  options.endpoint = *endpoint;
  options.base_delay_ns = 1 * kMs;
  options.max_in_flight = 1;
  CurlTransport transport;
  OtlpExportSummary summary = ExportOtlpBlocking(&transport, Clock::Real(), options, std::move(batches));
  EXPECT_TRUE(summary.ok()) << summary.first_error;
  EXPECT_EQ(summary.retries, 1u);
  EXPECT_EQ(summary.spans_sent, 30u);

  std::vector<testing::ReceivedRequest> requests = receiver.requests();
  ASSERT_EQ(requests.size(), 5u);  // Four batches, the first one twice.
  EXPECT_EQ(requests[0].body, requests[1].body);
  std::set<std::string> ids;
  for (size_t i = 1; i < requests.size(); ++i) {
    const testing::ReceivedRequest& r = requests[i];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/v1/traces");
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
    EXPECT_EQ(r.Header("x-api-key"), "k,ey-123");
    EXPECT_EQ(r.Header("x-tenant"), "acme");
    for (const std::string& id : SpanIdsIn(r.body)) EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(ids.size(), 30u);
}

TEST(OtlpExporterLoopback, AnUnreachableReceiverFailsAfterTheRetries) {
  int port;
  {
    testing::OtlpReceiver gone;  // Take a free port, then close it.
    port = gone.port();
  }
  OtlpExportOptions options;
  options.endpoint.url = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  options.base_delay_ns = 1 * kMs;
  options.max_attempts = 3;
  CurlTransport transport;
  OtlpExportSummary summary = ExportOtlpBlocking(&transport, Clock::Real(), options, {{"{}", 4}});
  EXPECT_FALSE(summary.ok());
  EXPECT_EQ(summary.attempts, 3u);
  EXPECT_EQ(summary.spans_failed, 4u);
  EXPECT_THAT(summary.first_error, HasSubstr("network error"));
}

}  // namespace
}  // namespace llmeval
