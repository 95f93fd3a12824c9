// HttpTransport: the seam between llmeval's model clients and the network. A transport sends HTTP requests
// asynchronously and runs delayed tasks (retry backoff, rate-limit waits) on its single IO thread. The production
// implementation is CurlTransport (engine/http/curl_transport.h); tests swap in a fake that answers by hand.
//
// Contract: Send and Schedule are thread-safe and never block on the network. `done` runs exactly once, on the
// transport's IO thread, with either a response (any HTTP status) or a network_error. Callbacks must not block.
#ifndef LLMEVAL_ENGINE_HTTP_HTTP_TRANSPORT_H_
#define LLMEVAL_ENGINE_HTTP_HTTP_TRANSPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmeval {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  HttpHeaders headers;
  std::string body;
  int64_t connect_timeout_ms = 10000;
  int64_t total_timeout_ms = 120000;
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers;        // Names as the server sent them; look them up with FindHeader (case-insensitive).
  std::string body;           // Decoded (gzip is undone by the transport).
  std::string network_error;  // Empty when a response arrived.
  bool timed_out = false;     // The network error was a connect or total timeout.
  bool cancelled = false;     // The transport shut down before the request finished.
  int64_t ttfb_ns = 0;
  int64_t total_ns = 0;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Starts the request; `done` runs exactly once on the transport's IO thread. Thread-safe.
  virtual void Send(HttpRequest request, std::function<void(HttpResponse)> done) = 0;
  // Runs `task` on the IO thread after `delay_ns` (used for retry backoff). Thread-safe.
  virtual void Schedule(int64_t delay_ns, std::function<void()> task) = 0;
};

// The value of the first header named `name` (ASCII case-insensitive), or nullopt.
inline std::optional<std::string> FindHeader(const HttpHeaders& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < key.size() && same; ++i) {
      char a = key[i], b = name[i];
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
      same = a == b;
    }
    if (same) return value;
  }
  return std::nullopt;
}

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_HTTP_TRANSPORT_H_
