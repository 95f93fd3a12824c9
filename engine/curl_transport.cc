#include "engine/curl_transport.h"

#include <curl/curl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace llmeval {
namespace {

constexpr size_t kMaxPooledHandles = 4096;
constexpr int kMaxPollMs = 1000;
constexpr int kMaxEvents = 256;

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One request in flight: owns the request (curl reads the body and URL from it) and collects the response.
struct Transfer {
  HttpRequest request;
  std::function<void(HttpResponse)> done;
  HttpResponse response;
  curl_slist* header_list = nullptr;
  CURL* easy = nullptr;
  char error[CURL_ERROR_SIZE] = {0};
};

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
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, options.max_total_connections);
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
    verbose_ = options.verbose;
    // curl tells us which sockets to watch (OnSocket) and when to call it back (OnTimer); the loop waits on epoll,
    // so one wake-up costs O(ready sockets), not O(open connections) as curl_multi_poll does.
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    epoll_event wake_event{};
    wake_event.events = EPOLLIN;
    wake_event.data.fd = wake_fd_;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &wake_event);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &Impl::OnSocket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &Impl::OnTimer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
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
    for (CURL* easy : pool_) curl_easy_cleanup(easy);
    curl_multi_cleanup(multi_);
    close(wake_fd_);
    close(epoll_fd_);
  }

  void Send(HttpRequest request, std::function<void(HttpResponse)> done) {
    auto transfer = std::make_unique<Transfer>();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!exited_) {
        incoming_.push_back(std::move(transfer));
        wake = !wake_pending_;
        wake_pending_ = true;
      }
    }
    if (transfer) {  // The IO thread is gone: nothing will ever run it.
      Cancel(std::move(transfer));
      return;
    }
    if (wake) Wake();
  }

  void Schedule(int64_t delay_ns, std::function<void()> task) {
    bool run_now = false;
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (exited_) {
        run_now = true;
      } else {
        timers_.push_back(Timer{SteadyNanos() + std::max<int64_t>(delay_ns, 0), next_seq_++, std::move(task)});
        std::push_heap(timers_.begin(), timers_.end(), TimerLater);
        wake = !wake_pending_;
        wake_pending_ = true;
      }
    }
    if (run_now) {
      task();
      return;
    }
    if (wake) Wake();
  }

 private:
  void Wake() {
    uint64_t one = 1;
    ssize_t n = write(wake_fd_, &one, sizeof one);  // Only fails when the counter is already non-zero: awake anyway.
    (void)n;
  }

  // CURLMOPT_SOCKETFUNCTION: keeps epoll watching what curl wants to watch. When curl stops watching a socket (its
  // transfer finished and the connection went back to the pool) the registration is parked rather than deleted, since
  // the next request on that connection usually wants it again; a parked socket that reports an event is deleted then.
  // A re-watch always uses EPOLL_CTL_MOD, which fails with ENOENT when curl closed the socket meanwhile (closing drops
  // the registration) and the number came back for a new one.
  static int OnSocket(CURL*, curl_socket_t fd, int what, void* user, void*) {
    auto* self = static_cast<Impl*>(user);
    auto it = self->watched_.find(fd);
    if (what == CURL_POLL_REMOVE) {
      if (it != self->watched_.end()) it->second = false;
      return 0;
    }
    epoll_event event{};
    event.data.fd = fd;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) event.events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) event.events |= EPOLLOUT;
    if (it != self->watched_.end()) {
      it->second = true;
      if (epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0 || errno != ENOENT) return 0;
    } else {
      self->watched_.emplace(fd, true);
    }
    if (epoll_ctl(self->epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST) {
      epoll_ctl(self->epoll_fd_, EPOLL_CTL_MOD, fd, &event);
    }
    return 0;
  }

  // CURLMOPT_TIMERFUNCTION: curl wants socket_action(CURL_SOCKET_TIMEOUT) after `timeout_ms` (-1: never).
  static int OnTimer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    self->curl_due_ns_ = timeout_ms < 0 ? -1 : SteadyNanos() + static_cast<int64_t>(timeout_ms) * 1'000'000;
    return 0;
  }

  void Loop() {
    for (;;) {
      std::vector<std::unique_ptr<Transfer>> fresh;
      std::vector<std::function<void()>> due;
      bool stopping;
      int64_t next_due_ns = -1;
      {
        std::lock_guard<std::mutex> lock(mu_);
        fresh.swap(incoming_);
        wake_pending_ = false;  // Anything queued from now on wakes the poll again.
        stopping = stopping_;
        int64_t now = SteadyNanos();
        while (!timers_.empty() && (stopping || timers_.front().due_ns <= now)) {
          std::pop_heap(timers_.begin(), timers_.end(), TimerLater);
          due.push_back(std::move(timers_.back().task));
          timers_.pop_back();
        }
        if (!timers_.empty()) next_due_ns = timers_.front().due_ns;
        if (stopping && fresh.empty() && due.empty() && active_.empty()) {
          exited_ = true;
          return;
        }
      }
      if (stopping) {
        CancelActive();
        for (auto& transfer : fresh) Cancel(std::move(transfer));
        for (auto& task : due) task();
        continue;  // Callbacks may have queued more work; loop until nothing is left.
      }
      for (auto& transfer : fresh) Start(std::move(transfer));
      for (auto& task : due) task();
      int running = 0;
      if (curl_due_ns_ >= 0 && curl_due_ns_ <= SteadyNanos()) {
        curl_due_ns_ = -1;
        curl_multi_socket_action(multi_, CURL_SOCKET_TIMEOUT, 0, &running);
        DrainCompleted();
      }

      int64_t wait_until_ns = SteadyNanos() + int64_t{kMaxPollMs} * 1'000'000;
      if (curl_due_ns_ >= 0) wait_until_ns = std::min(wait_until_ns, curl_due_ns_);
      if (next_due_ns >= 0) wait_until_ns = std::min(wait_until_ns, next_due_ns);
      int64_t wait_ns = std::max<int64_t>(wait_until_ns - SteadyNanos(), 0);
      int timeout_ms = static_cast<int>((wait_ns + 999'999) / 1'000'000);
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
        if (auto it = watched_.find(fd); it != watched_.end() && !it->second) {
          epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);  // Parked: curl no longer watches it.
          watched_.erase(it);
          continue;
        }
        int flags = 0;
        if (events[i].events & (EPOLLIN | EPOLLHUP)) flags |= CURL_CSELECT_IN;
        if (events[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (events[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
        curl_multi_socket_action(multi_, fd, flags, &running);
      }
      if (ready > 0) DrainCompleted();
    }
  }

  void Start(std::unique_ptr<Transfer> owned) {
    Transfer* t = owned.get();
    CURL* easy;
    if (!pool_.empty()) {
      easy = pool_.back();
      pool_.pop_back();
    } else {
      easy = curl_easy_init();
    }
    t->easy = easy;
    const HttpRequest& r = t->request;
    curl_easy_setopt(easy, CURLOPT_URL, r.url.c_str());
    if (r.method == "POST") {
      curl_easy_setopt(easy, CURLOPT_POST, 1L);
    } else if (r.method == "GET") {
      curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, r.method.c_str());
    }
    if (r.method != "GET") {
      curl_easy_setopt(easy, CURLOPT_POSTFIELDS, r.body.c_str());
      curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    }
    for (const auto& [name, value] : r.headers) {
      std::string line = name + ": " + value;
      t->header_list = curl_slist_append(t->header_list, line.c_str());
    }
    t->header_list = curl_slist_append(t->header_list, "Expect:");  // No 100-continue round trip.
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t->header_list);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
    // PIPEWAIT makes a request wait for a connection in progress in case it can multiplex. That only pays over TLS,
    // where ALPN may offer HTTP/2; over cleartext HTTP/1.1 it holds every request behind the first response.
    if (r.url.compare(0, 8, "https://") == 0) curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<int64_t>(r.connect_timeout_ms, 1)));
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(r.total_timeout_ms, 1)));
    if (verbose_) curl_easy_setopt(easy, CURLOPT_VERBOSE, 1L);

    CURLMcode rc = curl_multi_add_handle(multi_, easy);
    if (rc != CURLM_OK) {
      owned->response.network_error = std::string("could not start request: ") + curl_multi_strerror(rc);
      Finish(std::move(owned));
      return;
    }
    active_.insert(owned.release());
  }

  void DrainCompleted() {
    int left = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Transfer* raw = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &raw);
      CURLcode result = msg->data.result;
      std::unique_ptr<Transfer> t(raw);
      active_.erase(raw);
      curl_multi_remove_handle(multi_, t->easy);
      HttpResponse& response = t->response;
      curl_off_t ttfb_us = 0, total_us = 0;
      curl_easy_getinfo(t->easy, CURLINFO_STARTTRANSFER_TIME_T, &ttfb_us);
      curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &total_us);
      response.ttfb_ns = static_cast<int64_t>(ttfb_us) * 1000;
      response.total_ns = static_cast<int64_t>(total_us) * 1000;
      if (result == CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &code);
        response.status = static_cast<int>(code);
      } else {
        response.status = 0;
        response.timed_out = result == CURLE_OPERATION_TIMEDOUT;
        response.network_error = curl_easy_strerror(result);
        if (t->error[0] != '\0') response.network_error += std::string(": ") + t->error;
      }
      Finish(std::move(t));
    }
  }

  void CancelActive() {
    std::vector<Transfer*> active(active_.begin(), active_.end());
    active_.clear();
    for (Transfer* raw : active) {
      std::unique_ptr<Transfer> t(raw);
      curl_multi_remove_handle(multi_, t->easy);
      Cancel(std::move(t));
    }
  }

  void Cancel(std::unique_ptr<Transfer> t) {
    t->response = HttpResponse();
    t->response.network_error = "cancelled: the HTTP transport shut down before the request finished";
    t->response.cancelled = true;
    Finish(std::move(t));
  }

  // Releases the transfer's curl resources and runs its callback.
  void Finish(std::unique_ptr<Transfer> t) {
    if (t->header_list != nullptr) curl_slist_free_all(t->header_list);
    t->header_list = nullptr;
    if (t->easy != nullptr) {
      curl_easy_reset(t->easy);
      if (pool_.size() < kMaxPooledHandles) {
        pool_.push_back(t->easy);
      } else {
        curl_easy_cleanup(t->easy);
      }
      t->easy = nullptr;
    }
    auto done = std::move(t->done);
    HttpResponse response = std::move(t->response);
    t.reset();
    if (done) done(std::move(response));
  }

  CURLM* multi_ = nullptr;
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
  std::unordered_set<Transfer*> active_;
  std::vector<CURL*> pool_;
  int64_t curl_due_ns_ = -1;
  std::unordered_map<int, bool> watched_;  // Sockets registered with epoll -> curl watches them (false: parked).  //
                                           // When curl wants its timeout action; -1: no timeout pending.
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
