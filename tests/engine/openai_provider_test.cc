// Tests of OpenAIProvider over a fake HttpTransport and a FakeClock: requests, retries, backoff, Retry-After,
// concurrency cap, rate limiting and secret scrubbing. Nothing sleeps: the test answers requests and runs scheduled
// tasks by hand.
#include "engine/providers/openai_provider.h"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace llmeval {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSecond = 1'000'000'000;
constexpr char kKey[] = "sk-test-PLANTED-SECRET-0123456789";

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

  // Answers the oldest request in flight.
  void Respond(HttpResponse response) {
    ASSERT_FALSE(pending_.empty());
    auto next = std::move(pending_.front());
    pending_.pop_front();
    next.second(std::move(response));
  }
  void Respond(int status, std::string body, HttpHeaders headers = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.ttfb_ns = 3 * kMs;
    r.total_ns = 5 * kMs;
    Respond(std::move(r));
  }
  void RespondNetworkError(std::string error, bool timed_out = false) {
    HttpResponse r;
    r.network_error = std::move(error);
    r.timed_out = timed_out;
    Respond(std::move(r));
  }
  // Runs the oldest scheduled task after moving the clock by its delay.
  void RunScheduled() {
    ASSERT_FALSE(scheduled_.empty());
    auto next = std::move(scheduled_.front());
    scheduled_.pop_front();
    clock_->Advance(next.first);
    next.second();
  }

  std::vector<HttpRequest> requests;  // Every request sent, in order.
  std::vector<int64_t> delays;        // Every Schedule delay, in order.

 private:
  FakeClock* clock_;
  std::deque<std::pair<HttpRequest, std::function<void(HttpResponse)>>> pending_;
  std::deque<std::pair<int64_t, std::function<void()>>> scheduled_;
};

const char kOkBody[] =
    R"({"id":"chatcmpl-1","model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant",)"
    R"("content":"Paris."},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2}})";

ChatRequest SimpleRequest() {
  ChatRequest r;
  r.model = "gpt-4.1-mini";
  r.messages = {ChatMessage::User("Capital of France?")};
  return r;
}

class ProviderTest : public ::testing::Test {
 protected:
  ProviderTest() : transport_(&clock_) {
    config_.api_key = kKey;
    config_.retry_jitter = 0;  // Exact delays.
  }

  // Starts one call; its result lands in results_ (in completion order).
  void Call(OpenAIProvider& provider, ChatRequest request = SimpleRequest()) {
    provider.Chat(std::move(request), [this](ChatResult result) { results_.push_back(std::move(result)); });
  }

  FakeClock clock_;
  FakeTransport transport_;
  ProviderConfig config_;
  std::vector<ChatResult> results_;
};

