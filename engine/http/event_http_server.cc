#include "engine/http/event_http_server.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <mutex>

namespace llmeval {
namespace {

void OnStop(evutil_socket_t, short, void* arg) { event_base_loopbreak(static_cast<event_base*>(arg)); }

}  // namespace

EventHttpServer::~EventHttpServer() { Stop(); }

Status EventHttpServer::Start(const EventHttpServerOptions& options, Handler handler, void* arg) {
  if (running_) return Status::OK();
  static std::once_flag threads_once;
  std::call_once(threads_once, [] { evthread_use_pthreads(); });
  event_config* config = event_config_new();
  if (config != nullptr) event_config_set_flag(config, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
  base_ = config != nullptr ? event_base_new_with_config(config) : nullptr;
  if (config != nullptr) event_config_free(config);
  http_ = base_ != nullptr ? evhttp_new(base_) : nullptr;
  if (http_ == nullptr) {
    Release();
    return Status::IOError(options.name + ": cannot create the libevent HTTP server");
  }
  evhttp_set_gencb(http_, handler, arg);
  evhttp_set_max_body_size(http_, static_cast<ev_ssize_t>(options.max_body_bytes));
  // Every method reaches the handler, so that the answer to a wrong one is the server's own 405.
  evhttp_set_allowed_methods(http_, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                        EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
  Status bound = Bind(options);
  if (!bound.ok()) {
    Release();
    return bound;
  }
  stop_event_ = event_new(base_, -1, 0, &OnStop, base_);
  event_base* base = base_;
  thread_ = std::thread([base] {
    // A client that hangs up makes a write raise SIGPIPE; keep it pending on this thread instead of killing us.
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
  });
  running_ = true;
  return Status::OK();
}

void EventHttpServer::Stop(const std::function<void()>& before_free) {
  if (!running_) return;
  event_active(stop_event_, EV_TIMEOUT, 0);  // Thread-safe; seen by the loop even if it has not started yet.
  thread_.join();
  if (before_free) before_free();
  Release();
  running_ = false;
}

void EventHttpServer::Release() {
  if (http_ != nullptr) evhttp_free(http_);
  if (stop_event_ != nullptr) event_free(stop_event_);
  if (base_ != nullptr) event_base_free(base_);
  http_ = nullptr;
  stop_event_ = nullptr;
  base_ = nullptr;
}

Status EventHttpServer::Bind(const EventHttpServerOptions& options) {
  addrinfo hints;
  std::memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  std::string port_text = std::to_string(options.port);
  int rc = getaddrinfo(options.host.c_str(), port_text.c_str(), &hints, &addresses);
  if (rc != 0) {
    return Status::IOError(options.name + ": cannot resolve host \"" + options.host + "\": " + gai_strerror(rc));
  }
  evconnlistener* listener = nullptr;
  int error = 0;
  for (addrinfo* a = addresses; a != nullptr && listener == nullptr; a = a->ai_next) {
    listener = evconnlistener_new_bind(base_, nullptr, nullptr,
                                       LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
                                       options.listen_backlog, a->ai_addr, static_cast<int>(a->ai_addrlen));
    if (listener == nullptr) error = errno;
  }
  freeaddrinfo(addresses);
  std::string where = options.host + ":" + port_text;
  if (listener == nullptr) {
    return Status::IOError(options.name + ": cannot listen on " + where + ": " + std::strerror(error));
  }
  if (evhttp_bind_listener(http_, listener) == nullptr) {
    evconnlistener_free(listener);
    return Status::IOError(options.name + ": cannot serve HTTP on " + where);
  }
  sockaddr_storage bound;
  socklen_t bound_length = sizeof(bound);
  if (getsockname(evconnlistener_get_fd(listener), reinterpret_cast<sockaddr*>(&bound), &bound_length) != 0) {
    return Status::IOError(options.name + ": cannot read the bound port of " + where + ": " + std::strerror(errno));
  }
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return Status::OK();
}

}  // namespace llmeval
