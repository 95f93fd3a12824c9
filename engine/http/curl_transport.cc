#include "engine/http/curl_transport.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace llmeval {
namespace {

constexpr size_t kMaxPooledHandles = 4096;
constexpr int kMaxPollMs = 1000;
constexpr int kMaxEvents = 256;
// curl looks for an idle connection to reuse by walking every connection to the host, so a request costs O(open
// connections) of pointer chasing. Beyond this many connections per host the transport splits its connections
// between several multi handles (shards), each walking only its own.
constexpr long kConnectionsPerShard = 128;
constexpr long kMaxShards = 8;

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A pooled easy handle. The options that never change are set once when it is made, so reusing it costs no
// curl_easy_reset and no rebuilding; the per-request options remember what they were last set to and are set again
// only when they change (the header list is rebuilt only when the request's headers differ from the last request's).
struct Handle {
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (header_list != nullptr) curl_slist_free_all(header_list);
  }

  CURL* easy = nullptr;
  std::string method;   // The method the handle is set up for; "" before its first request.
  HttpHeaders headers;  // What header_list was built from.
  curl_slist* header_list = nullptr;
  int pipewait = -1;  // The last CURLOPT_PIPEWAIT (-1: never set).
  int64_t connect_timeout_ms = -1, total_timeout_ms = -1;
  char error[CURL_ERROR_SIZE] = {0};
};

// One request in flight: owns the request (curl reads the body and URL from it) and collects the response.
struct Shard;

struct Transfer {
  HttpRequest request;
  std::function<void(HttpResponse)> done;
  HttpResponse response;
  std::unique_ptr<Handle> handle;
  Shard* shard = nullptr;    // The multi handle running it.
  Transfer* prev = nullptr;  // The IO thread's list of active transfers.
  Transfer* next = nullptr;
};

// One curl multi handle with its share of the connections.
struct Shard {
  CURLM* multi = nullptr;
  void* impl = nullptr;      // The CurlTransport::Impl, for the socket callback.
  int64_t curl_due_ns = -1;  // When curl wants its timeout action; -1: no timeout pending.
  int active = 0;            // Transfers added and not yet removed.
};

// A share of a connection limit (0 = unlimited stays unlimited).
long ShareOf(long limit, long shards) { return limit <= 0 ? limit : (limit + shards - 1) / shards; }

struct Timer {
  int64_t due_ns;
  uint64_t seq;  // Ties run in the order they were scheduled.
  std::function<void()> task;
};

// A min-heap on (due, seq) for std::push_heap/pop_heap.
bool TimerLater(const Timer& a, const Timer& b) { return a.due_ns != b.due_ns ? a.due_ns > b.due_ns : a.seq > b.seq; }

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  transfer->response.body.append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.substr(0, 5) == "HTTP/") {
    transfer->response.headers.clear();  // A new response begins (after a 100 Continue or a redirect).
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    transfer->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

}  // namespace

