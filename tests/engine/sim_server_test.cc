// Tests of engine/sim/sim_server.h over real loopback HTTP, with libcurl used directly (not the project's client).
#include "engine/sim/sim_server.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/strings.h"
#include "engine/providers/openai_server_codec.h"
#include "engine/sim/sim_model.h"

namespace llmeval {
namespace {

struct HttpResult {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // Lowercase names.
};

size_t AppendBody(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t AppendHeader(char* data, size_t size, size_t count, void* out) {
  std::string_view line(data, size * count);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    (*static_cast<std::map<std::string, std::string>*>(out))[AsciiLower(line.substr(0, colon))] =
        std::string(TrimWhitespace(line.substr(colon + 1)));
  }
  return size * count;
}

// Prepares `curl` for one request; `result` and `header_list` must outlive the transfer.
void Prepare(CURL* curl, const std::string& url, const std::string* body, const std::vector<std::string>& headers,
             long timeout_ms, HttpResult* result, curl_slist** header_list) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result->body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result->headers);
  *header_list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const std::string& h : headers) *header_list = curl_slist_append(*header_list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *header_list);
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  }
}

class SimServerTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer({}); }

  void StartServer(SimServerOptions options) {
    server_ = std::make_unique<SimServer>(options);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_GT(server_->port(), 0);
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + path;
  }

  HttpResult Request(const std::string& path, const std::string* body, const std::vector<std::string>& headers = {},
                     long timeout_ms = 10000) {
    HttpResult result;
    CURL* curl = curl_easy_init();
    curl_slist* list = nullptr;
    Prepare(curl, Url(path), body, headers, timeout_ms, &result, &list);
    result.code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return result;
  }

  HttpResult Post(const std::string& body, const std::vector<std::string>& headers = {}, long timeout_ms = 10000) {
    return Request("/v1/chat/completions", &body, headers, timeout_ms);
  }

  std::unique_ptr<SimServer> server_;
  simdjson::dom::parser parser_;
};

const std::string kQuestion = "Question: What is continuous integration?";
const std::string kBody =
    R"({"model":"sim","messages":[{"role":"user","content":"Question: What is continuous integration?"}]})";

ChatRequest DirectRequest() {
  ChatRequest request;
  request.model = "sim";
  request.messages = {ChatMessage::User(kQuestion)};
  return request;
}

TEST_F(SimServerTest, PlainCompletionMatchesTheInProcessSim) {
  HttpResult r = Post(kBody);
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "application/json");
  simdjson::dom::element root;
  ASSERT_FALSE(parser_.parse(r.body).get(root)) << r.body;
  ChatResponse expected = SimulateChat(DirectRequest());
  EXPECT_EQ(std::string_view(root["object"]), "chat.completion");
  EXPECT_EQ(std::string_view(root["id"]), expected.id);
  EXPECT_EQ(std::string_view(root["model"]), "sim");
  EXPECT_EQ(std::string_view(root["choices"].at(0)["message"]["content"]), expected.message.content.value());
  EXPECT_EQ(std::string_view(root["choices"].at(0)["finish_reason"]), "stop");
  EXPECT_EQ(int64_t(root["usage"]["completion_tokens"]), expected.usage.output_tokens);
  EXPECT_EQ(r.body, EncodeChatResponseJson(expected));
}

