// The OTLP/HTTP receiver over loopback: spans sent by the OpenTelemetry JS SDK's own exporters (protobuf and JSON,
// gzip and plain; installed by scripts/install-otel-test-exporter.sh, skipped without it) round-trip into the store
// with their resource, scope, typed attributes, events and statuses; bad input (malformed protobuf and JSON, wrong
// content type, oversized bodies, bad gzip, invalid ids, a missing token) gets the OTLP answers while the receiver
// keeps running and counts what it refused; a sink that cannot take spans makes the receiver answer 503.
#include "engine/collector/otlp_receiver.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>
#include <zlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "engine/collector/otlp_decode.h"
#include "engine/collector/store_span_sink.h"
#include "engine/store/collected_spans.h"
#include "testing/test_util.h"
#include "tracing/span_codec.h"

namespace llmeval {
namespace {

struct HttpAnswer {
  long code = 0;
  std::string body;
  std::string headers;
};

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

HttpAnswer Post(int port, const std::string& body, const std::vector<std::string>& headers,
                const std::string& path = "/v1/traces") {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Append);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.code);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return answer;
}

std::string Gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

constexpr char kJsonType[] = "Content-Type: application/json";
constexpr char kProtoType[] = "Content-Type: application/x-protobuf";

std::string JsonRequest(const std::string& trace_id, const std::string& span_id) {
  return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},)"
         R"("scopeSpans":[{"scope":{"name":"app","version":"2"},"spans":[{"traceId":")" +
         trace_id + R"(","spanId":")" + span_id +
         R"(","name":"root","kind":2,"startTimeUnixNano":"1767225600000000000","endTimeUnixNano":1767225601000000000,)"
         R"("attributes":[{"key":"n","value":{"intValue":"7"}}],"status":{"code":2,"message":"boom"}}]}]}]})";
}

class ReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.Path("store.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    sink_ = std::make_unique<StoreSpanSink>(std::move(store.value()));
  }
  void StartReceiver(OtlpReceiverOptions options = {}) {
    options.port = 0;
    ASSERT_TRUE(receiver_.Start(options, sink_.get()).ok());
  }
  std::unique_ptr<Store> Reader() {
    auto store = Store::Open(dir_.Path("store.db"));
    EXPECT_TRUE(store.ok());
    return std::move(store.value());
  }

  testing::ScratchDir dir_;
  std::unique_ptr<StoreSpanSink> sink_;
  OtlpReceiver receiver_;
};

std::string ExporterDir() {
  const char* env = std::getenv("LLMEVAL_OTEL_TEST_EXPORTER_DIR");
  std::string dir = env != nullptr ? env : std::string(LLMEVAL_SOURCE_DIR) + "/build/otel-test-exporter";
  bool ok = std::filesystem::exists(dir + "/node_modules/@opentelemetry/exporter-trace-otlp-proto/package.json") &&
            std::filesystem::exists(dir + "/node_modules/@opentelemetry/exporter-trace-otlp-http/package.json");
  return ok ? dir : "";
}

TEST_F(ReceiverTest, OpenTelemetryJsExportersRoundTripProtobufAndJsonGzipAndPlain) {
  if (testing::RunCommand({"/usr/bin/env", "node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is missing";
  std::string modules = ExporterDir();
  if (modules.empty())
    GTEST_SKIP() << "the OpenTelemetry JS exporters are not installed; run "
                    "scripts/install-otel-test-exporter.sh";
  StartReceiver();
  std::string url = "http://127.0.0.1:" + std::to_string(receiver_.port()) + "/v1/traces";
  std::vector<std::string> trace_ids;
  for (std::string protocol : {"proto", "json"}) {
    for (bool gzip : {false, true}) {
      std::vector<std::string> argv = {"/usr/bin/env",
                                       "node",
                                       std::string(LLMEVAL_SOURCE_DIR) + "/tests/otlp/otel_export.js",
                                       "--modules",
                                       modules,
                                       "--url",
                                       url,
                                       "--protocol",
                                       protocol,
                                       "--traces",
                                       "2",
                                       "--service",
                                       "js-" + protocol + (gzip ? "-gz" : "")};
      if (gzip) argv.push_back("--gzip");
      testing::CommandResult r = testing::RunCommand(argv);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      simdjson::dom::parser parser;
      simdjson::dom::element out;
      ASSERT_EQ(parser.parse(r.out).get(out), simdjson::SUCCESS) << r.out;
      EXPECT_EQ(int64_t(out["code"]), 0) << r.out;  // ExportResultCode.SUCCESS
      for (simdjson::dom::element id : out["traces"].get_array()) trace_ids.emplace_back(std::string_view(id));
    }
  }
  receiver_.Stop();
  EXPECT_EQ(receiver_.counters().accepted_spans, 24);
  std::unique_ptr<Store> store = Reader();
  CollectedTraceQuery all;
  all.limit = 100;
  auto roots = CollectedRoots(store.get(), all);
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 8u);
  for (std::string service : {"js-proto", "js-proto-gz", "js-json", "js-json-gz"}) {
    CollectedTraceQuery q;
    q.service = service;
    auto some = CollectedRoots(store.get(), q);
    ASSERT_TRUE(some.ok());
    EXPECT_EQ(some->size(), 2u) << service;
  }
  for (const std::string& trace_id : trace_ids) {
    auto spans = CollectedTraceSpans(store.get(), trace_id);
    ASSERT_TRUE(spans.ok());
    ASSERT_EQ(spans->size(), 3u) << trace_id;
    const CollectedSpanRow* root = nullptr;
    for (const CollectedSpanRow& s : *spans) {
      EXPECT_EQ(s.scope_name, "js-test-app");
      EXPECT_EQ(s.scope_version, "1.2.3");
      EXPECT_NE(s.resource_json.find("\"deployment.environment\":\"test\""), std::string::npos) << s.resource_json;
      if (s.span.parent_span_id.empty()) root = &s;
      if (s.span.name == "execute_tool search") {
        EXPECT_EQ(s.span.status, 2);
        EXPECT_EQ(s.span.status_message, "tool failed");
      }
      if (s.span.name == "chat gpt-test") {
        EXPECT_EQ(s.span.kind, 3);
      }
    }
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->span.kind, 2);
    auto attributes = AttributesFromJson(root->span.attributes_json);
    ASSERT_TRUE(attributes.ok());
    EXPECT_EQ(FindInt(*attributes, "app.index").value_or(-1) >= 0, true);
    EXPECT_EQ(FindNumber(*attributes, "app.ratio").value_or(0), 0.5);
    EXPECT_EQ(FindBool(*attributes, "app.flag").value_or(false), true);
    ASSERT_NE(FindStringArray(*attributes, "app.tags"), nullptr);
    EXPECT_EQ(*FindStringArray(*attributes, "app.tags"), (std::vector<std::string>{"a", "b"}));
    ASSERT_NE(FindString(*attributes, "gen_ai.input.messages"), nullptr);
    auto events = EventsFromJson(root->span.events_json);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].name, "checkpoint");
    EXPECT_GT(root->span.end_unix_ns, root->span.start_unix_ns);
  }
}