class CurlTransport::Impl {
 public:
  explicit Impl(CurlTransportOptions options) {
    GlobalInitOnce();
    verbose_ = options.verbose;
    // curl tells us which sockets to watch (OnSocket) and when to call it back (OnTimer); the loop waits on epoll,
    // so one wake-up costs O(ready sockets), not O(open connections) as curl_multi_poll does.
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event wake_event{};
    wake_event.events = EPOLLIN;
    wake_event.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake_event);
    long shards = std::clamp(options.max_host_connections / kConnectionsPerShard, 1L, kMaxShards);
    for (long i = 0; i < shards; ++i) {
      auto shard = std::make_unique<Shard>();
      CURLM* multi = shard->multi = curl_multi_init();
      shard->impl = this;
      curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
      curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, ShareOf(options.max_host_connections, shards));
      curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, ShareOf(options.max_total_connections, shards));
      curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, ShareOf(options.max_cached_connections, shards));
      curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::OnSocket);
      curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, shard.get());
      curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::OnTimer);
      curl_multi_setopt(multi, CURLMOPT_TIMERDATA, shard.get());
      shards_.push_back(std::move(shard));
    }
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "llmeval-http");  // Shows in top, perf and debuggers.
      Loop();
    });
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    Wake();
    thread_.join();
    pool_.clear();
    for (auto& shard : shards_) curl_multi_cleanup(shard->multi);  // Closes the cached connections (OnCloseSocket).
    close(wake_fd_);
    close(epoll_fd_);
  }

  void Send(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    bool on_io_thread = OnIoThread();
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!exited_) {
        incoming_.push_back(std::move(transfer));
        wake = Queued(on_io_thread);
      }
    }
    if (transfer) {  // The IO thread is gone: nothing will ever run it.
      Cancel(std::move(transfer));
      return;
    }
    if (wake) Wake();
  }

  void Schedule(int64_t delay_ns, std::function<void()> task) {
    bool on_io_thread = OnIoThread();
    bool run_now = false;
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (exited_) {
        run_now = true;
      } else {
        timers_.push_back(Timer{SteadyNanos() + std::max<int64_t>(delay_ns, 0), next_seq_++, std::move(task)});
        std::push_heap(timers_.begin(), timers_.end(), TimerLater);
        wake = Queued(on_io_thread);
      }
    }
    if (run_now) {
      task();
      return;
    }
    if (wake) Wake();
  }

 private:
  // Per-socket state for epoll, indexed by file descriptor.
  struct Watch {
    uint32_t events = 0;     // What epoll is asked to report; 0: not registered.
    bool wanted = false;     // curl watches it; false with events != 0: parked.
    Shard* shard = nullptr;  // The multi handle whose connection it is.
  };

  bool OnIoThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  // Called under mu_ after queueing work: whether the caller must write the eventfd. Work queued by the IO thread
  // itself (a callback sending the next request) needs no wake-up: the loop takes the queues before it waits again.
  bool Queued(bool on_io_thread) {
    if (on_io_thread) {
      io_queued_ = true;
      return false;
    }
    bool wake = !wake_pending_;
    wake_pending_ = true;
    return wake;
  }

  void Wake() {
    uint64_t one = 1;
    ssize_t n = write(wake_fd_, &one, sizeof one);  // Only fails when the counter is already non-zero: awake anyway.
    (void)n;
  }

  Watch& WatchOf(int fd) {
    if (static_cast<size_t>(fd) >= watches_.size()) watches_.resize(static_cast<size_t>(fd) + 64);
    return watches_[static_cast<size_t>(fd)];
  }

  // CURLMOPT_SOCKETFUNCTION: keeps epoll watching what curl wants to watch. When curl stops watching a socket (its
  // transfer finished and the connection went back to the pool) the registration is parked rather than deleted, since
  // the next request on that connection usually wants it again (and then costs no epoll_ctl at all when it wants the
  // same events); a parked socket that reports an event is deleted then. OnCloseSocket forgets a socket as curl closes
  // it, so a number that comes back for a new socket starts unregistered; a MOD that still fails with ENOENT (a socket
  // closed behind curl's back) falls back to ADD.
  static int OnSocket(CURL*, curl_socket_t fd, int what, void* user, void*) {
    auto* shard = static_cast<Shard*>(user);
    auto* self = static_cast<Impl*>(shard->impl);
    if (fd < 0) return 0;
    Watch& watch = self->WatchOf(fd);
    if (what == CURL_POLL_REMOVE) {
      watch.wanted = false;
      return 0;
    }
    uint32_t events = 0;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) events |= EPOLLOUT;
    watch.wanted = true;
    watch.shard = shard;
    if (watch.events == events) return 0;
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (watch.events != 0) {
      if (epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0 || errno != ENOENT) {
        watch.events = events;
        return 0;
      }
    }
    if (epoll_ctl(self->epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST) {
      epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &event);
    }
    watch.events = events;
    return 0;
  }

  // CURLOPT_CLOSESOCKETFUNCTION: curl closes a socket. Its registration goes first (a copy of the descriptor in a
  // forked child would otherwise keep it alive), and its number starts afresh.
  static int OnCloseSocket(void* user, curl_socket_t fd) {
    auto* self = static_cast<Impl*>(user);
    if (fd >= 0 && static_cast<size_t>(fd) < self->watches_.size()) {
      Watch& watch = self->watches_[static_cast<size_t>(fd)];
      if (watch.events != 0) epoll_ctl(self->epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      watch = Watch();
    }
    return close(fd);
  }

  // CURLMOPT_TIMERFUNCTION: curl wants socket_action(CURL_SOCKET_TIMEOUT) after `timeout_ms` (-1: never).
  static int OnTimer(CURLM*, long timeout_ms, void* user) {
    auto* shard = static_cast<Shard*>(user);
    shard->curl_due_ns = timeout_ms < 0 ? -1 : SteadyNanos() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    return 0;
  }

  void Loop() {
    std::vector<std::unique_ptr<Transfer>> fresh;  // Swapped with incoming_, so both keep their capacity.
    std::vector<std::function<void()>> due;
    for (;;) {
      bool stopping;
      int64_t next_due_ns = -1;
      {
        std::lock_guard<std::mutex> lock(mu_);
        fresh.swap(incoming_);
        wake_pending_ = false;  // Anything queued from now on wakes the poll again.
        io_queued_ = false;
        stopping = stopping_;
        int64_t now = SteadyNanos();
        while (!timers_.empty() && (stopping || timers_.front().due_ns <= now)) {
          std::pop_heap(timers_.begin(), timers_.end(), TimerLater);
          due.push_back(std::move(timers_.back().task));
          timers_.pop_back();
        }
        if (!timers_.empty()) next_due_ns = timers_.front().due_ns;
        if (stopping && fresh.empty() && due.empty() && active_head_ == nullptr) {
          exited_ = true;
          return;
        }
      }
      if (stopping) {
        CancelActive();
        for (auto& transfer : fresh) Cancel(std::move(transfer));
        fresh.clear();
        for (auto& task : due) task();
        due.clear();
        continue;  // Callbacks may have queued more work; loop until nothing is left.
      }
      for (auto& transfer : fresh) Start(std::move(transfer));
      fresh.clear();
      for (auto& task : due) task();
      due.clear();
      int running = 0;
      int64_t now = SteadyNanos();
      for (auto& shard : shards_) {
        if (shard->curl_due_ns >= 0 && shard->curl_due_ns <= now) {
          shard->curl_due_ns = -1;
          curl_multi_socket_action(shard->multi, CURL_SOCKET_TIMEOUT, 0, &running);
          DrainCompleted(shard.get());
        }
      }

      int timeout_ms = 0;
      if (!io_queued_) {  // Work this thread queued since the top of the loop is taken without waiting.
        int64_t wait_until_ns = SteadyNanos() + int64_t{kMaxPollMs} * 1'000'000;
        for (auto& shard : shards_) {
          if (shard->curl_due_ns >= 0) wait_until_ns = std::min(wait_until_ns, shard->curl_due_ns);
        }
        if (next_due_ns >= 0) wait_until_ns = std::min(wait_until_ns, next_due_ns);
        int64_t wait_ns = std::max<int64_t>(wait_until_ns - SteadyNanos(), 0);
        timeout_ms = static_cast<int>((wait_ns + 999'999) / 1'000'000);
      }
      epoll_event events[kMaxEvents];
      int ready = epoll_wait(epoll_fd_, events, kMaxEvents, timeout_ms);
      for (int i = 0; i < ready; ++i) {
        int fd = events[i].data.fd;
        if (fd == wake_fd_) {
          uint64_t count;
          ssize_t n = read(wake_fd_, &count, sizeof count);
          (void)n;
          continue;
        }
        Watch& watch = WatchOf(fd);
        if (!watch.wanted) {
          if (watch.events != 0)
            epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // Parked: curl no longer watches it.
          watch.events = 0;
          continue;
        }
        int flags = 0;
        if (events[i].events & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(watch.shard->multi, fd, flags, &running);
      }
      if (ready > 0) {
        for (auto& shard : shards_) DrainCompleted(shard.get());
      }
    }
  }

  std::unique_ptr<Handle> TakeHandle() {
    if (!pool_.empty()) {
      std::unique_ptr<Handle> handle = std::move(pool_.back());
      pool_.pop_back();
      return handle;
    }
    auto handle = std::make_unique<Handle>();
    handle->easy = curl_easy_init();
    SetFixedOptions(handle.get());
    return handle;
  }

  // The options every request shares; set once per handle (and again after a reset).
  void SetFixedOptions(Handle* h) {
    CURL* easy = h->easy;
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, h->error);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, &Impl::OnCloseSocket);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, this);
    if (verbose_) curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);
  }

  // Points the handle at `r`, setting only what differs from the handle's last request.
  void SetRequestOptions(Handle* h, const HttpRequest& r) {
    CURL* easy = h->easy;
    if (h->method != r.method) {
      if (!h->method.empty()) {  // A different method: start from curl's defaults rather than undo the old one.
        curl_easy_reset(easy);
        if (h->header_list != nullptr) curl_slist_free_all(h->header_list);
        h->header_list = nullptr;
        h->headers.clear();
        h->pipewait = -1;
        h->connect_timeout_ms = h->total_timeout_ms = -1;
        SetFixedOptions(h);
      }
      if (r.method == "POST") {
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
      } else if (r.method == "GET") {
        curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
      } else {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
      }
      h->method = r.method;
    }
    curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
    if (r.method != "GET") {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
    if (h->header_list == nullptr || h->headers != r.headers) {
      if (h->header_list != nullptr) curl_slist_free_all(h->header_list);
      h->header_list = nullptr;
      std::string line;
      for (const auto& [name, value] : r.headers) {
        line.assign(name).append(": ").append(value);
        h->header_list = curl_slist_append(h->header_list, line.c_str());
      }
      h->header_list = curl_slist_append(h->header_list, "Expect:");  // No 100-continue round trip.
      curl_easy_setopt(easy, CURLOPT_HTTPHEADER, h->header_list);
      h->headers = r.headers;
    }
    // PIPEWAIT makes a request wait for a connection in progress in case it can multiplex. That only pays over TLS,
    // where ALPN may offer HTTP/2; over cleartext HTTP/1.1 it holds every request behind the first response.
    int pipewait = r.url.compare(0, 8, "https://") == 0 ? 1 : 0;
    if (h->pipewait != pipewait) {
      curl_easy_setopt(easy, CURLOPT_PIPEWAIT, static_cast<long>(pipewait));
      h->pipewait = pipewait;
    }
    int64_t connect_ms = std::max<int64_t>(r.connect_timeout_ms, 1);
    if (h->connect_timeout_ms != connect_ms) {
      curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms));
      h->connect_timeout_ms = connect_ms;
    }
    int64_t total_ms = std::max<int64_t>(r.total_timeout_ms, 1);
    if (h->total_timeout_ms != total_ms) {
      curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(total_ms));
      h->total_timeout_ms = total_ms;
    }
    h->error[0] = '\0';
  }

  void Start(std::unique_ptr<Transfer> owned) {
    Transfer* t = owned.get();
    t->handle = TakeHandle();
    CURL* easy = t->handle->easy;
    SetRequestOptions(t->handle.get(), t->request);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
    t->response.headers.reserve(8);

    Shard* shard = shards_[0].get();  // The least busy shard; the first when idle, so a lone client reuses one.
    for (auto& other : shards_) {
      if (other->active < shard->active) shard = other.get();
    }
    CURLMcode rc = curl_multi_add_handle(shard->multi, easy);
    if (rc != CURLM_OK) {
      owned->response.network_error = std::string("could not start request: ") + curl_multi_strerror(rc);
      Finish(std::move(owned));
      return;
    }
    t->shard = shard;
    ++shard->active;
    t->next = active_head_;
    if (active_head_ != nullptr) active_head_->prev = t;
    active_head_ = owned.release();
  }

  // Unlinks `t` from the active list and removes its handle from the multi handle; the caller owns `t` from now on.
  std::unique_ptr<Transfer> Deactivate(Transfer* t) {
    if (t->prev != nullptr) t->prev->next = t->next;
    if (t->next != nullptr) t->next->prev = t->prev;
    if (active_head_ == t) active_head_ = t->next;
    t->prev = t->next = nullptr;
    curl_multi_remove_handle(t->shard->multi, t->handle->easy);
    --t->shard->active;
    return std::unique_ptr<Transfer>(t);
  }

  void DrainCompleted(Shard* shard) {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(shard->multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
      CURLcode result = msg->data.result;
      std::unique_ptr<Transfer> t = Deactivate(raw);
      CURL* easy = t->handle->easy;
      HttpResponse& response = t->response;
      curl_off_t ttfb_us = 0, total_us = 0;
      curl_easy_getinfo(easy, CURLINFO_STARTTRANSFER_TIME_T, &ttfb_us);
      curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
      response.ttfb_ns = static_cast<int64_t>(ttfb_us) * 1000;
      response.total_ns = static_cast<int64_t>(total_us) * 1000;
      if (result == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        response.status = static_cast<int>(code);
      } else {
        response.status = 0;
        response.timed_out = result == CURLE_OPERATION_TIMEDOUT;
        response.network_error = curl_easy_strerror(result);
        if (t->handle->error[0] != '\0') response.network_error += std::string(": ") + t->handle->error;
      }
      Finish(std::move(t));
    }
  }

  void CancelActive() {
    while (active_head_ != nullptr) Cancel(Deactivate(active_head_));
  }

  void Cancel(std::unique_ptr<Transfer> t) {
    t->response = HttpResponse();
    t->response.network_error = "cancelled: the HTTP transport shut down before the request finished";
    t->response.cancelled = true;
    Finish(std::move(t));
  }

  // Returns the transfer's handle to the pool and runs its callback.
  void Finish(std::unique_ptr<Transfer> t) {
    if (t->handle != nullptr && pool_.size() < kMaxPooledHandles) pool_.push_back(std::move(t->handle));
    t->handle.reset();
    auto done = std::move(t->done);
    HttpResponse response = std::move(t->response);
    t.reset();
    if (done) done(std::move(response));
  }

  std::vector<std::unique_ptr<Shard>> shards_;  // Fixed at construction.
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  bool verbose_ = false;
  std::thread thread_;

  std::mutex mu_;  // Guards the fields below.
  std::vector<std::unique_ptr<Transfer>> incoming_;
  std::vector<Timer> timers_;
  uint64_t next_seq_ = 0;
  bool stopping_ = false;
  bool exited_ = false;
  bool wake_pending_ = false;  // A wakeup was sent and the loop has not yet taken the queues.

  // IO thread only.
  bool io_queued_ = false;  // The IO thread queued work since the loop last took the queues (it sends no wake-up).
  Transfer* active_head_ = nullptr;  // Transfers added to the multi handle (a doubly linked list).
  std::vector<std::unique_ptr<Handle>> pool_;
  std::vector<Watch> watches_;
};

CurlTransport::CurlTransport(CurlTransportOptions options) : impl_(std::make_unique<Impl>(options)) {}
CurlTransport::~CurlTransport() = default;

void CurlTransport::Send(HttpRequest request, std::function<void(HttpResponse)> done) {
  impl_->Send(std::move(request), std::move(done));
}

void CurlTransport::Schedule(int64_t delay_ns, std::function<void()> task) {
  impl_->Schedule(delay_ns, std::move(task));
}

}  // namespace llmeval