TEST_F(ProviderTest, SendsRequestAndFillsResponse) {
  config_.base_url = "http://127.0.0.1:9/v1/";
  config_.extra_headers = {{"X-Team", "evals"}};
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  ASSERT_EQ(transport_.requests.size(), 1u);
  const HttpRequest& sent = transport_.requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://127.0.0.1:9/v1/chat/completions");
  EXPECT_EQ(FindHeader(sent.headers, "authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(FindHeader(sent.headers, "content-type"), "application/json");
  EXPECT_EQ(FindHeader(sent.headers, "x-team"), "evals");
  EXPECT_NE(sent.body.find("\"model\":\"gpt-4.1-mini\""), std::string::npos);
  EXPECT_EQ(sent.total_timeout_ms, 120000);
  EXPECT_EQ(provider.in_flight(), 1);

  clock_.Advance(5 * kMs);
  transport_.Respond(200, kOkBody);
  ASSERT_EQ(results_.size(), 1u);
  const ChatResult& r = results_[0];
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(*r.response.message.content, "Paris.");
  EXPECT_EQ(r.response.http_status, 200);
  EXPECT_EQ(r.response.time_to_first_byte_ns, 3 * kMs);
  EXPECT_EQ(r.response.total_time_ns, 5 * kMs);
  EXPECT_EQ(r.response.attempts, 1);
  ASSERT_EQ(r.attempts.size(), 1u);
  EXPECT_EQ(r.attempts[0].http_status, 200);
  EXPECT_EQ(r.attempts[0].duration_nanos, 5 * kMs);
  EXPECT_EQ(r.attempts[0].start_unix_nanos, FakeClock().NowUnixNanos());
  EXPECT_TRUE(r.attempts[0].error.empty());
  EXPECT_EQ(provider.in_flight(), 0);
}

TEST_F(ProviderTest, NoAuthorizationHeaderWithoutKey) {
  config_.api_key.clear();
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  ASSERT_EQ(transport_.requests.size(), 1u);
  EXPECT_FALSE(FindHeader(transport_.requests[0].headers, "Authorization").has_value());
}

TEST_F(ProviderTest, Retries429HonouringRetryAfter) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(429,
                     R"({"error":{"message":"Rate limit reached for gpt-4.1-mini","type":"requests",)"
                     R"("code":"rate_limit_exceeded"}})",
                     {{"Retry-After", "7"}});
  ASSERT_TRUE(results_.empty());
  ASSERT_EQ(transport_.delays, std::vector<int64_t>{7 * kSecond});  // The scheduled delay equals Retry-After.
  transport_.RunScheduled();
  ASSERT_EQ(transport_.requests.size(), 2u);
  EXPECT_EQ(transport_.requests[1].body, transport_.requests[0].body);
  transport_.Respond(200, kOkBody);
  ASSERT_EQ(results_.size(), 1u);
  const ChatResult& r = results_[0];
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.response.attempts, 2);
  ASSERT_EQ(r.attempts.size(), 2u);
  EXPECT_EQ(r.attempts[0].http_status, 429);
  EXPECT_NE(r.attempts[0].error.find("Rate limit reached"), std::string::npos);
  EXPECT_EQ(r.attempts[1].wait_before_nanos, 7 * kSecond);
  EXPECT_EQ(r.attempts[1].start_unix_nanos - r.attempts[0].start_unix_nanos, 7 * kSecond);
}

TEST_F(ProviderTest, RetryAfterMsAndHttpDate) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(503, "busy", {{"retry-after-ms", "1500"}});
  transport_.RunScheduled();
  int64_t now_s = clock_.NowUnixNanos() / kSecond;
  // An HTTP-date 30 s ahead of the fake clock.
  std::time_t target = static_cast<std::time_t>(now_s + 30);
  char date[64];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&target));
  transport_.Respond(429, "{}", {{"Retry-After", date}});
  ASSERT_EQ(transport_.delays.size(), 2u);
  EXPECT_EQ(transport_.delays[0], 1500 * kMs);
  EXPECT_EQ(transport_.delays[1], 30 * kSecond - clock_.NowUnixNanos() % kSecond);
}

TEST_F(ProviderTest, WaitSuggestedInTheMessageWhenNoHeader) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(429, R"({"error":{"message":"Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit )"
                          R"(30000, Used 28039, Requested 3906. Please try again in 3.89s.","type":"tokens",)"
                          R"("code":"rate_limit_exceeded"}})");
  EXPECT_EQ(transport_.delays, std::vector<int64_t>{3'890'000'000});
}

TEST_F(ProviderTest, ServerErrorThenSuccess) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(500, R"({"error":{"message":"The server had an error","type":"server_error","code":null}})");
  ASSERT_EQ(transport_.delays, std::vector<int64_t>{500 * kMs});  // First backoff step.
  transport_.RunScheduled();
  transport_.Respond(200, kOkBody);
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_TRUE(results_[0].status.ok());
  EXPECT_EQ(results_[0].attempts.size(), 2u);
  EXPECT_EQ(results_[0].attempts[0].http_status, 500);
}

