// The OTLP/HTTP trace receiver (engine/collector/otlp_receiver.h).
#include "engine/collector/otlp_receiver.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/collector/otlp_decode.h"
#include "otlp_trace.pb.h"

namespace llmeval {

namespace {

struct Pending {
  evhttp_request* request = nullptr;
  evhttp_connection* connection = nullptr;
  bool cancelled = false;  // The client went away; `request` is freed.
  bool json = false;
  int64_t rejected = 0;
  std::string rejection;
  size_t spans = 0;
  Status status;
};

}  // namespace

struct OtlpReceiver::State {
  OtlpReceiverOptions options;
  SpanSink* sink = nullptr;
  std::atomic<int64_t> requests{0}, accepted_spans{0}, rejected_spans{0}, malformed{0}, unauthorized{0}, not_found{0},
      too_large{0}, unsupported{0}, unavailable{0};
  std::mutex mu;
  std::condition_variable idle;
  std::vector<Pending*> completed;  // Answered by the sink, to be replied on the loop thread.
  event* wake = nullptr;            // Null once the loop is stopping.
  int in_flight = 0;

  ~State() {
    for (Pending* p : completed) delete p;
  }
};

namespace {

using State = OtlpReceiver::State;

void Reply(evhttp_request* request, int code, const char* reason, bool json, const std::string& body) {
  evkeyvalq* headers = evhttp_request_get_output_headers(request);
  evhttp_add_header(headers, "Content-Type", json ? "application/json" : "application/x-protobuf");
  if (code == 503) evhttp_add_header(headers, "Retry-After", "1");
  evbuffer* out = evbuffer_new();
  evbuffer_add(out, body.data(), body.size());
  evhttp_send_reply(request, code, reason, out);
  evbuffer_free(out);
}

// A google.rpc.Status body in the request's encoding.
void ReplyError(evhttp_request* request, int code, const char* reason, bool json, int rpc_code,
                const std::string& message) {
  if (json) {
    JsonWriter w;
    w.BeginObject();
    w.Field("code", rpc_code);
    w.Field("message", message);
    w.EndObject();
    Reply(request, code, reason, true, w.str());
    return;
  }
  otlp::RpcStatus status;
  status.set_code(rpc_code);
  status.set_message(message);
  Reply(request, code, reason, false, status.SerializeAsString());
}

void ReplySuccess(evhttp_request* request, bool json, int64_t rejected, const std::string& rejection) {
  if (json) {
    JsonWriter w;
    w.BeginObject();
    if (rejected > 0) {
      w.Key("partialSuccess");
      w.BeginObject();
      w.Field("rejectedSpans", std::to_string(rejected));
      w.Field("errorMessage", rejection);
      w.EndObject();
    }
    w.EndObject();
    Reply(request, 200, "OK", true, w.str());
    return;
  }
  otlp::ExportTraceServiceResponse response;
  if (rejected > 0) {
    response.mutable_partial_success()->set_rejected_spans(rejected);
    response.mutable_partial_success()->set_error_message(rejection);
  }
  Reply(request, 200, "OK", false, response.SerializeAsString());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

void OnClose(evhttp_connection*, void* arg) { static_cast<Pending*>(arg)->cancelled = true; }

void OnWake(evutil_socket_t, short, void* arg) {
  auto* state = static_cast<State*>(arg);
  std::vector<Pending*> done;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    done.swap(state->completed);
  }
  for (Pending* p : done) {
    if (!p->cancelled) {
      evhttp_connection_set_closecb(p->connection, nullptr, nullptr);
      if (p->status.ok()) {
        state->accepted_spans += static_cast<int64_t>(p->spans);
        ReplySuccess(p->request, p->json, p->rejected, p->rejection);
      } else {
        ++state->unavailable;
        ReplyError(p->request, 503, "Service Unavailable", p->json, 14, p->status.message());
      }
    }
    delete p;
  }
  std::lock_guard<std::mutex> lock(state->mu);
  state->in_flight -= static_cast<int>(done.size());
  if (state->in_flight == 0) state->idle.notify_all();
}

std::string Header(evhttp_request* request, const char* name) {
  const char* value = evhttp_find_header(evhttp_request_get_input_headers(request), name);
  return value != nullptr ? std::string(value) : "";
}

void OnRequest(evhttp_request* request, void* arg) {
  auto* state = static_cast<State*>(arg);
  ++state->requests;
  std::string uri = evhttp_request_get_uri(request);
  std::string path = uri.substr(0, uri.find('?'));
  std::string type =
      AsciiLower(TrimWhitespace(Header(request, "Content-Type").substr(0, Header(request, "Content-Type").find(';'))));
  const bool json = type == "application/json";
  if (path != "/v1/traces") {
    ++state->not_found;
    ReplyError(request, 404, "Not Found", json, 5, "no such endpoint: " + path + " (traces go to POST /v1/traces)");
    return;
  }
  if (evhttp_request_get_command(request) != EVHTTP_REQ_POST) {
    ++state->not_found;
    ReplyError(request, 405, "Method Not Allowed", json, 12, "/v1/traces takes POST");
    return;
  }
  if (!state->options.bearer_token.empty() &&
      !ConstantTimeEquals(Header(request, "Authorization"), "Bearer " + state->options.bearer_token)) {
    ++state->unauthorized;
    ReplyError(request, 401, "Unauthorized", json, 16, "missing or wrong bearer token (Authorization: Bearer ...)");
    return;
  }
  if (!json && type != "application/x-protobuf") {
    ++state->unsupported;
    ReplyError(request, 415, "Unsupported Media Type", false, 3,
               "unsupported Content-Type '" + type + "' (expected application/x-protobuf or application/json)");
    return;
  }
  std::string encoding = AsciiLower(TrimWhitespace(Header(request, "Content-Encoding")));
  if (!encoding.empty() && encoding != "gzip" && encoding != "identity") {
    ++state->unsupported;
    ReplyError(request, 415, "Unsupported Media Type", json, 3,
               "unsupported Content-Encoding '" + encoding + "' (expected gzip or none)");
    return;
  }
  evbuffer* input = evhttp_request_get_input_buffer(request);
  size_t size = evbuffer_get_length(input);
  const size_t limit = state->options.max_body_bytes;
  if (size > limit) {
    ++state->too_large;
    ReplyError(request, 413, "Payload Too Large", json, 8,
               "body of " + std::to_string(size) + " bytes is over the limit of " + std::to_string(limit));
    return;
  }
  std::string_view body(reinterpret_cast<const char*>(evbuffer_pullup(input, -1)), size);
  std::string inflated;
  if (encoding == "gzip") {
    bool too_large = false;
    Result<std::string> plain = GunzipBody(body, limit, &too_large);
    if (!plain.ok()) {
      ++(too_large ? state->too_large : state->malformed);
      ReplyError(request, too_large ? 413 : 400, too_large ? "Payload Too Large" : "Bad Request", json,
                 too_large ? 8 : 3, plain.status().message());
      return;
    }
    inflated = std::move(plain.value());
    body = inflated;
  }
  Result<OtlpDecoded> decoded = json ? DecodeOtlpJson(body) : DecodeOtlpProtobuf(body);
  if (!decoded.ok()) {
    ++state->malformed;
    ReplyError(request, 400, "Bad Request", json, 3, decoded.status().message());
    return;
  }
  state->rejected_spans += decoded->rejected_spans;
  if (decoded->spans.empty()) {
    ReplySuccess(request, json, decoded->rejected_spans, decoded->rejection_message);
    return;
  }
  auto* pending = new Pending;
  pending->request = request;
  pending->connection = evhttp_request_get_connection(request);
  pending->json = json;
  pending->rejected = decoded->rejected_spans;
  pending->rejection = std::move(decoded->rejection_message);
  pending->spans = decoded->spans.size();
  evhttp_connection_set_closecb(pending->connection, &OnClose, pending);
  {
    std::lock_guard<std::mutex> lock(state->mu);
    ++state->in_flight;
  }
  state->sink->Submit(std::move(decoded->spans), [state, pending](Status status) {
    std::lock_guard<std::mutex> lock(state->mu);
    pending->status = std::move(status);
    state->completed.push_back(pending);
    if (state->wake != nullptr) event_active(state->wake, EV_READ, 0);
  });
}

}  // namespace

std::string OtlpReceiver::Counters::Line() const {
  return "requests=" + std::to_string(requests) + " spans=" + std::to_string(accepted_spans) +
         " rejected_spans=" + std::to_string(rejected_spans) + " 400=" + std::to_string(malformed) +
         " 401=" + std::to_string(unauthorized) + " 404=" + std::to_string(not_found) +
         " 413=" + std::to_string(too_large) + " 415=" + std::to_string(unsupported) +
         " 503=" + std::to_string(unavailable);
}

OtlpReceiver::OtlpReceiver() : state_(std::make_shared<State>()) {}

OtlpReceiver::~OtlpReceiver() { Stop(); }

Status OtlpReceiver::Start(const OtlpReceiverOptions& options, SpanSink* sink) {
  if (server_.running()) return Status::OK();
  state_->options = options;
  state_->sink = sink;
  EventHttpServerOptions server_options;
  server_options.name = "otlp receiver";
  server_options.host = options.host;
  server_options.port = options.port;
  // Bodies up to twice the limit are read and refused (and counted) here; larger ones libevent refuses by itself.
  server_options.max_body_bytes = options.max_body_bytes * 2;
  server_options.listen_backlog = 1024;
  Status s = server_.Start(server_options, &OnRequest, state_.get());
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->wake = event_new(server_.base(), -1, 0, &OnWake, state_.get());
  return Status::OK();
}

void OtlpReceiver::Stop() {
  if (!server_.running()) return;
  {
    std::unique_lock<std::mutex> lock(state_->mu);
    state_->idle.wait_for(lock, std::chrono::seconds(30), [this] { return state_->in_flight == 0; });
  }
  event* wake = nullptr;
  server_.Stop([&] {
    std::lock_guard<std::mutex> lock(state_->mu);
    wake = state_->wake;
    state_->wake = nullptr;
    if (wake != nullptr) event_free(wake);
  });
}

OtlpReceiver::Counters OtlpReceiver::counters() const {
  Counters c;
  c.requests = state_->requests;
  c.accepted_spans = state_->accepted_spans;
  c.rejected_spans = state_->rejected_spans;
  c.malformed = state_->malformed;
  c.unauthorized = state_->unauthorized;
  c.not_found = state_->not_found;
  c.too_large = state_->too_large;
  c.unsupported = state_->unsupported;
  c.unavailable = state_->unavailable;
  return c;
}

}  // namespace llmeval
