// A tiny OTLP/HTTP receiver for tests: a libevent evhttp server on 127.0.0.1 (ephemeral port) that records every
// request (method, path, headers, body) and answers from a script of statuses (then 200 with an empty
// ExportTraceServiceResponse). Header-only so both the engine and the CLI test binaries can use it.
//
// Thread-safety: the server runs its own loop thread; the accessors lock.
#ifndef LLMEVAL_TESTS_OTLP_OTLP_RECEIVER_H_
#define LLMEVAL_TESTS_OTLP_OTLP_RECEIVER_H_

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace llmeval::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string Header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < key.size(); ++i) same = same && std::tolower(key[i]) == std::tolower(name[i]);
      if (same) return value;
    }
    return "";
  }
};

struct ScriptedReply {
  int status = 200;
  std::string body = "{}";
  std::vector<std::pair<std::string, std::string>> headers;
};

class OtlpReceiver {
 public:
  OtlpReceiver() {
    static std::once_flag once;
    std::call_once(once, [] { evthread_use_pthreads(); });
    base_ = event_base_new();
    http_ = evhttp_new(base_);
    evhttp_set_gencb(http_, &OtlpReceiver::OnRequest, this);
    evhttp_set_max_body_size(http_, 256u << 20);
    evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(http_, "127.0.0.1", 0);
    if (bound != nullptr) {
      sockaddr_in address{};
      socklen_t length = sizeof(address);
      if (getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port_ = ntohs(address.sin_port);
      }
    }
    stop_ = event_new(
        base_, -1, 0, [](evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); },
        base_);
    thread_ = std::thread([this] { event_base_loop(base_, EVLOOP_NO_EXIT_ON_EMPTY); });
  }

  ~OtlpReceiver() {
    event_active(stop_, EV_TIMEOUT, 0);
    thread_.join();
    event_free(stop_);
    evhttp_free(http_);
    event_base_free(base_);
  }

  OtlpReceiver(const OtlpReceiver&) = delete;
  OtlpReceiver& operator=(const OtlpReceiver&) = delete;

  int port() const { return port_; }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The next requests get these replies, in order; later ones get 200 "{}".
  void Script(std::vector<ScriptedReply> replies) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& reply : replies) script_.push_back(std::move(reply));
  }

  std::vector<ReceivedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  static void OnRequest(evhttp_request* request, void* arg) { static_cast<OtlpReceiver*>(arg)->Handle(request); }

  void Handle(evhttp_request* request) {
    ReceivedRequest received;
    received.method = evhttp_request_get_command(request) == EVHTTP_REQ_POST ? "POST" : "OTHER";
    received.path = evhttp_request_get_uri(request);
    evkeyvalq* in = evhttp_request_get_input_headers(request);
    for (evkeyval* h = in->tqh_first; h != nullptr; h = h->next.tqe_next)
      received.headers.emplace_back(h->key, h->value);
    evbuffer* input = evhttp_request_get_input_buffer(request);
    size_t size = evbuffer_get_length(input);
    received.body.resize(size);
    if (size > 0) evbuffer_copyout(input, received.body.data(), size);
    ScriptedReply reply;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(std::move(received));
      if (!script_.empty()) {
        reply = std::move(script_.front());
        script_.pop_front();
      }
    }
    evkeyvalq* out = evhttp_request_get_output_headers(request);
    evhttp_add_header(out, "Content-Type", "application/json");
    for (const auto& [name, value] : reply.headers) evhttp_add_header(out, name.c_str(), value.c_str());
    evbuffer* buffer = evbuffer_new();
    evbuffer_add(buffer, reply.body.data(), reply.body.size());
    evhttp_send_reply(request, reply.status, "Scripted", buffer);
    evbuffer_free(buffer);
  }

  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  event* stop_ = nullptr;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<ScriptedReply> script_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_OTLP_OTLP_RECEIVER_H_
