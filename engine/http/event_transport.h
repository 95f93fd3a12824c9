// EventTransport: an HttpTransport for plain http:// on libevent's evhttp client, for the common case of a model
// server on this machine or the local network (vLLM, llama.cpp, Ollama, the sim server) where libcurl's per-request
// CPU is the client's largest cost. CurlTransport stays the transport for https://, HTTP/2, proxies and host names
// (evhttp would resolve them on the IO thread); EventTransportCanServe says which base URLs this one takes.
//
// One IO thread runs an event_base. Send and Schedule queue work under a mutex and wake the loop with an active event.
// Each request in flight has a connection of its own (HTTP/1.1, keep-alive); finished connections go back to an idle
// pool per host:port and are reused. Responses are read whole; none is asked to be compressed, so a response with a
// Content-Encoding is a network error. total_timeout_ms bounds the whole call, connect included (as with libcurl):
// at the deadline the request is cancelled, its connection closed, and it completes with timed_out set.
//
// Thread-safety: Send and Schedule may be called from any thread, including from callbacks on the IO thread. `done`
// runs exactly once, on the IO thread. Destruction: in-flight requests complete with network_error "cancelled"
// (cancelled = true), pending scheduled tasks run at once, then the thread is joined; a Send during or after shutdown
// completes at once, on the calling thread, as cancelled. Do not destroy the transport from its own IO thread.
#ifndef LLMEVAL_ENGINE_HTTP_EVENT_TRANSPORT_H_
#define LLMEVAL_ENGINE_HTTP_EVENT_TRANSPORT_H_

#include <memory>
#include <string>

#include "engine/http/http_transport.h"

namespace llmeval {

// Whether `base_url` is plain http:// to a numeric IPv4 address or localhost, and no proxy is set in the
// environment (http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY), i.e. what EventTransport serves as well as curl.
bool EventTransportCanServe(const std::string& base_url);

class EventTransport : public HttpTransport {
 public:
  EventTransport();
  ~EventTransport() override;
  EventTransport(const EventTransport&) = delete;
  EventTransport& operator=(const EventTransport&) = delete;

  void Send(HttpRequest request, std::function<void(HttpResponse)> done) override;
  void Schedule(int64_t delay_ns, std::function<void()> task) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_EVENT_TRANSPORT_H_