TEST_F(SimServerTest, StreamingSendsEventsEndingWithDone) {
  const std::string body = R"({"model":"sim","stream":true,"stream_options":{"include_usage":true},)"
                           R"("messages":[{"role":"user","content":"Question: What is continuous integration?"}]})";
  HttpResult r = Post(body);
  ASSERT_EQ(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/event-stream");
  EXPECT_EQ(r.headers["transfer-encoding"], "chunked");
  std::vector<std::string> events;
  for (size_t start = 0; start < r.body.size();) {
    size_t end = r.body.find("\n\n", start);
    ASSERT_NE(end, std::string::npos);
    events.push_back(r.body.substr(start, end - start));
    start = end + 2;
  }
  ASSERT_GE(events.size(), 4u);
  EXPECT_EQ(events.back(), "data: [DONE]");
  std::string content;
  bool usage = false;
  for (size_t i = 0; i + 1 < events.size(); ++i) {
    simdjson::dom::element chunk;
    ASSERT_FALSE(parser_.parse(events[i].substr(6)).get(chunk)) << events[i];
    simdjson::dom::array choices = chunk["choices"];
    if (choices.size() == 0) {
      usage = int64_t(chunk["usage"]["total_tokens"]) > 0;
      continue;
    }
    std::string_view text;
    if (!choices.at(0)["delta"]["content"].get_string().get(text)) content += text;
  }
  EXPECT_TRUE(usage);
  EXPECT_EQ(content, SimulateChat(DirectRequest()).message.content.value());
  EXPECT_EQ(server_->counters().streams, 1u);
}

TEST_F(SimServerTest, ToolOfferGetsToolCalls) {
  const std::string body =
      R"({"model":"sim","messages":[{"role":"user","content":"Question: What is continuous integration?"}],)"
      R"("tools":[{"type":"function","function":{"name":"web_search","parameters":{"type":"object",)"
      R"("properties":{"query":{"type":"string"}}}}}]})";
  HttpResult r = Post(body);
  ASSERT_EQ(r.status, 200);
  simdjson::dom::element root;
  ASSERT_FALSE(parser_.parse(r.body).get(root));
  simdjson::dom::element choice = root["choices"].at(0);
  EXPECT_EQ(std::string_view(choice["finish_reason"]), "tool_calls");
  EXPECT_EQ(std::string_view(choice["message"]["tool_calls"].at(0)["function"]["name"]), "web_search");
  std::string_view args = choice["message"]["tool_calls"].at(0)["function"]["arguments"];
  EXPECT_NE(args.find("continuous integration"), std::string_view::npos) << args;
}

TEST_F(SimServerTest, FaultsByHeader) {
  HttpResult r = Post(kBody, {"X-Sim-Fault: 429"});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers["retry-after"], "1");
  EXPECT_EQ(r.headers["retry-after-ms"], "1000");
  simdjson::dom::element root;
  ASSERT_FALSE(parser_.parse(r.body).get(root));
  EXPECT_EQ(std::string_view(root["error"]["code"]), "rate_limit_exceeded");

  EXPECT_EQ(Post(kBody, {"X-Sim-Fault: 500"}).status, 500);
  EXPECT_EQ(Post(kBody, {"X-Sim-Fault: 503"}).status, 503);

  r = Post(kBody, {"X-Sim-Fault: drop"});
  EXPECT_NE(r.code, CURLE_OK);
  EXPECT_EQ(r.status, 0);

  r = Post(kBody, {"X-Sim-Fault: malformed"});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(parser_.parse(r.body).error()) << r.body;

  r = Post(kBody, {"X-Sim-Fault: truncated"});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(parser_.parse(r.body).error());
  EXPECT_EQ(r.body, EncodeChatResponseJson(SimulateChat(DirectRequest())).substr(0, r.body.size()));

  r = Post(kBody, {"X-Sim-Fault: empty_choices"});
  ASSERT_FALSE(parser_.parse(r.body).get(root)) << r.body;
  EXPECT_EQ(simdjson::dom::array(root["choices"]).size(), 0u);

  r = Post(kBody, {"X-Sim-Fault: length"});
  ASSERT_FALSE(parser_.parse(r.body).get(root)) << r.body;
  EXPECT_EQ(std::string_view(root["choices"].at(0)["finish_reason"]), "length");
  std::string_view content = root["choices"].at(0)["message"]["content"];
  EXPECT_LT(content.size(), SimulateChat(DirectRequest()).message.content->size());

  r = Post(kBody, {"X-Sim-Fault: teapot"});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("empty_choices"), std::string::npos);

  EXPECT_EQ(server_->counters().faults, 8u);
  // The server still works after all that.
  EXPECT_EQ(Post(kBody).status, 200);
}

TEST_F(SimServerTest, SlowFaultOutlastsTheClientTimeout) {
  SimServerOptions options;
  options.slow_ms = 400;
  StartServer(options);
  auto start = std::chrono::steady_clock::now();
  HttpResult r = Post(kBody, {"X-Sim-Fault: slow"}, /*timeout_ms=*/100);
  EXPECT_EQ(r.code, CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(390));
  EXPECT_EQ(Post(kBody).status, 200);  // Other requests are not held up.
}

TEST_F(SimServerTest, FaultSpecAndLatencyFromOptions) {
  SimServerOptions options;
  options.faults = "503@2";
  StartServer(options);
  EXPECT_EQ(Post(kBody).status, 200);
  EXPECT_EQ(Post(kBody).status, 503);
  EXPECT_EQ(Post(kBody).status, 200);
  EXPECT_EQ(Post(kBody).status, 503);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Post(kBody, {"X-Sim-Latency-Ms: 60", "X-Sim-Fault: none"}).status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(60));
  EXPECT_EQ(Post(kBody, {"X-Sim-Latency-Ms: soon"}).status, 400);
}

TEST_F(SimServerTest, ModelsNotFoundAndBadRequests) {
  HttpResult r = Request("/v1/models", nullptr);
  EXPECT_EQ(r.status, 200);
  simdjson::dom::element root;
  ASSERT_FALSE(parser_.parse(r.body).get(root));
  EXPECT_EQ(std::string_view(root["data"].at(0)["id"]), "sim");

  r = Request("/v1/nothing", nullptr);
  EXPECT_EQ(r.status, 404);
  ASSERT_FALSE(parser_.parse(r.body).get(root)) << r.body;
  EXPECT_FALSE(std::string_view(root["error"]["message"]).empty());

  const std::string bad = "{\"model\": \"sim\", \"messages\": [";
  r = Post(bad);
  EXPECT_EQ(r.status, 400);
  ASSERT_FALSE(parser_.parse(r.body).get(root)) << r.body;
  EXPECT_EQ(std::string_view(root["error"]["type"]), "invalid_request_error");
  EXPECT_TRUE(root["error"]["param"].is_null());
  EXPECT_TRUE(root["error"]["code"].is_null());
  EXPECT_NE(std::string_view(root["error"]["message"]).find("not valid JSON"), std::string_view::npos);

  EXPECT_EQ(Request("/chat/completions", &kBody).status, 200);
  EXPECT_EQ(Request("/v1/chat/completions", nullptr).status, 405);
  EXPECT_EQ(server_->counters().bad_requests, 2u);
  EXPECT_EQ(server_->counters().requests, 5u);
}

