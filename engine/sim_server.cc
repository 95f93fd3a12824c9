#include "engine/sim_server.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "engine/fault_spec.h"
#include "engine/sim_server_reply.h"

namespace llmeval {
namespace {

constexpr int kListenBacklog = 4096;
constexpr size_t kMaxBodyBytes = 64u << 20;

const char* MethodName(evhttp_cmd_type command) {
  switch (command) {
    case EVHTTP_REQ_GET:
      return "GET";
    case EVHTTP_REQ_POST:
      return "POST";
    case EVHTTP_REQ_HEAD:
      return "HEAD";
    case EVHTTP_REQ_PUT:
      return "PUT";
    case EVHTTP_REQ_DELETE:
      return "DELETE";
    case EVHTTP_REQ_OPTIONS:
      return "OPTIONS";
    case EVHTTP_REQ_TRACE:
      return "TRACE";
    case EVHTTP_REQ_CONNECT:
      return "CONNECT";
    case EVHTTP_REQ_PATCH:
      return "PATCH";
  }
  return "UNKNOWN";
}

}  // namespace

struct SimServer::Impl {
  // A reply waiting for its latency timer. Owned by Impl::pending until the timer fires or the server stops.
  struct Pending {
    Impl* impl;
    evhttp_request* request;
    event* timer;
    SimReply reply;
  };

  explicit Impl(SimServerOptions o) : options(std::move(o)) {}

  static void OnRequest(evhttp_request* request, void* arg) { static_cast<Impl*>(arg)->Handle(request); }
  static void OnStop(evutil_socket_t, short, void* arg) { event_base_loopbreak(static_cast<event_base*>(arg)); }
  static void OnTimer(evutil_socket_t, short, void* arg) {
    auto* pending = static_cast<Pending*>(arg);
    pending->impl->pending.erase(pending);
    Send(pending->request, pending->reply);
    event_free(pending->timer);
    delete pending;
  }

  void Handle(evhttp_request* request) {
    requests.fetch_add(1, std::memory_order_relaxed);
    SimHttpRequest http;
    http.method = MethodName(evhttp_request_get_command(request));
    std::string_view uri = evhttp_request_get_uri(request);
    http.path = uri.substr(0, uri.find('?'));
    evbuffer* input = evhttp_request_get_input_buffer(request);
    size_t length = evbuffer_get_length(input);
    if (length > 0) http.body = std::string_view(reinterpret_cast<const char*>(evbuffer_pullup(input, -1)), length);
    evkeyvalq* headers = evhttp_request_get_input_headers(request);
    http.fault_header = evhttp_find_header(headers, "X-Sim-Fault");
    http.latency_header = evhttp_find_header(headers, "X-Sim-Latency-Ms");

    SimReply reply = BuildSimReply(http, options, faults, &chat_counter);
    if (reply.fault) fault_count.fetch_add(1, std::memory_order_relaxed);
    if (reply.bad_request) bad_requests.fetch_add(1, std::memory_order_relaxed);
    if (reply.kind == SimReply::Kind::kStream) streams.fetch_add(1, std::memory_order_relaxed);

    // Drops are deferred too, so the connection is never freed inside libevent's own request callback.
    if (reply.delay_ms <= 0 && reply.kind != SimReply::Kind::kDrop) {
      Send(request, reply);
      return;
    }
    auto* p = new Pending{this, request, nullptr, std::move(reply)};
    p->timer = evtimer_new(base, &Impl::OnTimer, p);
    timeval delay;
    delay.tv_sec = p->reply.delay_ms / 1000;
    delay.tv_usec = (p->reply.delay_ms % 1000) * 1000;
    pending.insert(p);
    evtimer_add(p->timer, &delay);
  }

  static void Send(evhttp_request* request, const SimReply& reply) {
    if (reply.kind == SimReply::Kind::kDrop) {
      evhttp_connection* connection = evhttp_request_get_connection(request);
      if (connection != nullptr) {
        evhttp_connection_free(connection);  // Frees the request with it.
      } else {
        evhttp_request_free(request);
      }
      return;
    }
    evkeyvalq* out = evhttp_request_get_output_headers(request);
    evhttp_add_header(out, "Content-Type", reply.content_type.c_str());
    evhttp_add_header(out, "Server", "llmeval-sim");
    for (const auto& [name, value] : reply.headers) evhttp_add_header(out, name.c_str(), value.c_str());
    evbuffer* buffer = evbuffer_new();
    if (reply.kind == SimReply::Kind::kBody) {
      evbuffer_add(buffer, reply.body.data(), reply.body.size());
      evhttp_send_reply(request, reply.status, nullptr, buffer);
    } else {
      evhttp_send_reply_start(request, reply.status, nullptr);
      for (const std::string& event : reply.events) {
        evbuffer_add(buffer, event.data(), event.size());
        evhttp_send_reply_chunk(request, buffer);
        evbuffer_drain(buffer, evbuffer_get_length(buffer));  // Only left over when the client has gone.
      }
      evhttp_send_reply_end(request);
    }
    evbuffer_free(buffer);
  }

