// Tests of what CurlTransport keeps from one request to the next: pooled easy handles keep their options (no
// curl_easy_reset between requests) and rebuild only what changed, so a reused handle must send exactly the next
// request's method, headers and body; and epoll registrations outlive a transfer (parked sockets), so a connection the
// server closes, whose socket number comes back for the next connection, must still be watched. Real loopback HTTP
// against a small echo server on its own thread.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/http/curl_transport.h"

namespace llmeval {
namespace {

// An HTTP/1.1 server on 127.0.0.1 that answers every request with 200 and, as the body, the request's head and body.
// With `close_after_reply` it closes each connection after one reply. Serves one connection at a time.
class EchoServer {
 public:
  explicit EchoServer(bool close_after_reply) : close_after_reply_(close_after_reply) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(listen_fd_, 64) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~EchoServer() {
    stopping_ = true;
    shutdown(listen_fd_, SHUT_RDWR);  // Wakes accept().
    int conn = conn_fd_.load();
    if (conn >= 0) shutdown(conn, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    close(listen_fd_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/echo"; }
  int connections() const { return connections_.load(); }

 private:
  void Run() {
    while (!stopping_) {
      int conn = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) return;
      connections_.fetch_add(1);
      conn_fd_ = conn;
      Serve(conn);
      conn_fd_ = -1;
      close(conn);
    }
  }

  void Serve(int conn) {
    std::string buffer;
    char chunk[4096];
    for (;;) {
      size_t head_end;
      while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = recv(conn, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string head = buffer.substr(0, head_end + 4);
      size_t body_size = 0;
      std::string lower = head;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
        body_size = std::stoul(head.substr(at + 17));
      }
      while (buffer.size() < head.size() + body_size) {
        ssize_t n = recv(conn, chunk, sizeof chunk, 0);
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      std::string echoed = buffer.substr(0, head.size() + body_size);
      buffer.erase(0, echoed.size());
      std::string reply =
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(echoed.size()) + "\r\n" +
          (close_after_reply_ ? "Connection: close\r\n" : "") + "\r\n" + echoed;
      if (send(conn, reply.data(), reply.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(reply.size())) return;
      if (close_after_reply_) return;
    }
  }

  const bool close_after_reply_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> conn_fd_{-1};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

// Sends one request and waits (with a generous deadline, never a fixed sleep) for its response.
HttpResponse SendAndWait(CurlTransport* transport, HttpRequest request) {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  HttpResponse got;
  transport->Send(std::move(request), [&](HttpResponse r) {
    std::lock_guard<std::mutex> lock(mu);
    got = std::move(r);
    done = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  if (!cv.wait_for(lock, std::chrono::seconds(20), [&] { return done; })) got.network_error = "test: no response";
  return got;
}

HttpRequest Request(const std::string& url, std::string method, HttpHeaders headers, std::string body) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = url;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

TEST(CurlTransportReuseTest, ReusedHandleSendsEachRequestsOwnMethodHeadersAndBody) {
  EchoServer server(/*close_after_reply=*/false);
  CurlTransport transport;  // Destroyed before the server, so the server's connection ends first.
  struct Step {
    HttpRequest request;
    std::vector<std::string> present, absent;
  };
  std::vector<Step> steps = {
      {Request(server.url(), "POST", {{"X-A", "1"}}, "first-body"), {"POST /echo ", "X-A: 1", "first-body"}, {}},
      {Request(server.url(), "POST", {{"X-B", "2"}}, "second"), {"POST /echo ", "X-B: 2", "second"}, {"X-A"}},
      {Request(server.url(), "GET", {{"X-B", "2"}}, ""), {"GET /echo ", "X-B: 2"}, {"second", "Content-Length"}},
      {Request(server.url(), "PUT", {}, "third"), {"PUT /echo ", "third"}, {"X-B", "X-A"}},
      {Request(server.url(), "POST", {{"X-A", "1"}}, "fourth"), {"POST /echo ", "X-A: 1", "fourth"}, {"X-B", "PUT"}},
      {Request(server.url(), "POST", {{"X-A", "1"}}, "fifth"), {"POST /echo ", "X-A: 1", "fifth"}, {"fourth"}},
  };
  for (size_t i = 0; i < steps.size(); ++i) {
    HttpResponse r = SendAndWait(&transport, steps[i].request);
    ASSERT_TRUE(r.network_error.empty()) << "step " << i << ": " << r.network_error;
    EXPECT_EQ(r.status, 200) << "step " << i;
    for (const std::string& s : steps[i].present) EXPECT_NE(r.body.find(s), std::string::npos) << i << ": " << r.body;
    for (const std::string& s : steps[i].absent) EXPECT_EQ(r.body.find(s), std::string::npos) << i << ": " << r.body;
    EXPECT_EQ(r.body.find("Expect:"), std::string::npos) << "no 100-continue: " << r.body;
  }
  EXPECT_EQ(server.connections(), 1);  // One keep-alive connection served every step.
}

// Each reply closes its connection; the next request opens a new socket, usually with the number the closed one had.
// Each request is sent from the previous one's callback, on the IO thread (which queues it without a wake-up).
TEST(CurlTransportReuseTest, ConnectionsClosedByTheServerAreReplacedAndWatched) {
  constexpr int kRequests = 40;
  EchoServer server(/*close_after_reply=*/true);
  CurlTransport transport;
  std::mutex mu;
  std::condition_variable cv;
  int finished = 0;
  std::vector<std::string> errors;
  std::function<void(int)> send_one = [&](int n) {
    transport.Send(Request(server.url(), "POST", {{"X-N", std::to_string(n)}}, "body-" + std::to_string(n)),
                   [&, n](HttpResponse r) {
                     bool ok = r.network_error.empty() && r.status == 200 &&
                               r.body.find("body-" + std::to_string(n)) != std::string::npos;
                     if (n + 1 < kRequests) send_one(n + 1);
                     std::lock_guard<std::mutex> lock(mu);
                     if (!ok) errors.push_back(std::to_string(n) + ": " + r.network_error + " " + r.body);
                     ++finished;
                     cv.notify_all();
                   });
  };
  send_one(0);
  std::unique_lock<std::mutex> lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(20), [&] { return finished == kRequests; }))
      << finished << " of " << kRequests << " finished";
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(server.connections(), kRequests);
}

}  // namespace
}  // namespace llmeval
