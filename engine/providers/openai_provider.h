// OpenAIProvider: a ChatProvider for any OpenAI-compatible /chat/completions endpoint (OpenAI, Azure-style gateways,
// vLLM, llama.cpp, Ollama, OpenRouter, the simulated server), over an HttpTransport.
//
// Each call: POST {base_url}/chat/completions with "Authorization: Bearer <key>" when a key is set. Retries with capped
// exponential backoff and jitter on network errors, timeouts, 408, 409, 429 and 5xx, honouring retry-after-ms,
// Retry-After, or else a wait the error message suggests ("try again in 3.89s") (see engine/providers/retry_policy.h);
// never on 400/401/403/404 or on a 429 for insufficient_quota; at most max_attempts attempts, each recorded as a
// CallAttempt. At most max_concurrency calls are in flight per provider; more wait in a FIFO queue. An adaptive token
// bucket (engine/http/rate_limiter.h) paces requests and tokens per minute. Waits go through HttpTransport::Schedule
// and time comes from the injected Clock, so nothing here sleeps.
//
// Failure messages read "HTTP 429 from openai: Rate limit reached ..." and never contain the API key: every message
// built here is scrubbed of it. A 2xx body that cannot be parsed fails the call without a retry.
//
// Thread-safety: Chat may be called from any thread. `done` runs on the transport's IO thread. The transport and the
// clock must outlive every call; the provider itself may be destroyed while calls are in flight.
#ifndef LLMEVAL_ENGINE_PROVIDERS_OPENAI_PROVIDER_H_
#define LLMEVAL_ENGINE_PROVIDERS_OPENAI_PROVIDER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/http/http_transport.h"
#include "engine/providers/chat_provider.h"

namespace llmeval {

struct ProviderConfig {
  std::string name = "openai";
  std::string base_url = "https://api.openai.com/v1";
  std::string api_key_env = "OPENAI_API_KEY";
  std::string api_key;  // The resolved value; never logged.
  std::vector<std::pair<std::string, std::string>> extra_headers;
  int max_concurrency = 64;
  double requests_per_minute = 0, tokens_per_minute = 0;  // 0 = unlimited.
  int max_attempts = 5;
  int64_t connect_timeout_ms = 10000, timeout_ms = 120000;
  bool stream = false;
  // Backoff between attempts when the server gives no Retry-After.
  int64_t retry_base_delay_ms = 500, retry_max_delay_ms = 8000;
  double retry_jitter = 0.25;  // Each backoff is scaled by a random factor in (1 - jitter, 1].
  uint64_t jitter_seed = 0;    // 0 = seeded from std::random_device.
};

// Fills config->api_key from the environment variable config->api_key_env when api_key is empty. InvalidInput naming
// the variable when it is unset and `required`.
Status ResolveApiKey(ProviderConfig* config, bool required);

// Replaces every occurrence of `secret` in `text` with "[redacted]" (no-op for an empty secret).
std::string ScrubSecret(std::string text, const std::string& secret);

class OpenAIProvider : public ChatProvider {
 public:
  // REQUIRES: `transport` and `clock` outlive every call made through this provider.
  OpenAIProvider(ProviderConfig config, HttpTransport* transport, Clock* clock = Clock::Real());
  ~OpenAIProvider() override;

  void Chat(ChatRequest request, ChatCallback done) override;

  const std::string& name() const;
  int in_flight() const;       // Calls admitted and not yet finished.
  size_t queued() const;       // Calls waiting for a concurrency slot.
  double rate_factor() const;  // The adaptive rate limiter's current factor (1 = configured rates).

  struct State;
  struct Call;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_OPENAI_PROVIDER_H_
