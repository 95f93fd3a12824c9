#include "engine/sim/sim_server.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <atomic>
#include <mutex>
#include <unordered_set>

#include "engine/http/event_http_server.h"
#include "engine/sim/fault_spec.h"
#include "engine/sim/sim_server_reply.h"

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
  static void OnTimer(evutil_socket_t, short, void* arg) {
    auto* pending = static_cast<Pending*>(arg);
    pending->impl->pending.erase(pending);
    Send(pending->request, pending->reply);
    pending->impl->in_flight.fetch_sub(1, std::memory_order_relaxed);
    event_free(pending->timer);
    delete pending;
  }

  void Handle(evhttp_request* request) {
    requests.fetch_add(1, std::memory_order_relaxed);
    uint64_t now_in_flight = in_flight.fetch_add(1, std::memory_order_relaxed) + 1;
    if (now_in_flight > max_in_flight.load(std::memory_order_relaxed)) {
      max_in_flight.store(now_in_flight, std::memory_order_relaxed);  // Only the loop thread writes it.
    }
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
      in_flight.fetch_sub(1, std::memory_order_relaxed);
      return;
    }
    auto* p = new Pending{this, request, nullptr, std::move(reply)};
    p->timer = evtimer_new(server.base(), &Impl::OnTimer, p);
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

  // Frees the replies still waiting for their timers. REQUIRES: the loop thread has finished.
  void FreePending() {
    for (Pending* p : pending) {
      event_free(p->timer);
      // A request whose client went away no longer belongs to a connection; evhttp_free would not free it.
      if (evhttp_request_get_connection(p->request) == nullptr) evhttp_request_free(p->request);
      delete p;
    }
    pending.clear();
  }

  const SimServerOptions options;
  FaultSpec faults;
  std::mutex mu;  // Serialises Start and Stop.
  EventHttpServer server;
  // Loop-thread state.
  uint64_t chat_counter = 0;
  std::unordered_set<Pending*> pending;
  // Counters, read from any thread.
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> fault_count{0};
  std::atomic<uint64_t> streams{0};
  std::atomic<uint64_t> bad_requests{0};
  std::atomic<uint64_t> in_flight{0};      // Received and not yet answered (written by the loop thread only).
  std::atomic<uint64_t> max_in_flight{0};  // The most at once since Start.
};

SimServer::SimServer(SimServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

SimServer::~SimServer() { Stop(); }

Status SimServer::Start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.server.running()) return Status::OK();
  const SimServerOptions& o = s.options;
  if (o.port < 0 || o.port > 65535) return Status::InvalidInput("sim server: port must be from 0 to 65535");
  if (o.latency_ms < 0 || o.jitter_ms < 0 || o.slow_ms < 0) {
    return Status::InvalidInput("sim server: latency, jitter and slow delay must not be negative");
  }
  Result<FaultSpec> faults = FaultSpec::Parse(o.faults);
  if (!faults.ok()) return faults.status().WithContext("sim server faults");
  s.faults = std::move(*faults);

  EventHttpServerOptions http;
  http.name = "sim server";
  http.host = o.host;
  http.port = o.port;
  http.max_body_bytes = kMaxBodyBytes;
  http.listen_backlog = kListenBacklog;
  return s.server.Start(http, &Impl::OnRequest, &s);
}

int SimServer::port() const { return impl_->server.port(); }

void SimServer::Stop() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  s.server.Stop([&s] { s.FreePending(); });
}

SimServer::Counters SimServer::counters() const {
  Counters c;
  c.requests = impl_->requests.load(std::memory_order_relaxed);
  c.faults = impl_->fault_count.load(std::memory_order_relaxed);
  c.streams = impl_->streams.load(std::memory_order_relaxed);
  c.bad_requests = impl_->bad_requests.load(std::memory_order_relaxed);
  c.in_flight = impl_->in_flight.load(std::memory_order_relaxed);
  c.max_in_flight = impl_->max_in_flight.load(std::memory_order_relaxed);
  return c;
}

}  // namespace llmeval
