// ProviderSet turns model references (`sim`, `gpt-4.1-mini`, `openai:gpt-4.1-mini`, `openai:/gpt-4.1-mini`,
// `local:llama3`) into providers. `sim` is the built-in simulated model. Any other provider name must be `openai` (the
// default, honouring OPENAI_BASE_URL and OPENAI_API_KEY) or one declared under `providers:` in the config. Providers
// are created once and shared by every variant and judge that names them; HTTP traffic goes through one
// CurlTransport (one IO thread), except plain http:// to localhost or a numeric IPv4 address with no proxy set, which
// goes through one EventTransport (engine/http/event_transport.h) unless LLMEVAL_HTTP_CLIENT=curl. A provider that
// needs an API key and has none is an InvalidInput error before the run starts; the key itself is never printed.
//
// Concurrency: a provider whose config sets no max_concurrency (the built-in `openai` always) allows as many calls in
// flight as the run's concurrency, so `--concurrency N` is what the run gets; an explicit max_concurrency, a rate
// limit or the open-file limit may hold it lower, and Limits() tells the runner so, to warn before the run starts.
// Not thread-safe: resolve every model before the first call; the providers themselves are thread-safe.
#ifndef LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_
#define LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/config/config.h"
#include "engine/http/http_transport.h"
#include "engine/providers/chat_provider.h"
#include "engine/targets/target.h"

namespace llmeval {

struct ResolvedModel {
  ChatProvider* provider = nullptr;
  std::string provider_name;  // "sim", "openai", ...
  std::string provider_key;   // Provider plus endpoint, for cache keys.
  std::string api_model;      // What is sent as "model".
  std::string label;          // As the user wrote it.
  Target* target = nullptr;   // `--target`: the application in place of a model (engine/run/run_targets.h).
  int64_t span_grace_ms = 0;  // A target's `span_grace` and `wait_for_spans`.
  bool wait_for_spans = false;
};

// What may hold a provider below the run's concurrency: its config's caps (0 = none).
struct ProviderLimits {
  std::string name;
  int max_concurrency = 0;  // Explicit `max_concurrency:`; 0 when it follows the run.
  double requests_per_minute = 0;
  double tokens_per_minute = 0;
};

class ProviderSet {
 public:
  // `run_concurrency`: the run's items in flight, the cap of providers that set none (at least 1).
  ProviderSet(const ProjectConfig* config, int run_concurrency);
  ~ProviderSet();

  Result<ResolvedModel> Resolve(const std::string& model_ref);

  // The HTTP providers resolved so far (not `sim`), in the order they were first named.
  const std::vector<ProviderLimits>& Limits() const { return limits_; }
  // Whether any resolved provider calls over HTTP.
  bool over_http() const { return !limits_.empty(); }

 private:
  const ProjectConfig* config_;
  int run_concurrency_;
  std::vector<ProviderLimits> limits_;
  std::unique_ptr<HttpTransport> transport_;        // CurlTransport: https, proxies, host names.
  std::unique_ptr<HttpTransport> event_transport_;  // EventTransport: plain http:// to numeric hosts, localhost.
  std::map<std::string, std::unique_ptr<ChatProvider>> providers_;
  std::map<std::string, std::string> keys_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_
