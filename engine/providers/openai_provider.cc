#include "engine/providers/openai_provider.h"

#include <cstdlib>
#include <mutex>
#include <random>

#include "engine/http/concurrency_slots.h"
#include "engine/http/rate_limiter.h"
#include "engine/providers/openai_client_codec.h"
#include "engine/providers/retry_policy.h"
#include "engine/providers/sse_parser.h"

namespace llmeval {

struct OpenAIProvider::State {
  State(ProviderConfig c, HttpTransport* t, Clock* k)
      : config(std::move(c)),
        transport(t),
        clock(k),
        limiter(RateLimiterOptions{.requests_per_minute = config.requests_per_minute,
                                   .tokens_per_minute = config.tokens_per_minute},
                k),
        slots(config.max_concurrency),
        random(config.jitter_seed != 0 ? config.jitter_seed : std::random_device()()) {
    retry.max_attempts = std::max(1, config.max_attempts);
    retry.base_delay_ns = config.retry_base_delay_ms * 1'000'000;
    retry.max_delay_ns = config.retry_max_delay_ms * 1'000'000;
    retry.jitter = config.retry_jitter;
    while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
    url = config.base_url + "/chat/completions";
    for (bool stream : {false, true}) {
      HttpHeaders& h = stream ? stream_headers : json_headers;
      h.emplace_back("Content-Type", "application/json");
      h.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
      if (!config.api_key.empty()) h.emplace_back("Authorization", "Bearer " + config.api_key);
      for (const auto& header : config.extra_headers) h.push_back(header);
    }
  }