  // Frees everything the loop owned. REQUIRES: the loop thread has finished.
  void Release() {
    for (Pending* p : pending) {
      event_free(p->timer);
      // A request whose client went away no longer belongs to a connection; evhttp_free would not free it.
      if (evhttp_request_get_connection(p->request) == nullptr) evhttp_request_free(p->request);
      delete p;
    }
    pending.clear();
    if (http != nullptr) evhttp_free(http);
    if (stop_event != nullptr) event_free(stop_event);
    if (base != nullptr) event_base_free(base);
    http = nullptr;
    stop_event = nullptr;
    base = nullptr;
  }

  Status Bind() {
    addrinfo hints;
    std::memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* addresses = nullptr;
    std::string port_text = std::to_string(options.port);
    int rc = getaddrinfo(options.host.c_str(), port_text.c_str(), &hints, &addresses);
    if (rc != 0) {
      return Status::IOError("sim server: cannot resolve host \"" + options.host + "\": " + gai_strerror(rc));
    }
    evconnlistener* listener = nullptr;
    int error = 0;
    for (addrinfo* a = addresses; a != nullptr && listener == nullptr; a = a->ai_next) {
      listener = evconnlistener_new_bind(base, nullptr, nullptr,
                                         LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC,
                                         kListenBacklog, a->ai_addr, static_cast<int>(a->ai_addrlen));
      if (listener == nullptr) error = errno;
    }
    freeaddrinfo(addresses);
    std::string where = options.host + ":" + port_text;
    if (listener == nullptr) {
      return Status::IOError("sim server: cannot listen on " + where + ": " + std::strerror(error));
    }
    if (evhttp_bind_listener(http, listener) == nullptr) {
      evconnlistener_free(listener);
      return Status::IOError("sim server: cannot serve HTTP on " + where);
    }
    sockaddr_storage bound;
    socklen_t bound_length = sizeof(bound);
    if (getsockname(evconnlistener_get_fd(listener), reinterpret_cast<sockaddr*>(&bound), &bound_length) != 0) {
      return Status::IOError("sim server: cannot read the bound port of " + where + ": " + std::strerror(errno));
    }
    port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return Status::OK();
  }

  const SimServerOptions options;
  FaultSpec faults;
  std::mutex mu;  // Serialises Start and Stop.
  bool running = false;
  int port = 0;
  event_base* base = nullptr;
  evhttp* http = nullptr;
  event* stop_event = nullptr;
  std::thread thread;
  // Loop-thread state.
  uint64_t chat_counter = 0;
  std::unordered_set<Pending*> pending;
  // Counters, read from any thread.
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> fault_count{0};
  std::atomic<uint64_t> streams{0};
  std::atomic<uint64_t> bad_requests{0};
};

SimServer::SimServer(SimServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

SimServer::~SimServer() { Stop(); }

Status SimServer::Start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.running) return Status::OK();
  const SimServerOptions& o = s.options;
  if (o.port < 0 || o.port > 65535) return Status::InvalidInput("sim server: port must be from 0 to 65535");
  if (o.latency_ms < 0 || o.jitter_ms < 0 || o.slow_ms < 0) {
    return Status::InvalidInput("sim server: latency, jitter and slow delay must not be negative");
  }
  Result<FaultSpec> faults = FaultSpec::Parse(o.faults);
  if (!faults.ok()) return faults.status().WithContext("sim server faults");
  s.faults = std::move(*faults);

  static std::once_flag threads_once;
  std::call_once(threads_once, [] { evthread_use_pthreads(); });
  // The changelist folds the add/remove of a connection's events within one loop pass into at most one epoll_ctl:
  // evhttp toggles write interest around every reply, which otherwise costs about four system calls per request.
  event_config* config = event_config_new();
  if (config != nullptr) event_config_set_flag(config, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
  s.base = config != nullptr ? event_base_new_with_config(config) : nullptr;
  if (config != nullptr) event_config_free(config);
  s.http = s.base != nullptr ? evhttp_new(s.base) : nullptr;
  if (s.http == nullptr) {
    s.Release();
    return Status::IOError("sim server: cannot create the libevent HTTP server");
  }
  evhttp_set_gencb(s.http, &Impl::OnRequest, &s);
  evhttp_set_max_body_size(s.http, kMaxBodyBytes);
  evhttp_set_allowed_methods(s.http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                         EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
  Status bound = s.Bind();
  if (!bound.ok()) {
    s.Release();
    return bound;
  }
  s.stop_event = event_new(s.base, -1, 0, &Impl::OnStop, s.base);
  event_base* base = s.base;
  s.thread = std::thread([base] {
    // A client that hangs up makes a write raise SIGPIPE; keep it pending on this thread instead of killing us.
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
    event_base_loop(base, EVLOOP_NO_EXIT_ON_EMPTY);
  });
  s.running = true;
  return Status::OK();
}

int SimServer::port() const { return impl_->port; }

void SimServer::Stop() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (!s.running) return;
  event_active(s.stop_event, EV_TIMEOUT, 0);  // Thread-safe; seen by the loop even if it has not started yet.
  s.thread.join();
  s.Release();
  s.running = false;
}

SimServer::Counters SimServer::counters() const {
  Counters c;
  c.requests = impl_->requests.load(std::memory_order_relaxed);
  c.faults = impl_->fault_count.load(std::memory_order_relaxed);
  c.streams = impl_->streams.load(std::memory_order_relaxed);
  c.bad_requests = impl_->bad_requests.load(std::memory_order_relaxed);
  return c;
}

}  // namespace llmeval
