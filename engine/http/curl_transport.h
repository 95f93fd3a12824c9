// CurlTransport: the production HttpTransport. One IO thread drives a libcurl multi handle with
// curl_multi_socket_action over epoll (each wake-up costs O(ready sockets), not O(open connections)), woken through an
// eventfd when work arrives; new requests and scheduled tasks pass through a mutex-protected queue, and a
// timer heap runs Schedule()d tasks. Connections are reused (HTTP/2 multiplexing when the server offers it, keep-alive
// for HTTP/1.1), responses may be gzip-compressed, and easy handles are pooled with their options kept (only what
// changed is set again), so a request costs little CPU. Above 256 connections per host the connections are split
// between several multi handles (at most 8; each new request goes to the least busy), because curl looks for a
// connection to reuse by walking all of a multi handle's connections to the host.
//
// Thousands of requests may be in flight: beyond max_host_connections curl queues them internally.
//
// Thread-safety: Send and Schedule may be called from any thread, including from callbacks on the IO thread.
// Destruction: in-flight requests are cancelled (their `done` gets network_error "cancelled", cancelled = true),
// pending scheduled tasks run at once (so every callback still fires exactly once), then the thread is joined. A Send
// made during or after shutdown completes at once with a cancelled response. Do not destroy the transport from its own
// IO thread.
#ifndef LLMEVAL_ENGINE_HTTP_CURL_TRANSPORT_H_
#define LLMEVAL_ENGINE_HTTP_CURL_TRANSPORT_H_

#include <memory>

#include "engine/http/http_transport.h"

namespace llmeval {

struct CurlTransportOptions {
  long max_host_connections = 256;    // Per host; further requests wait in curl's queue. 0 = unlimited.
  long max_total_connections = 0;     // 0 = unlimited.
  long max_cached_connections = 512;  // Idle connections kept for reuse (CURLMOPT_MAXCONNECTS).
  bool verbose = false;               // curl's debug output on stderr (never shows request bodies).
};

class CurlTransport : public HttpTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  void Send(HttpRequest request, std::function<void(HttpResponse)> done) override;
  void Schedule(int64_t delay_ns, std::function<void()> task) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_CURL_TRANSPORT_H_