TEST_F(SimServerTest, KeepsConnectionsAlive) {
  CURL* curl = curl_easy_init();
  for (int i = 0; i < 3; ++i) {
    HttpResult result;
    curl_slist* list = nullptr;
    Prepare(curl, Url("/v1/chat/completions"), &kBody, {}, 5000, &result, &list);
    ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);
    long new_connections = -1;
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
    EXPECT_EQ(new_connections, i == 0 ? 1 : 0);
    curl_slist_free_all(list);
  }
  curl_easy_cleanup(curl);
}

TEST_F(SimServerTest, AnswersTwoHundredConcurrentRequests) {
  SimServerOptions options;
  options.latency_ms = 20;
  options.jitter_ms = 10;
  StartServer(options);
  constexpr int kRequests = 200;
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
  std::vector<CURL*> handles(kRequests);
  std::vector<HttpResult> results(kRequests);
  std::vector<curl_slist*> lists(kRequests);
  std::vector<std::string> bodies(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    bodies[i] = R"({"model":"sim","messages":[{"role":"user","content":"Question: What is topic )" + std::to_string(i) +
                R"(?"}]})";
    handles[i] = curl_easy_init();
    Prepare(handles[i], Url("/v1/chat/completions"), &bodies[i], {}, 20000, &results[i], &lists[i]);
    curl_multi_add_handle(multi, handles[i]);
  }
  int running = 0;
  do {
    curl_multi_perform(multi, &running);
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  } while (running > 0);
  int ok = 0;
  int messages = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi, &messages)) {
    if (msg->msg == CURLMSG_DONE && msg->data.result == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      ok += status == 200;
    }
  }
  for (int i = 0; i < kRequests; ++i) {
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(lists[i]);
    simdjson::dom::element root;
    EXPECT_FALSE(parser_.parse(results[i].body).get(root)) << results[i].body;
  }
  curl_multi_cleanup(multi);
  EXPECT_EQ(ok, kRequests);
  EXPECT_EQ(server_->counters().requests, static_cast<uint64_t>(kRequests));
}

TEST_F(SimServerTest, CountsTheMostRequestsInFlightAtOnce) {
  // Five requests held 800 ms each are all in flight together; the counter reports five, and none once answered.
  SimServerOptions options;
  options.latency_ms = 800;
  StartServer(options);
  constexpr int kRequests = 5;
  std::string body = R"({"model":"sim","messages":[{"role":"user","content":"hi"}]})";
  CURLM* multi = curl_multi_init();
  std::vector<CURL*> handles(kRequests);
  std::vector<HttpResult> results(kRequests);
  std::vector<curl_slist*> lists(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    handles[i] = curl_easy_init();
    Prepare(handles[i], Url("/v1/chat/completions"), &body, {}, 20000, &results[i], &lists[i]);
    curl_multi_add_handle(multi, handles[i]);
  }
  int running = 0;
  do {
    curl_multi_perform(multi, &running);
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
  } while (running > 0);
  for (int i = 0; i < kRequests; ++i) {
    curl_multi_remove_handle(multi, handles[i]);
    curl_easy_cleanup(handles[i]);
    curl_slist_free_all(lists[i]);
  }
  curl_multi_cleanup(multi);
  SimServer::Counters c = server_->counters();
  EXPECT_EQ(c.requests, static_cast<uint64_t>(kRequests));
  EXPECT_EQ(c.max_in_flight, static_cast<uint64_t>(kRequests));
  EXPECT_EQ(c.in_flight, 0u);
  EXPECT_EQ(Request("/v1/models", nullptr).status, 200);  // Answered at once: one in flight, the maximum stays.
  EXPECT_EQ(server_->counters().max_in_flight, static_cast<uint64_t>(kRequests));
  EXPECT_EQ(server_->counters().in_flight, 0u);
}

TEST(SimServerStartTest, ReportsBadFaultSpecAndBusyPort) {
  SimServerOptions bad;
  bad.faults = "429=5%,oops=1%";
  Status status = SimServer(bad).Start();
  EXPECT_EQ(status.code(), StatusCode::kInvalidInput);
  EXPECT_NE(status.message().find("oops"), std::string::npos) << status.message();

  SimServer first{SimServerOptions{}};
  ASSERT_TRUE(first.Start().ok());
  SimServerOptions same;
  same.port = first.port();
  SimServer second(same);
  status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find(std::to_string(first.port())), std::string::npos) << status.message();
  first.Stop();
  first.Stop();  // Idempotent.
}

TEST(SimServerStartTest, StopRightAfterStartReturns) {
  for (int i = 0; i < 20; ++i) {
    SimServer server{SimServerOptions{}};
    ASSERT_TRUE(server.Start().ok());
    server.Stop();
  }
}

}  // namespace
}  // namespace llmeval
