// HttpTarget against a scripted loopback app (EventHttpServer on 127.0.0.1) through the real CurlTransport: mapped
// answers, tool calls, usage and cost; SSE and NDJSON streams; malformed and incomplete replies; timeouts; retries
// that honour Retry-After; the traceparent and ${ENV} headers.
#include "engine/targets/http_target.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include "engine/http/curl_transport.h"
#include "engine/http/event_http_server.h"

namespace llmeval {
namespace {

struct App {
  std::atomic<int> flaky_calls{0};
  std::string last_body;
  std::string last_traceparent;
  std::string last_auth;
};

void Reply(evhttp_request* req, int status, const std::string& type, const std::string& body,
           const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  evkeyvalq* out = evhttp_request_get_output_headers(req);
  evhttp_add_header(out, "Content-Type", type.c_str());
  for (const auto& [k, v] : headers) evhttp_add_header(out, k.c_str(), v.c_str());
  evbuffer* buffer = evbuffer_new();
  evbuffer_add(buffer, body.data(), body.size());
  evhttp_send_reply(req, status, "x", buffer);
  evbuffer_free(buffer);
}

void Handle(evhttp_request* req, void* arg) {
  App* app = static_cast<App*>(arg);
  std::string path = evhttp_request_get_uri(req);
  evbuffer* in = evhttp_request_get_input_buffer(req);
  std::string body(evbuffer_get_length(in), '\0');
  evbuffer_copyout(in, body.data(), body.size());
  app->last_body = body;
  const char* tp = evhttp_find_header(evhttp_request_get_input_headers(req), "traceparent");
  app->last_traceparent = tp != nullptr ? tp : "";
  const char* auth = evhttp_find_header(evhttp_request_get_input_headers(req), "Authorization");
  app->last_auth = auth != nullptr ? auth : "";
  if (path == "/ok") {
    Reply(req, 200, "application/json",
          R"({"result":{"text":"four"},"steps":[{"name":"web_search","arguments":{"query":"2+2"}}],)"
          R"("usage":{"in":12,"out":3},"cost":0.002})");
  } else if (path == "/malformed") {
    Reply(req, 200, "application/json", "{\"result\": ");
  } else if (path == "/missing") {
    Reply(req, 200, "application/json", R"({"other":"x"})");
  } else if (path == "/slow") {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    Reply(req, 200, "application/json", R"({"result":{"text":"late"}})");
  } else if (path == "/flaky") {
    if (app->flaky_calls.fetch_add(1) == 0) {
      Reply(req, 503, "application/json", R"({"error":"busy"})", {{"Retry-After", "1"}});
    } else {
      Reply(req, 200, "application/json", R"({"result":{"text":"second time"}})");
    }
  } else if (path == "/bad-request") {
    Reply(req, 400, "application/json", R"({"error":"no"})");
  } else if (path == "/sse") {
    Reply(req, 200, "text/event-stream",
          "event: message\ndata: {\"result\":{\"text\":\"Hel\"}}\n\ndata: {\"result\":{\"text\":\"lo\"},"
          "\"usage\":{\"in\":5,\"out\":2}}\n\ndata: [DONE]\n\n");
  } else if (path == "/ndjson") {
    Reply(req, 200, "application/x-ndjson", "{\"result\":{\"text\":\"a\"}}\n{\"result\":{\"text\":\"b\"}}\n");
  } else {
    Reply(req, 404, "text/plain", "no");
  }
}

class HttpTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EventHttpServerOptions options;
    options.name = "test app";
    ASSERT_TRUE(server_.Start(options, &Handle, &app_).ok());
  }
  void TearDown() override { server_.Stop(); }

  TargetSettings Settings(const std::string& path) {
    TargetSettings s;
    s.name = "app";
    s.kind = "http";
    s.url = "http://127.0.0.1:" + std::to_string(server_.port()) + path;
    s.body_template = R"({"q":"{question}","n":1})";
    s.response.answer = "/result/text";
    s.response.tool_calls = "/steps";
    s.response.input_tokens = "/usage/in";
    s.response.output_tokens = "/usage/out";
    s.response.cost_usd = "/cost";
    s.timeout_ms = 5000;
    s.max_attempts = 1;
    return s;
  }

