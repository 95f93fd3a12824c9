// Tests of both HttpTransports (CurlTransport, and EventTransport for plain http://) over real loopback HTTP against
// the simulated server (engine/sim/sim_server.h): plain requests, hundreds in flight, timeouts, refused connections,
// Schedule ordering and shutdown; and OpenAIProvider end to end.
#include "engine/http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/http/event_transport.h"
#include "engine/providers/openai_client_codec.h"
#include "engine/providers/openai_provider.h"
#include "engine/sim/sim_server.h"

namespace llmeval {
namespace {

// Counts completions; Wait blocks (with a generous deadline, never a fixed sleep) until `n` arrived.
class Latch {
 public:
  void Arrive() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  bool Wait(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return count_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

const char kChatBody[] = R"({"model":"sim","messages":[{"role":"user","content":"What is 2+2?"}]})";

// Parameter: "curl" or "event".
class CurlTransportTest : public ::testing::TestWithParam<std::string> {
 protected:
  // `max_host_connections` applies to curl only (EventTransport opens one connection per request in flight).
  std::unique_ptr<HttpTransport> Make(long max_host_connections = 256) {
    if (GetParam() == "event") return std::make_unique<EventTransport>();
    CurlTransportOptions options;
    options.max_host_connections = max_host_connections;
    return std::make_unique<CurlTransport>(options);
  }

  void SetUp() override {
    SimServerOptions options;
    options.slow_ms = 10000;
    server_ = std::make_unique<SimServer>(options);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    base_ = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1";
  }

  HttpRequest ChatRequestTo(const std::string& base) {
    HttpRequest r;
    r.url = base + "/chat/completions";
    r.headers = {{"Content-Type", "application/json"}};
    r.body = kChatBody;
    return r;
  }

  std::unique_ptr<SimServer> server_;
  std::string base_;
};

TEST_P(CurlTransportTest, PostsAndReadsResponse) {
  std::unique_ptr<HttpTransport> made = Make();
  HttpTransport& transport = *made;
  Latch latch;
  HttpResponse got;
  transport.Send(ChatRequestTo(base_), [&](HttpResponse r) {
    got = std::move(r);
    latch.Arrive();
  });
  ASSERT_TRUE(latch.Wait(1));
  ASSERT_TRUE(got.network_error.empty()) << got.network_error;
  EXPECT_EQ(got.status, 200);
  EXPECT_TRUE(FindHeader(got.headers, "content-type").has_value());
  EXPECT_GT(got.ttfb_ns, 0);
  EXPECT_GE(got.total_ns, got.ttfb_ns);
  Result<ChatResponse> decoded = DecodeChatResponseJson(got.body);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString() << "\n" << got.body;
  EXPECT_TRUE(decoded->message.content.has_value());

  HttpRequest missing;
  missing.method = "GET";
  missing.url = base_ + "/no/such/route";
  transport.Send(missing, [&](HttpResponse r) {
    got = std::move(r);
    latch.Arrive();
  });
  ASSERT_TRUE(latch.Wait(2));
  EXPECT_EQ(got.status, 404);
  EXPECT_FALSE(DecodeErrorBody(got.status, got.body).message.empty());
}

// CPU time of the calling thread, in nanoseconds.
int64_t ThreadCpuNanos() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

TEST_P(CurlTransportTest, FiveHundredConcurrentRequests) {
  constexpr int kRequests = 500;
  std::unique_ptr<HttpTransport> made = Make(64);  // With curl, the rest wait in curl's queue.
  HttpTransport& transport = *made;
  for (int round = 0; round < 2; ++round) {  // The second round runs on warm connections and pooled handles.
    std::atomic<int64_t> io_cpu_start{0};
    Latch started;
    transport.Schedule(0, [&] {
      io_cpu_start = ThreadCpuNanos();
      started.Arrive();
    });
    ASSERT_TRUE(started.Wait(1));
    int64_t send_cpu_start = ThreadCpuNanos();
    auto wall_start = std::chrono::steady_clock::now();
    Latch latch;
    std::atomic<int> ok{0};
    for (int i = 0; i < kRequests; ++i) {
      transport.Send(ChatRequestTo(base_), [&](HttpResponse r) {
        if (r.status == 200 && r.network_error.empty()) ok.fetch_add(1);
        latch.Arrive();
      });
    }
    int64_t send_cpu = ThreadCpuNanos() - send_cpu_start;
    ASSERT_TRUE(latch.Wait(kRequests));
    EXPECT_EQ(ok.load(), kRequests);
    std::atomic<int64_t> io_cpu{0};
    Latch measured;
    transport.Schedule(0, [&] {
      io_cpu = ThreadCpuNanos() - io_cpu_start;
      measured.Arrive();
    });
    ASSERT_TRUE(measured.Wait(1));
    double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall_start).count();
    // Informational (the machine is shared, so no hard bound): client CPU per request = IO thread + sending thread.
    std::printf("round %d: %d requests in %.1f ms wall, client CPU %.1f us/request (IO thread %.1f, sending %.1f)\n",
                round, kRequests, wall_ms, static_cast<double>(io_cpu.load() + send_cpu) / kRequests / 1000.0,
                static_cast<double>(io_cpu.load()) / kRequests / 1000.0,
                static_cast<double>(send_cpu) / kRequests / 1000.0);
  }
}

TEST_P(CurlTransportTest, TimeoutProducesNetworkError) {
  std::unique_ptr<HttpTransport> made = Make();
  HttpTransport& transport = *made;
  HttpRequest request = ChatRequestTo(base_);
  request.headers.emplace_back("X-Sim-Fault", "slow");
  request.total_timeout_ms = 150;
  Latch latch;
  HttpResponse got;
  transport.Send(request, [&](HttpResponse r) {
    got = std::move(r);
    latch.Arrive();
  });
  ASSERT_TRUE(latch.Wait(1));
  EXPECT_EQ(got.status, 0);
  EXPECT_FALSE(got.network_error.empty());
  EXPECT_TRUE(got.timed_out) << got.network_error;
  EXPECT_FALSE(got.cancelled);
}

// A server on 127.0.0.1 that answers one connection with a chunked 200 and then one byte every 50 ms for up to 5 s:
// always busy, never done, so only a bound on the whole call ends it early.
class TricklingServer {
 public:
  TricklingServer() {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listen_fd_, 4);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      char request[4096];
      (void)!read(fd, request, sizeof request);
      std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
      (void)!send(fd, head.data(), head.size(), MSG_NOSIGNAL);
      for (int i = 0; i < 100 && !stop_; ++i) {
        if (send(fd, "1\r\n:\r\n", 6, MSG_NOSIGNAL) < 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      close(fd);
    });
  }
  ~TricklingServer() {
    stop_ = true;
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST_P(CurlTransportTest, TheTotalTimeoutBoundsAResponseThatKeepsTrickling) {
  TricklingServer trickler;
  std::unique_ptr<HttpTransport> transport = Make();
  HttpRequest request = ChatRequestTo("http://127.0.0.1:" + std::to_string(trickler.port()) + "/v1");
  request.total_timeout_ms = 300;
  Latch latch;
  HttpResponse got;
  transport->Send(request, [&](HttpResponse r) {
    got = std::move(r);
    latch.Arrive();
  });
  ASSERT_TRUE(latch.Wait(1));
  EXPECT_TRUE(got.timed_out) << "status " << got.status << ", error: " << got.network_error;
  EXPECT_EQ(got.status, 0);
}

TEST_P(CurlTransportTest, RefusedConnectionProducesNetworkError) {
  std::string dead = base_;
  server_->Stop();
  std::unique_ptr<HttpTransport> made = Make();
  HttpTransport& transport = *made;
  Latch latch;
  HttpResponse got;
  transport.Send(ChatRequestTo(dead), [&](HttpResponse r) {
    got = std::move(r);
    latch.Arrive();
  });
  ASSERT_TRUE(latch.Wait(1));
  EXPECT_EQ(got.status, 0);
  EXPECT_FALSE(got.network_error.empty());
  EXPECT_FALSE(got.timed_out);
}

TEST_P(CurlTransportTest, RunsScheduledTasksInDueOrder) {
  std::unique_ptr<HttpTransport> made = Make();
  HttpTransport& transport = *made;
  std::mutex mu;
  std::vector<std::string> order;
  Latch latch;
  auto record = [&](std::string name) {
    return [&, name] {
      std::lock_guard<std::mutex> lock(mu);
      order.push_back(name);
      latch.Arrive();
    };
  };
  constexpr int64_t kMs = 1'000'000;
  transport.Schedule(60 * kMs, record("60ms"));
  transport.Schedule(20 * kMs, record("20ms"));
  transport.Schedule(0, record("now-a"));
  transport.Schedule(40 * kMs, record("40ms"));
  transport.Schedule(0, record("now-b"));
  transport.Schedule(20 * kMs, record("20ms-second"));
  ASSERT_TRUE(latch.Wait(6));
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(order, (std::vector<std::string>{"now-a", "now-b", "20ms", "20ms-second", "40ms", "60ms"}));
}

TEST_P(CurlTransportTest, ShutdownCancelsInFlightAndRunsPendingTasks) {
  std::atomic<int> cancelled{0};
  std::atomic<int> ran{0};
  {
    std::unique_ptr<HttpTransport> made = Make();
    HttpTransport& transport = *made;
    HttpRequest slow = ChatRequestTo(base_);
    slow.headers.emplace_back("X-Sim-Fault", "slow");
    Latch sent;
    transport.Schedule(0, [&] { sent.Arrive(); });
    for (int i = 0; i < 3; ++i) {
      transport.Send(slow, [&](HttpResponse r) {
        if (r.cancelled && !r.network_error.empty()) cancelled.fetch_add(1);
      });
    }
    transport.Schedule(3'600'000'000'000, [&] { ran.fetch_add(1); });  // An hour away.
    ASSERT_TRUE(sent.Wait(1));
  }
  EXPECT_EQ(cancelled.load(), 3);
  EXPECT_EQ(ran.load(), 1);
}

TEST_P(CurlTransportTest, ProviderEndToEndWithRetriesAndStreaming) {
  server_->Stop();
  SimServerOptions options;
  options.faults = "500@2";  // Every second request fails once.
  server_ = std::make_unique<SimServer>(options);
  ASSERT_TRUE(server_->Start().ok());
  std::unique_ptr<HttpTransport> made = Make();
  HttpTransport& transport = *made;
  ProviderConfig config;
  config.name = "sim";
  config.base_url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1";
  config.api_key = "sk-local-test";
  config.retry_base_delay_ms = 1;
  config.retry_max_delay_ms = 5;
  OpenAIProvider provider(config, &transport);
  config.stream = true;
  OpenAIProvider streaming(config, &transport);

  std::mutex mu;
  std::vector<ChatResult> results;
  Latch latch;
  auto collect = [&](ChatResult r) {
    std::lock_guard<std::mutex> lock(mu);
    results.push_back(std::move(r));
    latch.Arrive();
  };
  ChatRequest request;
  request.model = "sim";
  request.messages = {ChatMessage::User("What is the capital of France?")};
  for (int i = 0; i < 4; ++i) provider.Chat(request, collect);
  for (int i = 0; i < 4; ++i) streaming.Chat(request, collect);
  ASSERT_TRUE(latch.Wait(8));
  std::lock_guard<std::mutex> lock(mu);
  int retried = 0;
  for (const ChatResult& r : results) {
    ASSERT_TRUE(r.status.ok()) << r.status.ToString();
    EXPECT_EQ(r.response.http_status, 200);
    EXPECT_TRUE(r.response.message.content.has_value());
    EXPECT_FALSE(r.response.message.content->empty());
    EXPECT_TRUE(r.response.usage.reported);
    EXPECT_GT(r.response.total_time_ns, 0);
    if (r.attempts.size() > 1) {
      ++retried;
      EXPECT_EQ(r.attempts[0].http_status, 500);
    }
  }
  EXPECT_GT(retried, 0);
}

TEST(EventTransportCanServeTest, PlainHttpToNumericHostsOrLocalhostOnly) {
  EXPECT_TRUE(EventTransportCanServe("http://127.0.0.1:8000/v1"));
  EXPECT_TRUE(EventTransportCanServe("http://localhost:11434/v1"));
  EXPECT_TRUE(EventTransportCanServe("http://10.0.0.7/v1"));
  EXPECT_FALSE(EventTransportCanServe("https://api.openai.com/v1"));
  EXPECT_FALSE(EventTransportCanServe("https://127.0.0.1:8000/v1"));
  EXPECT_FALSE(EventTransportCanServe("http://models.internal:8000/v1"));  // Would resolve on the IO thread.
  EXPECT_FALSE(EventTransportCanServe("not a url"));
  setenv("HTTP_PROXY", "http://proxy:3128", 1);
  EXPECT_FALSE(EventTransportCanServe("http://127.0.0.1:8000/v1"));  // Proxies are curl's.
  unsetenv("HTTP_PROXY");
}

INSTANTIATE_TEST_SUITE_P(Transports, CurlTransportTest, ::testing::Values("curl", "event"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace llmeval