TEST_F(ProviderTest, BadRequestIsNotRetried) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(400, R"({"error":{"message":"Unsupported parameter: 'max_tokens'","type":)"
                          R"("invalid_request_error","param":"max_tokens","code":"unsupported_parameter"}})");
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(transport_.scheduled(), 0u);
  EXPECT_EQ(transport_.requests.size(), 1u);
  const ChatResult& r = results_[0];
  EXPECT_EQ(r.status.code(), StatusCode::kRemoteError);
  EXPECT_EQ(r.status.message(),
            "HTTP 400 from openai: Unsupported parameter: 'max_tokens' (code unsupported_parameter)");
  EXPECT_EQ(r.response.http_status, 400);
  EXPECT_EQ(r.attempts.size(), 1u);
}

TEST_F(ProviderTest, AuthAndNotFoundAreNotRetried) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  for (int status : {401, 403, 404}) {
    Call(provider);
    transport_.Respond(status, R"({"error":{"message":"nope"}})");
  }
  EXPECT_EQ(transport_.requests.size(), 3u);
  EXPECT_EQ(transport_.scheduled(), 0u);
  ASSERT_EQ(results_.size(), 3u);
  for (const ChatResult& r : results_) EXPECT_EQ(r.status.code(), StatusCode::kRemoteError);
}

TEST_F(ProviderTest, InsufficientQuotaIsNotRetried) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(429,
                     R"({"error":{"message":"You exceeded your current quota, please check your plan.",)"
                     R"("type":"insufficient_quota","param":null,"code":"insufficient_quota"}})",
                     {{"retry-after", "1"}});
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(transport_.scheduled(), 0u);
  EXPECT_EQ(results_[0].status.code(), StatusCode::kRemoteError);
  EXPECT_NE(results_[0].status.message().find("HTTP 429 from openai: You exceeded your current quota"),
            std::string::npos);
}

TEST_F(ProviderTest, AttemptsAreCapped) {
  config_.max_attempts = 3;
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  for (int i = 0; i < 3; ++i) {
    transport_.Respond(503, R"({"error":{"message":"overloaded"}})");
    if (i < 2) transport_.RunScheduled();
  }
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(transport_.requests.size(), 3u);
  EXPECT_EQ(transport_.scheduled(), 0u);
  const ChatResult& r = results_[0];
  EXPECT_EQ(r.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(r.status.message(), "HTTP 503 from openai: overloaded (after 3 attempts)");
  EXPECT_EQ(r.attempts.size(), 3u);
  EXPECT_EQ(r.response.attempts, 3);
}

TEST_F(ProviderTest, NetworkErrorsAreRetriedAndTimeoutsReported) {
  config_.max_attempts = 2;
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.RespondNetworkError("Couldn't connect to server");
  ASSERT_EQ(transport_.scheduled(), 1u);
  transport_.RunScheduled();
  transport_.RespondNetworkError("Timeout was reached: Operation timed out after 120000 ms", true);
  ASSERT_EQ(results_.size(), 1u);
  const ChatResult& r = results_[0];
  EXPECT_EQ(r.status.code(), StatusCode::kTimeout);
  EXPECT_NE(r.status.message().find("network error calling openai: Timeout was reached"), std::string::npos);
  ASSERT_EQ(r.attempts.size(), 2u);
  EXPECT_EQ(r.attempts[0].http_status, 0);
  EXPECT_EQ(r.attempts[0].error, "Couldn't connect to server");
}

TEST_F(ProviderTest, CancelledIsNotRetried) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  HttpResponse cancelled;
  cancelled.network_error = "cancelled: the HTTP transport shut down";
  cancelled.cancelled = true;
  transport_.Respond(cancelled);
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].status.code(), StatusCode::kCancelled);
  EXPECT_EQ(transport_.scheduled(), 0u);
}

