#include "engine/http/event_transport.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

namespace llmeval {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

HttpResponse Cancelled() {
  HttpResponse r;
  r.network_error = "cancelled: the HTTP transport shut down";
  r.cancelled = true;
  return r;
}

struct Target {
  std::string host;
  int port = 80;
  std::string path;  // With the query.
};

// Parses http://host[:port][/path][?query]; false for anything else.
bool ParseHttpUrl(const std::string& url, Target* out) {
  evhttp_uri* uri = evhttp_uri_parse(url.c_str());
  if (uri == nullptr) return false;
  const char* scheme = evhttp_uri_get_scheme(uri);
  const char* host = evhttp_uri_get_host(uri);
  bool ok = scheme != nullptr && std::string(scheme) == "http" && host != nullptr && *host != '\0';
  if (ok) {
    out->host = host;
    out->port = evhttp_uri_get_port(uri) > 0 ? evhttp_uri_get_port(uri) : 80;
    const char* path = evhttp_uri_get_path(uri);
    const char* query = evhttp_uri_get_query(uri);
    out->path = path != nullptr && *path != '\0' ? path : "/";
    if (query != nullptr) out->path += std::string("?") + query;
  }
  evhttp_uri_free(uri);
  return ok;
}

evhttp_cmd_type Command(const std::string& method) {
  if (method == "GET") return EVHTTP_REQ_GET;
  if (method == "PUT") return EVHTTP_REQ_PUT;
  if (method == "DELETE") return EVHTTP_REQ_DELETE;
  if (method == "HEAD") return EVHTTP_REQ_HEAD;
  if (method == "PATCH") return EVHTTP_REQ_PATCH;
  return EVHTTP_REQ_POST;
}

const char* ErrorText(evhttp_request_error error) {
  switch (error) {
    case EVREQ_HTTP_TIMEOUT:
      return "timeout";
    case EVREQ_HTTP_EOF:
      return "connection closed before a complete response (or refused)";
    case EVREQ_HTTP_INVALID_HEADER:
      return "invalid response header";
    case EVREQ_HTTP_BUFFER_ERROR:
      return "socket error";
    case EVREQ_HTTP_REQUEST_CANCEL:
      return "cancelled";
    case EVREQ_HTTP_DATA_TOO_LONG:
      return "response too long";
  }
  return "network error";
}

}  // namespace

bool EventTransportCanServe(const std::string& base_url) {
  for (const char* name : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return false;
  }
  Target target;
  if (!ParseHttpUrl(base_url, &target)) return false;
  in_addr v4{};
  return target.host == "localhost" || inet_pton(AF_INET, target.host.c_str(), &v4) == 1;
}

class EventTransport::Impl {
 public:
  struct Transfer {
    Impl* impl = nullptr;
    HttpRequest request;
    std::function<void(HttpResponse)> done;
    std::string pool_key;
    evhttp_connection* connection = nullptr;
    evhttp_request* http = nullptr;  // Owned by libevent; null once it has called back.
    int64_t start_ns = 0;
    int64_t ttfb_ns = 0;
    bool failed = false;
    evhttp_request_error error = EVREQ_HTTP_EOF;
    uint64_t id = 0;
    bool has_deadline = false;
    std::multimap<int64_t, std::function<void()>>::iterator deadline;  // Its entry in timers_, while has_deadline.
  };
  using Task = std::function<void()>;