  TargetResult Invoke(const TargetSettings& settings, const std::string& question = "what is \"2+2\"?") {
    HttpTarget target(settings, &transport_);
    TargetRequest request;
    request.variables["question"] = question;
    request.traceparent = "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01";
    std::promise<TargetResult> promise;
    target.Invoke(std::move(request), [&](TargetResult r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }

  App app_;
  EventHttpServer server_;
  CurlTransport transport_;
};

TEST_F(HttpTargetTest, MapsAnswerToolCallsUsageAndCostAndSendsTraceparent) {
  setenv("LLMEVAL_TEST_TARGET_TOKEN", "s3cret", 1);
  TargetSettings s = Settings("/ok");
  s.headers.push_back({"Authorization", "Bearer ${LLMEVAL_TEST_TARGET_TOKEN}"});
  TargetResult r = Invoke(s);
  ASSERT_TRUE(r.chat.status.ok()) << r.chat.status.message();
  EXPECT_EQ(r.chat.response.message.content.value_or(""), "four");
  ASSERT_EQ(r.chat.response.message.tool_calls.size(), 1u);
  EXPECT_EQ(r.chat.response.message.tool_calls[0].name, "web_search");
  EXPECT_EQ(r.chat.response.message.tool_calls[0].arguments_json, R"({"query":"2+2"})");
  EXPECT_EQ(r.chat.response.usage.input_tokens, 12);
  EXPECT_EQ(r.chat.response.usage.output_tokens, 3);
  ASSERT_TRUE(r.cost_usd.has_value());
  EXPECT_DOUBLE_EQ(*r.cost_usd, 0.002);
  EXPECT_EQ(app_.last_body, R"({"q":"what is \"2+2\"?","n":1})");
  EXPECT_EQ(app_.last_traceparent, "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
  EXPECT_EQ(app_.last_auth, "Bearer s3cret");
  EXPECT_EQ(r.request_body.find("s3cret"), std::string::npos);
}

TEST_F(HttpTargetTest, MalformedReplyIsAnError) {
  TargetResult r = Invoke(Settings("/malformed"));
  ASSERT_FALSE(r.chat.status.ok());
  EXPECT_NE(r.chat.status.message().find("not JSON"), std::string::npos) << r.chat.status.message();
}

TEST_F(HttpTargetTest, MissingMappedFieldNamesThePointer) {
  TargetResult r = Invoke(Settings("/missing"));
  ASSERT_FALSE(r.chat.status.ok());
  EXPECT_NE(r.chat.status.message().find("/result/text"), std::string::npos) << r.chat.status.message();
}

TEST_F(HttpTargetTest, TimeoutIsAnError) {
  TargetSettings s = Settings("/slow");
  s.timeout_ms = 150;
  TargetResult r = Invoke(s);
  ASSERT_FALSE(r.chat.status.ok());
  EXPECT_EQ(r.chat.status.code(), StatusCode::kTimeout) << r.chat.status.message();
}

TEST_F(HttpTargetTest, RetriesA503AfterRetryAfter) {
  TargetSettings s = Settings("/flaky");
  s.max_attempts = 3;
  TargetResult r = Invoke(s);
  ASSERT_TRUE(r.chat.status.ok()) << r.chat.status.message();
  EXPECT_EQ(r.chat.response.message.content.value_or(""), "second time");
  ASSERT_EQ(r.chat.attempts.size(), 2u);
  EXPECT_EQ(r.chat.attempts[0].http_status, 503);
  EXPECT_EQ(r.chat.attempts[1].wait_before_nanos, 1'000'000'000);  // Retry-After: 1, honoured exactly.
}

TEST_F(HttpTargetTest, DoesNotRetryA400) {
  TargetSettings s = Settings("/bad-request");
  s.max_attempts = 3;
  TargetResult r = Invoke(s);
  ASSERT_FALSE(r.chat.status.ok());
  EXPECT_EQ(r.chat.attempts.size(), 1u);
  EXPECT_EQ(r.chat.response.http_status, 400);
}

TEST_F(HttpTargetTest, ReadsSseAndNdjsonStreamsToTheEnd) {
  TargetResult sse = Invoke(Settings("/sse"));
  ASSERT_TRUE(sse.chat.status.ok()) << sse.chat.status.message();
  EXPECT_EQ(sse.chat.response.message.content.value_or(""), "Hello");
  EXPECT_EQ(sse.chat.response.usage.output_tokens, 2);
  TargetResult nd = Invoke(Settings("/ndjson"));
  ASSERT_TRUE(nd.chat.status.ok()) << nd.chat.status.message();
  EXPECT_EQ(nd.chat.response.message.content.value_or(""), "ab");
}

}  // namespace
}  // namespace llmeval
