// EventHttpServer: the skeleton that `llmeval sim-server` and `llmeval ui` share. One libevent evhttp server bound
// to host:port (port 0 picks a free one) on its own loop thread; every request goes to the handler on that thread.
//
// Start creates the event base (with epoll's changelist, which folds evhttp's per-reply toggles of write interest into
// at most one epoll_ctl per connection and loop pass), binds, and starts the loop thread with SIGPIPE blocked (a
// client that hangs up must not kill the process). Stop breaks the loop from any thread, joins it, runs
// `before_free` (where the owner frees what its handlers left on the loop, e.g. pending timers), then frees the
// server. Start and Stop are not thread-safe against each other; owners serialise them.
#ifndef LLMEVAL_ENGINE_HTTP_EVENT_HTTP_SERVER_H_
#define LLMEVAL_ENGINE_HTTP_EVENT_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <string>
#include <thread>

#include "core/status.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_request;

namespace llmeval {

struct EventHttpServerOptions {
  std::string name;  // Prefixes error messages: "sim server", "ui server".
  std::string host = "127.0.0.1";
  int port = 0;
  size_t max_body_bytes = 1 << 16;
  int listen_backlog = 128;
};

class EventHttpServer {
 public:
  using Handler = void (*)(evhttp_request* request, void* arg);

  EventHttpServer() = default;
  ~EventHttpServer();  // Stops.
  EventHttpServer(const EventHttpServer&) = delete;
  EventHttpServer& operator=(const EventHttpServer&) = delete;

  // IOError naming the host and port when it cannot listen. Every method reaches `handler`.
  Status Start(const EventHttpServerOptions& options, Handler handler, void* arg);
  void Stop(const std::function<void()>& before_free = {});

  bool running() const { return running_; }
  int port() const { return port_; }
  event_base* base() const { return base_; }  // For the handlers' own timers; loop thread only.
  evhttp* http() const { return http_; }      // For per-request hooks (evhttp_set_newreqcb); loop thread only.

 private:
  Status Bind(const EventHttpServerOptions& options);
  void Release();

  bool running_ = false;
  int port_ = 0;
  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  event* stop_event_ = nullptr;
  std::thread thread_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_EVENT_HTTP_SERVER_H_