TEST_F(ProviderTest, BackoffGrowsAndIsCapped) {
  config_.max_attempts = 7;
  config_.retry_base_delay_ms = 100;
  config_.retry_max_delay_ms = 400;
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  for (int i = 0; i < 7; ++i) {
    transport_.Respond(502, "Bad Gateway");
    if (i < 6) transport_.RunScheduled();
  }
  EXPECT_EQ(transport_.delays,
            (std::vector<int64_t>{100 * kMs, 200 * kMs, 400 * kMs, 400 * kMs, 400 * kMs, 400 * kMs}));
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].attempts[3].wait_before_nanos, 400 * kMs);
}

TEST_F(ProviderTest, JitterStaysWithinBounds) {
  config_.retry_jitter = 0.25;
  config_.jitter_seed = 42;
  config_.max_attempts = 4;
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  for (int i = 0; i < 3; ++i) {
    transport_.Respond(500, "x");
    transport_.RunScheduled();
  }
  ASSERT_EQ(transport_.delays.size(), 3u);
  int64_t nominal = 500 * kMs;
  for (int64_t d : transport_.delays) {
    EXPECT_LE(d, nominal);
    EXPECT_GT(d, nominal * 3 / 4 - 1);
    nominal *= 2;
  }
}

TEST_F(ProviderTest, TooLongRetryAfterStops) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  transport_.Respond(429, R"({"error":{"code":"429","message":"Please retry after 86400 seconds."}})",
                     {{"retry-after", "86400"}});
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(transport_.scheduled(), 0u);
  EXPECT_NE(results_[0].status.message().find("retry after 86400 s"), std::string::npos);
}

TEST_F(ProviderTest, PlantedKeyNeverLeaks) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  config_.max_attempts = 5;
  Call(provider);
  std::string key = kKey;
  transport_.Respond(500, R"({"error":{"message":"internal error for key )" + key + R"("}})");
  transport_.RunScheduled();
  transport_.RespondNetworkError("proxy rejected Authorization: Bearer " + key);
  transport_.RunScheduled();
  transport_.Respond(200, "garbage that quotes the key " + key);
  Call(provider);
  transport_.Respond(401, R"({"error":{"message":"Incorrect API key provided: )" + key +
                              R"(.","code":)"
                              R"("invalid_api_key"}})");
  ASSERT_EQ(results_.size(), 2u);
  for (const ChatResult& r : results_) {
    EXPECT_FALSE(r.status.ok());
    EXPECT_EQ(r.status.message().find(key), std::string::npos) << r.status.message();
    EXPECT_EQ(r.status.ToString().find(key), std::string::npos);
    EXPECT_NE(r.status.message().find("[redacted]"), std::string::npos) << r.status.message();
    for (const CallAttempt& a : r.attempts) {
      EXPECT_EQ(a.error.find(key), std::string::npos) << a.error;
      EXPECT_NE(a.error.find("[redacted]"), std::string::npos) << a.error;
    }
  }
  EXPECT_EQ(results_[0].attempts.size(), 3u);
  EXPECT_EQ(results_[0].status.code(), StatusCode::kUnavailable);  // The 200 body was not JSON.
  EXPECT_NE(results_[0].status.message().find("not valid JSON"), std::string::npos);
}

TEST_F(ProviderTest, ConcurrencyCapQueuesCalls) {
  config_.max_concurrency = 2;
  OpenAIProvider provider(config_, &transport_, &clock_);
  for (int i = 0; i < 5; ++i) Call(provider);
  EXPECT_EQ(transport_.pending(), 2u);
  EXPECT_EQ(provider.in_flight(), 2);
  EXPECT_EQ(provider.queued(), 3u);
  transport_.Respond(200, kOkBody);
  EXPECT_EQ(results_.size(), 1u);
  EXPECT_EQ(transport_.pending(), 2u);  // The freed slot went to the next call.
  EXPECT_EQ(provider.queued(), 2u);
  while (transport_.pending() > 0) transport_.Respond(200, kOkBody);
  EXPECT_EQ(results_.size(), 5u);
  EXPECT_EQ(provider.in_flight(), 0);
  EXPECT_EQ(provider.queued(), 0u);
}