TEST_F(ReceiverTest, BadInputIsAnsweredAndCountedWhileTheReceiverKeepsRunning) {
  OtlpReceiverOptions options;
  options.max_body_bytes = 4096;
  StartReceiver(options);
  const int port = receiver_.port();
  std::string good = JsonRequest("0102030405060708090a0b0c0d0e0f10", "0102030405060708");

  HttpAnswer malformed_proto = Post(port, "\xff\xff\xff garbage", {kProtoType});
  EXPECT_EQ(malformed_proto.code, 400);
  HttpAnswer malformed_json = Post(port, "{\"resourceSpans\": [", {kJsonType});
  EXPECT_EQ(malformed_json.code, 400);
  EXPECT_NE(malformed_json.body.find("not valid JSON"), std::string::npos) << malformed_json.body;
  HttpAnswer wrong_type = Post(port, good, {"Content-Type: text/plain"});
  EXPECT_EQ(wrong_type.code, 415);
  HttpAnswer wrong_encoding = Post(port, good, {kJsonType, "Content-Encoding: br"});
  EXPECT_EQ(wrong_encoding.code, 415);
  HttpAnswer oversized = Post(port, std::string(5000, ' ') + good, {kJsonType});
  EXPECT_EQ(oversized.code, 413);
  HttpAnswer bomb = Post(port, Gzip(std::string(100000, ' ') + good), {kJsonType, "Content-Encoding: gzip"});
  EXPECT_EQ(bomb.code, 413);  // Small on the wire, over the limit once inflated.
  HttpAnswer bad_gzip = Post(port, good, {kJsonType, "Content-Encoding: gzip"});
  EXPECT_EQ(bad_gzip.code, 400);
  EXPECT_NE(bad_gzip.body.find("gzip"), std::string::npos);
  HttpAnswer wrong_path = Post(port, good, {kJsonType}, "/v1/metrics");
  EXPECT_EQ(wrong_path.code, 404);

  // Invalid ids: the span is rejected (partial success), the valid one in the same request is kept.
  std::string mixed = good;
  mixed.replace(mixed.find("]}]}]}"), 0,
                R"(,{"traceId":"00000000000000000000000000000000","spanId":"0102030405060709","name":"zero"},)"
                R"({"traceId":"0102","spanId":"0102030405060709","name":"short"},)"
                R"({"traceId":"zz02030405060708090a0b0c0d0e0f10","spanId":"0102030405060709","name":"nothex"})");
  HttpAnswer partial = Post(port, mixed, {kJsonType});
  EXPECT_EQ(partial.code, 200);
  EXPECT_NE(partial.body.find("\"rejectedSpans\":\"3\""), std::string::npos) << partial.body;
  EXPECT_NE(partial.body.find("all-zero trace id"), std::string::npos) << partial.body;

  HttpAnswer after = Post(port, Gzip(JsonRequest("1102030405060708090a0b0c0d0e0f10", "0102030405060708")),
                          {kJsonType, "Content-Encoding: gzip"});
  EXPECT_EQ(after.code, 200);
  EXPECT_EQ(after.body, "{}");
  receiver_.Stop();
  OtlpReceiver::Counters c = receiver_.counters();
  EXPECT_EQ(c.malformed, 3);
  EXPECT_EQ(c.unsupported, 2);
  EXPECT_EQ(c.too_large, 2);
  EXPECT_EQ(c.not_found, 1);
  EXPECT_EQ(c.rejected_spans, 3);
  EXPECT_EQ(c.accepted_spans, 2);
  std::unique_ptr<Store> store = Reader();
  auto roots = CollectedRoots(store.get(), CollectedTraceQuery{});
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 2u);
  EXPECT_EQ(roots->at(0).root.service_name, "shop");
  EXPECT_EQ(roots->at(0).root.span.status, 2);
  EXPECT_EQ(roots->at(0).root.span.attributes_json, "{\"n\":7}");
}