  double RandomUnit() {
    std::lock_guard<std::mutex> lock(mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(random);
  }
  std::string Scrub(std::string text) const { return ScrubSecret(std::move(text), config.api_key); }

  ProviderConfig config;  // Not changed after construction.
  HttpTransport* const transport;
  Clock* const clock;
  RateLimiter limiter;
  RetryOptions retry;
  std::string url;                           // {base_url}/chat/completions
  HttpHeaders json_headers, stream_headers;  // Every request's headers, built once.
  ConcurrencySlots slots;                    // max_concurrency.

  std::mutex mu;  // Guards `random`.
  std::mt19937_64 random;
};

struct OpenAIProvider::Call {
  std::shared_ptr<State> state;
  HttpRequest http;
  bool stream = false;
  ChatCallback done;
  CallGauge* gauge = nullptr;  // The request's, or null.
  ChatResult result;
  int64_t estimated_tokens = 0;
  int attempt = 0;
  int64_t call_start_mono = 0;
  int64_t attempt_start_unix = 0;
  int64_t attempt_start_mono = 0;
  int64_t wait_before_ns = 0;
};

namespace {

using Call = OpenAIProvider::Call;
using State = OpenAIProvider::State;

void BeginAttempt(const std::shared_ptr<Call>& call, int64_t backoff_ns);
void OnResponse(const std::shared_ptr<Call>& call, HttpResponse response);

// A rough token count for rate limiting: about four characters a token, plus the completion budget.
int64_t EstimateTokens(const ChatRequest& request) {
  size_t chars = 0;
  for (const ChatMessage& m : request.messages) {
    chars += m.content.value_or("").size() + 8;
    for (const ToolCall& call : m.tool_calls) chars += call.name.size() + call.arguments_json.size();
  }
  for (const ToolSpec& tool : request.tools) chars += tool.description.size() + tool.parameters_schema_json.size();
  return static_cast<int64_t>(chars / 4) + request.max_tokens.value_or(0);
}

// Hands the call's slot to the next queued call (or frees it), then reports the result.
void Finish(const std::shared_ptr<Call>& call, Status status) {
  State& state = *call->state;
  call->result.status = std::move(status);
  call->result.response.attempts = call->attempt;
  state.slots.Release();
  ChatCallback done = std::move(call->done);
  ChatResult result = std::move(call->result);
  done(std::move(result));
}

void SendAttempt(const std::shared_ptr<Call>& call) {
  State& state = *call->state;
  call->attempt_start_unix = state.clock->NowUnixNanos();
  call->attempt_start_mono = state.clock->NowMonotonicNanos();
  // The last attempt hands the request over instead of copying it: nothing reads it after that.
  HttpRequest http = call->attempt >= state.retry.max_attempts ? std::move(call->http) : call->http;
  if (call->gauge != nullptr) call->gauge->Enter();
  state.transport->Send(std::move(http), [call](HttpResponse response) {
    if (call->gauge != nullptr) call->gauge->Leave();
    OnResponse(call, std::move(response));
  });
}

void BeginAttempt(const std::shared_ptr<Call>& call, int64_t backoff_ns) {
  State& state = *call->state;
  if (++call->attempt == 1) call->call_start_mono = state.clock->NowMonotonicNanos();
  int64_t rate_wait = state.limiter.Reserve(call->estimated_tokens);
  call->wait_before_ns = backoff_ns + rate_wait;
  if (rate_wait > 0) {
    state.transport->Schedule(rate_wait, [call] { SendAttempt(call); });
  } else {
    SendAttempt(call);
  }
}

Status FailureStatus(const State& state, const HttpResponse& response, const ProviderError& error, int attempts) {
  std::string suffix = attempts > 1 ? " (after " + std::to_string(attempts) + " attempts)" : "";
  const std::string& name = state.config.name;
  if (response.cancelled)
    return Status::Cancelled(state.Scrub("call to " + name + " cancelled: " + response.network_error));
  if (!response.network_error.empty()) {
    std::string message = state.Scrub("network error calling " + name + ": " + response.network_error + suffix);
    return response.timed_out ? Status::Timeout(message) : Status::Unavailable(message);
  }
  std::string message = "HTTP " + std::to_string(response.status) + " from " + name + ": " + error.message;
  if (!error.code.empty())
    message += " (code " + error.code + ")";
  else if (!error.type.empty())
    message += " (type " + error.type + ")";
  message = state.Scrub(message + suffix);
  if (IsRetryableStatus(response.status) && !IsInsufficientQuota(error)) return Status::Unavailable(message);
  return Status::RemoteError(message);
}

void OnResponse(const std::shared_ptr<Call>& call, HttpResponse response) {
  State& state = *call->state;
  CallAttempt attempt;
  attempt.start_unix_nanos = call->attempt_start_unix;
  attempt.duration_nanos = state.clock->NowMonotonicNanos() - call->attempt_start_mono;
  if (attempt.duration_nanos <= 0) attempt.duration_nanos = response.total_ns;
  attempt.http_status = response.status;
  attempt.wait_before_nanos = call->wait_before_ns;
  call->result.response.http_status = response.status;

  if (response.network_error.empty() && response.status >= 200 && response.status < 300) {
    Result<ChatResponse> decoded =
        call->stream ? DecodeChatStreamBody(response.body) : DecodeChatResponseJson(response.body);
    if (!decoded.ok()) {
      Status status(decoded.status().code(), state.Scrub("HTTP " + std::to_string(response.status) + " from " +
                                                         state.config.name + ": " + decoded.status().message()));
      attempt.error = status.message();
      call->result.attempts.push_back(std::move(attempt));
      Finish(call, std::move(status));
      return;
    }
    call->result.attempts.push_back(std::move(attempt));
    ChatResponse& out = call->result.response;
    out = std::move(decoded).value();
    out.http_status = response.status;
    if (!call->stream) out.body_json = std::move(response.body);
    out.time_to_first_byte_ns = response.ttfb_ns;
    int64_t elapsed = state.clock->NowMonotonicNanos() - call->call_start_mono;
    out.total_time_ns = elapsed > 0 ? elapsed : response.total_ns;
    state.limiter.OnSuccess();
    if (out.usage.reported) {
      state.limiter.AdjustTokens(out.usage.input_tokens + out.usage.output_tokens - call->estimated_tokens);
    }
    Finish(call, Status::OK());
    return;
  }

  ProviderError error;
  if (response.network_error.empty()) error = DecodeErrorBody(response.status, response.body);
  Status failure = FailureStatus(state, response, error, call->attempt);
  attempt.error = response.network_error.empty()
                      ? state.Scrub("HTTP " + std::to_string(response.status) + ": " + error.message)
                      : state.Scrub(response.network_error);
  call->result.attempts.push_back(std::move(attempt));
  if (response.status == 429) state.limiter.OnRateLimited();

  if (!IsRetryableFailure(response, error) || call->attempt >= state.retry.max_attempts) {
    Finish(call, std::move(failure));
    return;
  }
  std::optional<int64_t> server_delay = ServerRetryDelayNs(response.headers, state.clock->NowUnixNanos());
  if (!server_delay && response.network_error.empty()) server_delay = RetryDelayFromMessageNs(error.message);
  if (server_delay && *server_delay > state.retry.max_server_delay_ns) {
    Finish(call,
           Status(failure.code(), failure.message() + "; the server asked to retry after " +
                                      std::to_string(*server_delay / 1'000'000'000) + " s, beyond the " +
                                      std::to_string(state.retry.max_server_delay_ns / 1'000'000'000) + " s limit"));
    return;
  }
  int64_t delay = server_delay ? *server_delay : BackoffDelayNs(call->attempt, state.RandomUnit(), state.retry);
  state.transport->Schedule(delay, [call, delay] { BeginAttempt(call, delay); });
}

}  // namespace

Status ResolveApiKey(ProviderConfig* config, bool required) {
  if (!config->api_key.empty() || config->api_key_env.empty()) return Status::OK();
  if (const char* value = std::getenv(config->api_key_env.c_str()); value != nullptr && value[0] != '\0') {
    config->api_key = value;
    return Status::OK();
  }
  if (!required) return Status::OK();
  return Status::InvalidInput("provider '" + config->name + "' needs an API key: set the environment variable " +
                              config->api_key_env);
}

std::string ScrubSecret(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "[redacted]");
    pos += 10;
  }
  return text;
}

OpenAIProvider::OpenAIProvider(ProviderConfig config, HttpTransport* transport, Clock* clock)
    : state_(std::make_shared<State>(std::move(config), transport, clock)) {}

OpenAIProvider::~OpenAIProvider() = default;

void OpenAIProvider::Chat(ChatRequest request, ChatCallback done) {
  auto call = std::make_shared<Call>();
  call->state = state_;
  call->done = std::move(done);
  call->gauge = request.gauge;
  const ProviderConfig& config = state_->config;
  if (Status valid = ValidateChatRequest(request); !valid.ok()) {
    call->result.status = Status(valid.code(), state_->Scrub(config.name + ": " + valid.message()));
    call->result.response.attempts = 0;
    state_->transport->Schedule(0, [call] { call->done(std::move(call->result)); });
    return;
  }
  if (config.stream) request.stream = true;
  call->stream = request.stream;
  call->estimated_tokens = EstimateTokens(request);
  HttpRequest& http = call->http;
  http.method = "POST";
  http.url = state_->url;
  http.headers = request.stream ? state_->stream_headers : state_->json_headers;
  http.body = EncodeChatRequestJson(request);
  http.connect_timeout_ms = config.connect_timeout_ms;
  http.total_timeout_ms = config.timeout_ms;

  state_->slots.Acquire([call] { BeginAttempt(call, 0); });
}

const std::string& OpenAIProvider::name() const { return state_->config.name; }

int OpenAIProvider::in_flight() const { return state_->slots.in_flight(); }

size_t OpenAIProvider::queued() const { return state_->slots.queued(); }

double OpenAIProvider::rate_factor() const { return state_->limiter.factor(); }

}  // namespace llmeval