TEST_F(ProviderTest, RateLimitWaitsGoThroughSchedule) {
  config_.requests_per_minute = 60;  // One a second.
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  Call(provider);
  EXPECT_EQ(transport_.pending(), 1u);
  ASSERT_EQ(transport_.delays, std::vector<int64_t>{kSecond});
  transport_.RunScheduled();
  EXPECT_EQ(transport_.pending(), 2u);
  transport_.Respond(200, kOkBody);
  transport_.Respond(429, "{}");  // Halves the rate.
  EXPECT_DOUBLE_EQ(provider.rate_factor(), 0.5);
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].attempts[0].wait_before_nanos, 0);
}

TEST_F(ProviderTest, StreamingResponse) {
  config_.stream = true;
  OpenAIProvider provider(config_, &transport_, &clock_);
  Call(provider);
  ASSERT_EQ(transport_.requests.size(), 1u);
  EXPECT_NE(transport_.requests[0].body.find("\"stream\":true"), std::string::npos);
  EXPECT_NE(transport_.requests[0].body.find("\"include_usage\":true"), std::string::npos);
  transport_.Respond(200,
                     "data: {\"id\":\"s1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                     "\"content\":\"Hi\"}}]}\n\n"
                     "data: {\"id\":\"s1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                     "data: {\"id\":\"s1\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}\n\n"
                     "data: [DONE]\n\n");
  ASSERT_EQ(results_.size(), 1u);
  ASSERT_TRUE(results_[0].status.ok()) << results_[0].status.ToString();
  EXPECT_EQ(*results_[0].response.message.content, "Hi");
  EXPECT_EQ(results_[0].response.usage.input_tokens, 4);
}

TEST_F(ProviderTest, InvalidRequestFailsWithoutSending) {
  OpenAIProvider provider(config_, &transport_, &clock_);
  ChatRequest request = SimpleRequest();
  request.response_format_json = "{oops";
  Call(provider, request);
  EXPECT_TRUE(results_.empty());  // Reported from the transport thread, not inside Chat.
  transport_.RunScheduled();
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].status.code(), StatusCode::kInvalidInput);
  EXPECT_TRUE(transport_.requests.empty());
  EXPECT_EQ(provider.in_flight(), 0);
}

TEST_F(ProviderTest, CallsOutliveTheProvider) {
  auto provider = std::make_unique<OpenAIProvider>(config_, &transport_, &clock_);
  Call(*provider);
  provider.reset();
  transport_.Respond(200, kOkBody);
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_TRUE(results_[0].status.ok());
}

TEST(ScrubSecretTest, ReplacesEveryOccurrence) {
  EXPECT_EQ(ScrubSecret("a KEY b KEYKEY", "KEY"), "a [redacted] b [redacted][redacted]");
  EXPECT_EQ(ScrubSecret("unchanged", ""), "unchanged");
}

TEST(ResolveApiKeyTest, ReadsTheEnvironment) {
  ProviderConfig config;
  config.api_key_env = "LLMEVAL_TEST_PROVIDER_KEY_UNSET_123";
  EXPECT_TRUE(ResolveApiKey(&config, false).ok());
  Status missing = ResolveApiKey(&config, true);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidInput);
  EXPECT_NE(missing.message().find("LLMEVAL_TEST_PROVIDER_KEY_UNSET_123"), std::string::npos);
  setenv("LLMEVAL_TEST_PROVIDER_KEY_SET_123", "sk-xyz", 1);
  config.api_key_env = "LLMEVAL_TEST_PROVIDER_KEY_SET_123";
  ASSERT_TRUE(ResolveApiKey(&config, true).ok());
  EXPECT_EQ(config.api_key, "sk-xyz");
}

}  // namespace
}  // namespace llmeval