TEST_F(ReceiverTest, BearerTokenIsRequiredWhenSet) {
  OtlpReceiverOptions options;
  options.bearer_token = "s3cret";
  StartReceiver(options);
  std::string good = JsonRequest("0102030405060708090a0b0c0d0e0f10", "0102030405060708");
  HttpAnswer missing = Post(receiver_.port(), good, {kJsonType});
  EXPECT_EQ(missing.code, 401);
  EXPECT_EQ(missing.body.find("s3cret"), std::string::npos);
  EXPECT_EQ(Post(receiver_.port(), good, {kJsonType, "Authorization: Bearer wrong"}).code, 401);
  EXPECT_EQ(Post(receiver_.port(), good, {kJsonType, "Authorization: Bearer s3cret"}).code, 200);
  receiver_.Stop();
  EXPECT_EQ(receiver_.counters().unauthorized, 2);
}

// A sink that cannot take spans (as a full disk or a locked store): the exporter gets 503 with Retry-After.
class RefusingSink : public SpanSink {
 public:
  void Submit(std::vector<CollectedSpanRow>, Done done) override { done(Status::Unavailable("disk full")); }
};

TEST(ReceiverUnavailableTest, ASinkThatCannotWriteAnswers503SoExportersRetry) {
  RefusingSink sink;
  OtlpReceiver receiver;
  OtlpReceiverOptions options;
  options.port = 0;
  ASSERT_TRUE(receiver.Start(options, &sink).ok());
  HttpAnswer a =
      Post(receiver.port(), JsonRequest("0102030405060708090a0b0c0d0e0f10", "0102030405060708"), {kJsonType});
  EXPECT_EQ(a.code, 503);
  EXPECT_NE(a.headers.find("Retry-After: 1"), std::string::npos) << a.headers;
  EXPECT_NE(a.body.find("disk full"), std::string::npos);
  receiver.Stop();
  EXPECT_EQ(receiver.counters().unavailable, 1);
  EXPECT_EQ(receiver.counters().accepted_spans, 0);
}

// A store whose file cannot grow (a full disk, emulated with a read-only file): the store sink's write fails and the
// receiver answers 503, never 200.
TEST(ReceiverUnavailableTest, AStoreThatCannotBeWrittenAnswers503) {
  testing::ScratchDir dir;
  auto store = Store::Open(dir.Path("store.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->db()->Exec("PRAGMA query_only=ON").ok());  // Every write fails, as on a full disk.
  StoreSpanSink sink(std::move(store.value()));
  OtlpReceiver receiver;
  OtlpReceiverOptions options;
  options.port = 0;
  ASSERT_TRUE(receiver.Start(options, &sink).ok());
  HttpAnswer a =
      Post(receiver.port(), JsonRequest("0102030405060708090a0b0c0d0e0f10", "0102030405060708"), {kJsonType});
  EXPECT_EQ(a.code, 503);
  receiver.Stop();
  EXPECT_EQ(sink.stats().failed_transactions, 1);
  EXPECT_EQ(sink.stats().spans_written, 0);
}

TEST(OtlpDecodeTest, ProtobufWithInvalidIdsRejectsThoseSpansOnly) {
  // Hand-encoded: resource_spans { scope_spans { spans { trace_id(3 bytes) span_id name } spans { valid } } }
  auto field = [](int number, const std::string& bytes) {
    std::string out(1, static_cast<char>(number << 3 | 2));
    out += static_cast<char>(bytes.size());
    return out + bytes;
  };
  std::string bad_span = field(1, "abc") + field(2, "12345678") + field(5, "bad");
  std::string good_span = field(1, "0123456789abcdef") + field(2, "12345678") + field(5, "good");
  std::string body = field(1, field(2, field(2, bad_span) + field(2, good_span)));
  auto decoded = DecodeOtlpProtobuf(body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->rejected_spans, 1);
  ASSERT_EQ(decoded->spans.size(), 1u);
  EXPECT_EQ(decoded->spans[0].span.name, "good");
  EXPECT_EQ(decoded->spans[0].span.trace_id, BytesToHex("0123456789abcdef"));
  EXPECT_FALSE(DecodeOtlpProtobuf("\x0a\x05\x12").ok());  // Truncated.
}

}  // namespace
}  // namespace llmeval