  Impl() {
    static std::once_flag threads_once;
    std::call_once(threads_once, [] { evthread_use_pthreads(); });
    // The changelist folds a connection's read/write toggles within one loop pass into one epoll_ctl.
    event_config* config = event_config_new();
    if (config != nullptr) event_config_set_flag(config, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    base_ = config != nullptr ? event_base_new_with_config(config) : event_base_new();
    if (config != nullptr) event_config_free(config);
    wake_ = event_new(base_, -1, 0, &Impl::OnWake, this);
    timer_ = evtimer_new(base_, &Impl::OnTimer, this);
    thread_ = std::thread([this] { Loop(); });
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    event_active(wake_, EV_READ, 0);
    thread_.join();
    event_free(timer_);
    event_free(wake_);
    event_base_free(base_);
  }

  void Send(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto* t = new Transfer;
    t->impl = this;
    t->request = std::move(request);
    t->done = std::move(done);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stopping_) {
        incoming_.push_back(t);
        t = nullptr;
      }
    }
    if (t != nullptr) {
      auto done_now = std::move(t->done);
      delete t;
      done_now(Cancelled());
      return;
    }
    event_active(wake_, EV_READ, 0);
  }

  void Schedule(int64_t delay_ns, std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!stopping_) {
        scheduled_.push_back({NowNs() + std::max<int64_t>(0, delay_ns), std::move(task)});
        task = nullptr;
      }
    }
    if (task) {
      task();
      return;
    }
    event_active(wake_, EV_READ, 0);
  }

 private:
  void Loop() {
    pthread_setname_np(pthread_self(), "llmeval-http");
    while (true) {
      event_base_loop(base_, EVLOOP_NO_EXIT_ON_EMPTY);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ && incoming_.empty() && scheduled_.empty()) break;
    }
  }

  static void OnWake(evutil_socket_t, short, void* arg) { static_cast<Impl*>(arg)->Drain(); }

  void Drain() {
    std::vector<Transfer*> incoming;
    std::vector<std::pair<int64_t, Task>> scheduled;
    bool stopping;
    {
      std::lock_guard<std::mutex> lock(mu_);
      incoming.swap(incoming_);
      scheduled.swap(scheduled_);
      stopping = stopping_;
    }
    // Tasks due at the same time run in the order they were scheduled (the multimap keeps insertion order).
    for (auto& [due, task] : scheduled) timers_.emplace(due, std::move(task));
    if (!stopping) RunDueTasks();
    for (Transfer* t : incoming) {
      if (stopping) {
        Complete(t, Cancelled());
      } else {
        Start(t);
      }
    }
    if (stopping) Shutdown();
  }

  static void OnTimer(evutil_socket_t, short, void* arg) { static_cast<Impl*>(arg)->RunDueTasks(); }

  // Runs the tasks that are due, then arms the timer for the next one.
  void RunDueTasks() {
    int64_t now = NowNs();
    while (!timers_.empty() && timers_.begin()->first <= now) {
      Task task = std::move(timers_.begin()->second);
      timers_.erase(timers_.begin());
      task();
    }
    ArmTimer();
  }

  // Arms the timer for the first task due, if any (evtimer_add replaces an earlier arming).
  void ArmTimer() {
    if (timers_.empty()) return;
    int64_t wait_ns = std::max<int64_t>(0, timers_.begin()->first - NowNs());
    timeval tv{static_cast<time_t>(wait_ns / 1'000'000'000), static_cast<suseconds_t>(wait_ns % 1'000'000'000 / 1000)};
    evtimer_add(timer_, &tv);
  }

  // The total timeout of a transfer still in flight: libevent's own timeout only bounds a silent connection, so a
  // server that trickles bytes would otherwise hold a call past total_timeout_ms.
  void Expire(Transfer* t, uint64_t id) {
    if (active_.count(t) == 0 || t->id != id) return;  // Done already (the address may be another transfer's).
    t->has_deadline = false;                           // RunDueTasks took the entry out.
    active_.erase(t);
    if (t->http != nullptr) evhttp_cancel_request(t->http);
    t->http = nullptr;
    evhttp_connection_free(t->connection);  // Mid-response: not reusable.
    t->connection = nullptr;
    HttpResponse r;
    r.network_error = "HTTP request to " + t->pool_key + " failed: timeout after " +
                      std::to_string(t->request.total_timeout_ms) + " ms";
    r.timed_out = true;
    r.total_ns = NowNs() - t->start_ns;
    r.ttfb_ns = t->ttfb_ns > 0 ? t->ttfb_ns : r.total_ns;
    Complete(t, std::move(r));
  }

  void Fail(Transfer* t, const std::string& message) {
    HttpResponse r;
    r.network_error = message;
    Complete(t, std::move(r));
  }

  void Start(Transfer* t) {
    Target target;
    if (!ParseHttpUrl(t->request.url, &target)) {
      Fail(t, "not a plain http:// URL: " + t->request.url);
      return;
    }
    t->pool_key = target.host + ":" + std::to_string(target.port);
    std::vector<evhttp_connection*>& idle = idle_[t->pool_key];
    if (!idle.empty()) {
      t->connection = idle.back();
      idle.pop_back();
    } else {
      t->connection =
          evhttp_connection_base_new(base_, nullptr, target.host.c_str(), static_cast<uint16_t>(target.port));
      if (t->connection == nullptr) {
        Fail(t, "cannot create a connection to " + t->pool_key);
        return;
      }
    }
    int64_t timeout_ms = std::max<int64_t>(1, t->request.total_timeout_ms);
    timeval tv{static_cast<time_t>(timeout_ms / 1000), static_cast<suseconds_t>(timeout_ms % 1000 * 1000)};
    evhttp_connection_set_timeout_tv(t->connection, &tv);
    t->http = evhttp_request_new(&Impl::OnDone, t);
    evhttp_request_set_header_cb(t->http, &Impl::OnHeaders);
    evhttp_request_set_error_cb(t->http, &Impl::OnError);
    evkeyvalq* headers = evhttp_request_get_output_headers(t->http);
    evhttp_add_header(headers, "Host", t->pool_key.c_str());
    for (const auto& [name, value] : t->request.headers) evhttp_add_header(headers, name.c_str(), value.c_str());
    if (!t->request.body.empty()) {
      evbuffer_add(evhttp_request_get_output_buffer(t->http), t->request.body.data(), t->request.body.size());
    }
    t->start_ns = NowNs();
    active_.insert(t);
    t->id = ++next_id_;
    t->deadline = timers_.emplace(t->start_ns + timeout_ms * 1'000'000, [this, t, id = t->id] { Expire(t, id); });
    t->has_deadline = true;
    if (t->deadline == timers_.begin()) ArmTimer();
    if (evhttp_make_request(t->connection, t->http, Command(t->request.method), target.path.c_str()) != 0) {
      // libevent has freed the request.
      t->http = nullptr;
      active_.erase(t);
      evhttp_connection_free(t->connection);
      t->connection = nullptr;
      Fail(t, "cannot send the request to " + t->pool_key);
    }
  }

  static int OnHeaders(evhttp_request*, void* arg) {
    auto* t = static_cast<Transfer*>(arg);
    t->ttfb_ns = NowNs() - t->start_ns;
    return 0;
  }

  static void OnError(evhttp_request_error error, void* arg) {
    auto* t = static_cast<Transfer*>(arg);
    t->failed = true;
    t->error = error;
  }

  // libevent frees `request` after this returns; the connection is reset and reusable after a failure too.
  static void OnDone(evhttp_request* request, void* arg) {
    auto* t = static_cast<Transfer*>(arg);
    Impl* impl = t->impl;
    t->http = nullptr;
    impl->active_.erase(t);
    HttpResponse r;
    int status = request != nullptr ? evhttp_request_get_response_code(request) : 0;
    if (t->failed || status == 0) {
      r.network_error = std::string("HTTP request to ") + t->pool_key +
                        " failed: " + (t->failed ? ErrorText(t->error) : "connection refused or closed");
      r.timed_out = t->failed && t->error == EVREQ_HTTP_TIMEOUT;
    } else {
      r.status = status;
      evkeyvalq* headers = evhttp_request_get_input_headers(request);
      for (evkeyval* h = headers->tqh_first; h != nullptr; h = h->next.tqe_next)
        r.headers.emplace_back(h->key, h->value);
      evbuffer* body = evhttp_request_get_input_buffer(request);
      size_t length = evbuffer_get_length(body);
      r.body.resize(length);
      if (length > 0) evbuffer_remove(body, r.body.data(), length);
      std::optional<std::string> encoding = FindHeader(r.headers, "content-encoding");
      if (encoding.has_value() && !encoding->empty() && *encoding != "identity") {
        r = HttpResponse();
        r.network_error =
            "HTTP response from " + t->pool_key + " has Content-Encoding " + *encoding + ", which was not asked for";
      }
    }
    r.total_ns = NowNs() - t->start_ns;
    r.ttfb_ns = t->ttfb_ns > 0 ? t->ttfb_ns : r.total_ns;
    impl->idle_[t->pool_key].push_back(t->connection);
    t->connection = nullptr;
    impl->Complete(t, std::move(r));
  }

  void Complete(Transfer* t, HttpResponse response) {
    if (t->has_deadline) timers_.erase(t->deadline);
    auto done = std::move(t->done);
    delete t;
    done(std::move(response));
  }

  // On the IO thread, once stopping: cancels what is in flight, runs every pending task, frees the connections.
  void Shutdown() {
    std::vector<Transfer*> active(active_.begin(), active_.end());
    active_.clear();
    for (Transfer* t : active) {
      if (t->http != nullptr) evhttp_cancel_request(t->http);
      t->http = nullptr;
      evhttp_connection_free(t->connection);
      Complete(t, Cancelled());
    }
    while (!timers_.empty()) {  // In due order; a task may schedule another, which Schedule then runs at once.
      Task task = std::move(timers_.begin()->second);
      timers_.erase(timers_.begin());
      task();
    }
    for (auto& [key, connections] : idle_) {
      for (evhttp_connection* c : connections) evhttp_connection_free(c);
    }
    idle_.clear();
    event_base_loopbreak(base_);
  }

  event_base* base_ = nullptr;
  event* wake_ = nullptr;
  std::thread thread_;
  std::mutex mu_;  // Guards the three fields below.
  bool stopping_ = false;
  std::vector<Transfer*> incoming_;
  std::vector<std::pair<int64_t, Task>> scheduled_;  // Due time (monotonic ns) and task.
  // IO-thread state.
  event* timer_ = nullptr;
  std::unordered_set<Transfer*> active_;
  std::multimap<int64_t, Task> timers_;
  uint64_t next_id_ = 0;
  std::map<std::string, std::vector<evhttp_connection*>> idle_;
};

EventTransport::EventTransport() : impl_(std::make_unique<Impl>()) {}
EventTransport::~EventTransport() = default;

void EventTransport::Send(HttpRequest request, std::function<void(HttpResponse)> done) {
  impl_->Send(std::move(request), std::move(done));
}

void EventTransport::Schedule(int64_t delay_ns, std::function<void()> task) {
  impl_->Schedule(delay_ns, std::move(task));
}

}  // namespace llmeval
