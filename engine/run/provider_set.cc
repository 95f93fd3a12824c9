#include "engine/run/provider_set.h"

#include <algorithm>
#include <cstdlib>

#include "core/strings.h"
#include "engine/http/curl_transport.h"
#include "engine/http/event_transport.h"
#include "engine/providers/model_ref.h"
#include "engine/providers/openai_provider.h"
#include "engine/sim/sim_provider.h"

namespace llmeval {

ProviderSet::ProviderSet(const ProjectConfig* config, int run_concurrency)
    : config_(config), run_concurrency_(std::max(1, run_concurrency)) {}

ProviderSet::~ProviderSet() {
  providers_.clear();  // Providers first: they may hold calls on the transports.
  transport_.reset();
  event_transport_.reset();
}

Result<ResolvedModel> ProviderSet::Resolve(const std::string& model_ref) {
  Result<ModelRef> ref = ParseModelRef(model_ref);
  if (!ref.ok()) return ref.status();
  ResolvedModel out;
  out.label = model_ref;
  out.api_model = ref->model;
  std::string provider = ref->provider;
  if (provider.empty()) provider = (ref->model == "sim" || StartsWith(ref->model, "sim-")) ? "sim" : "openai";
  out.provider_name = provider;
  auto existing = providers_.find(provider);
  if (existing != providers_.end()) {
    out.provider = existing->second.get();
    out.provider_key = keys_[provider];
    return out;
  }
  if (provider == "sim") {
    providers_[provider] = std::make_unique<SimProvider>();
    keys_[provider] = "sim";
    out.provider = providers_[provider].get();
    out.provider_key = "sim";
    return out;
  }
  ProviderConfig pc;
  pc.name = provider;
  pc.max_concurrency = run_concurrency_;
  ProviderLimits limits;
  limits.name = provider;
  bool key_required = false;
  auto declared = config_->providers.find(provider);
  if (declared != config_->providers.end()) {
    const ProviderSettings& s = declared->second;
    pc.base_url = s.base_url;
    if (!s.api_key_env.empty()) pc.api_key_env = s.api_key_env;
    pc.extra_headers = s.headers;
    if (s.max_concurrency > 0) pc.max_concurrency = limits.max_concurrency = s.max_concurrency;
    limits.requests_per_minute = s.requests_per_minute;
    limits.tokens_per_minute = s.tokens_per_minute;
    pc.requests_per_minute = s.requests_per_minute;
    pc.tokens_per_minute = s.tokens_per_minute;
    pc.max_attempts = s.max_attempts;
    pc.timeout_ms = s.timeout_ms;
    pc.stream = s.stream;
    key_required = !s.api_key_env.empty() || pc.base_url.find("api.openai.com") != std::string::npos;
  } else if (provider == "openai") {
    const char* base = std::getenv("OPENAI_BASE_URL");
    if (base != nullptr && *base != '\0') pc.base_url = base;
    key_required = pc.base_url.find("api.openai.com") != std::string::npos;
  } else {
    std::vector<std::string> known = {"sim", "openai"};
    for (const auto& [name, settings] : config_->providers) known.push_back(name);
    return Status::InvalidInput("model '" + model_ref + "': unknown provider '" + provider +
                                "'; declare it under 'providers:' in the config (known: " + JoinStrings(known, ", ") +
                                ")");
  }
  Status s = ResolveApiKey(&pc, key_required);
  if (!s.ok()) return s.WithContext("model '" + model_ref + "'");
  HttpTransport* transport = nullptr;
  const char* client = std::getenv("LLMEVAL_HTTP_CLIENT");
  bool force_curl = client != nullptr && std::string(client) == "curl";
  if (!force_curl && EventTransportCanServe(pc.base_url)) {
    // Plain http:// to this machine or a numeric address: libevent's client costs about a third less CPU per request
    // than libcurl's (docs/BENCHMARKS.md).
    if (event_transport_ == nullptr) event_transport_ = std::make_unique<EventTransport>();
    transport = event_transport_.get();
  } else {
    if (transport_ == nullptr) {
      // Providers cap their own concurrency; the transport must not add a lower cap of its own (with HTTP/1.1 one
      // request needs one connection), and idle connections are kept for reuse.
      CurlTransportOptions transport_options;
      transport_options.max_host_connections = 0;
      transport_options.max_cached_connections = 4096;
      transport_ = std::make_unique<CurlTransport>(transport_options);
    }
    transport = transport_.get();
  }
  std::string key = provider + " " + pc.base_url;
  providers_[provider] = std::make_unique<OpenAIProvider>(pc, transport);
  limits_.push_back(limits);
  keys_[provider] = key;
  out.provider = providers_[provider].get();
  out.provider_key = key;
  return out;
}

}  // namespace llmeval
