#include "engine/targets/http_target.h"

#include <cstdlib>
#include <mutex>
#include <random>

#include "core/json_writer.h"
#include "engine/http/concurrency_slots.h"
#include "engine/http/rate_limiter.h"
#include "engine/providers/retry_policy.h"
#include "engine/targets/target_reply.h"

namespace llmeval {

struct HttpTarget::State {
  State(TargetSettings s, HttpTransport* t, Clock* k)
      : settings(std::move(s)),
        transport(t),
        clock(k),
        limiter(RateLimiterOptions{.requests_per_minute = settings.requests_per_minute}, k),
        slots(settings.max_concurrency),
        random(std::random_device()()) {
    retry.max_attempts = std::max(1, settings.max_attempts);
  }
  double RandomUnit() {
    std::lock_guard<std::mutex> lock(mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random);
  }

  const TargetSettings settings;
  HttpTransport* const transport;
  Clock* const clock;
  RateLimiter limiter;
  RetryOptions retry;
  ConcurrencySlots slots;  // max_concurrency.

  std::mutex mu;  // Guards `random`.
  std::mt19937_64 random;
};

struct HttpTarget::Call {
  std::shared_ptr<State> state;
  HttpRequest http;
  TargetCallback done;
  TargetResult result;
  int attempt = 0;
  int64_t call_start_mono = 0, attempt_start_unix = 0, attempt_start_mono = 0, wait_before_ns = 0;
};

namespace {

using Call = HttpTarget::Call;
using State = HttpTarget::State;

void BeginAttempt(const std::shared_ptr<Call>& call, int64_t backoff_ns);

void Finish(const std::shared_ptr<Call>& call, Status status) {
  State& state = *call->state;
  call->result.chat.status = std::move(status);
  call->result.chat.response.attempts = call->attempt;
  state.slots.Release();
  TargetCallback done = std::move(call->done);
  done(std::move(call->result));
}

void OnResponse(const std::shared_ptr<Call>& call, HttpResponse response) {
  State& state = *call->state;
  const std::string& name = state.settings.name;
  CallAttempt attempt;
  attempt.start_unix_nanos = call->attempt_start_unix;
  attempt.duration_nanos = state.clock->NowMonotonicNanos() - call->attempt_start_mono;
  attempt.http_status = response.status;
  attempt.wait_before_nanos = call->wait_before_ns;
  ChatResponse& out = call->result.chat.response;
  out.http_status = response.status;
  std::string suffix = call->attempt > 1 ? " (after " + std::to_string(call->attempt) + " attempts)" : "";

  if (response.network_error.empty() && response.status >= 200 && response.status < 300) {
    std::string format = ReplyFormat(state.settings.stream, FindHeader(response.headers, "Content-Type"));
    Result<DecodedReply> decoded = DecodeTargetReply(response.body, format, state.settings.response);
    if (!decoded.ok()) {
      Status status(decoded.status().code(), "HTTP " + std::to_string(response.status) + " from target " + name + ": " +
                                                 decoded.status().message());
      attempt.error = status.message();
      call->result.chat.attempts.push_back(std::move(attempt));
      Finish(call, std::move(status));
      return;
    }
    call->result.chat.attempts.push_back(std::move(attempt));
    out.message = std::move(decoded->message);
    out.usage = decoded->usage;
    out.finish_reason = out.message.tool_calls.empty() ? "stop" : "tool_calls";
    out.model = name;
    out.time_to_first_byte_ns = response.ttfb_ns;
    out.total_time_ns = state.clock->NowMonotonicNanos() - call->call_start_mono;
    call->result.cost_usd = decoded->cost_usd;
    state.limiter.OnSuccess();
    if (!decoded->error.empty()) {
      Finish(call, Status::RemoteError("target " + name + " reported an error: " + decoded->error));
      return;
    }
    Finish(call, Status::OK());
    return;
  }

  std::string what =
      response.network_error.empty()
          ? "HTTP " + std::to_string(response.status) + " from target " + name + ": " + response.body.substr(0, 200)
          : "network error calling target " + name + ": " + response.network_error;
  attempt.error = what;
  call->result.chat.attempts.push_back(std::move(attempt));
  if (response.status == 429) state.limiter.OnRateLimited();
  Status failure = response.cancelled   ? Status::Cancelled(what)
                   : response.timed_out ? Status::Timeout(what + suffix)
                   : IsRetryableStatus(response.status) || !response.network_error.empty()
                       ? Status::Unavailable(what + suffix)
                       : Status::RemoteError(what + suffix);
  bool retryable = !response.cancelled && (!response.network_error.empty() || IsRetryableStatus(response.status));
  if (std::optional<std::string> should = FindHeader(response.headers, "x-should-retry")) {
    retryable = !response.cancelled && *should == "true";
  }
  if (!retryable || call->attempt >= state.retry.max_attempts) {
    Finish(call, std::move(failure));
    return;
  }
  std::optional<int64_t> server_delay = ServerRetryDelayNs(response.headers, state.clock->NowUnixNanos());
  if (server_delay && *server_delay > state.retry.max_server_delay_ns) {
    Finish(call, Status(failure.code(), failure.message() + "; the target asked to retry after " +
                                            std::to_string(*server_delay / 1'000'000'000) + " s, beyond the limit"));
    return;
  }
  int64_t delay = server_delay ? *server_delay : BackoffDelayNs(call->attempt, state.RandomUnit(), state.retry);
  state.transport->Schedule(delay, [call, delay] { BeginAttempt(call, delay); });
}

void SendAttempt(const std::shared_ptr<Call>& call) {
  State& state = *call->state;
  call->attempt_start_unix = state.clock->NowUnixNanos();
  call->attempt_start_mono = state.clock->NowMonotonicNanos();
  HttpRequest http = call->attempt >= state.retry.max_attempts ? std::move(call->http) : call->http;
  state.transport->Send(std::move(http), [call](HttpResponse response) { OnResponse(call, std::move(response)); });
}

void BeginAttempt(const std::shared_ptr<Call>& call, int64_t backoff_ns) {
  State& state = *call->state;
  if (++call->attempt == 1) call->call_start_mono = state.clock->NowMonotonicNanos();
  int64_t rate_wait = state.limiter.Reserve(0);
  call->wait_before_ns = backoff_ns + rate_wait;
  if (rate_wait > 0) {
    state.transport->Schedule(rate_wait, [call] { SendAttempt(call); });
  } else {
    SendAttempt(call);
  }
}

// Every variable as one JSON object: the body when the target sets no template.
std::string VariablesJson(const std::map<std::string, std::string>& variables) {
  JsonWriter w;
  w.BeginObject();
  for (const auto& [k, v] : variables) w.Field(k, v);
  w.EndObject();
  return w.Take();
}

}  // namespace

std::string ExpandEnvReferences(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    size_t end =
        text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{' ? text.find('}', i + 2) : std::string::npos;
    if (end == std::string::npos) {
      out.push_back(text[i]);
      continue;
    }
    const char* value = std::getenv(text.substr(i + 2, end - i - 2).c_str());
    if (value != nullptr) out += value;
    i = end;
  }
  return out;
}

HttpTarget::HttpTarget(TargetSettings settings, HttpTransport* transport, Clock* clock)
    : state_(std::make_shared<State>(std::move(settings), transport, clock)) {}

HttpTarget::~HttpTarget() = default;

void HttpTarget::Invoke(TargetRequest request, TargetCallback done) {
  auto call = std::make_shared<Call>();
  call->state = state_;
  call->done = std::move(done);
  const TargetSettings& s = state_->settings;
  HttpRequest& http = call->http;
  http.method = s.method;
  http.url = ExpandEnvReferences(s.url);  // A port chosen at start-up: url: http://127.0.0.1:${APP_PORT}/answer
  http.total_timeout_ms = s.timeout_ms;
  http.connect_timeout_ms = std::min<int64_t>(s.timeout_ms, 10000);
  http.headers.emplace_back("Content-Type", "application/json");
  http.headers.emplace_back("Accept", "application/json, text/event-stream, application/x-ndjson");
  for (const auto& [name, value] : s.headers) http.headers.emplace_back(name, ExpandEnvReferences(value));
  if (!request.traceparent.empty()) http.headers.emplace_back("traceparent", request.traceparent);
  http.body = s.body_template.empty() ? VariablesJson(request.variables)
                                      : RenderBodyTemplate(s.body_template, request.variables);
  call->result.request_body = http.body;
  state_->slots.Acquire([call] { BeginAttempt(call, 0); });
}

}  // namespace llmeval
