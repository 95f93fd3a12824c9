// ProviderSet turns model references (`sim`, `gpt-4.1-mini`, `openai:gpt-4.1-mini`, `openai:/gpt-4.1-mini`,
// `local:llama3`) into providers. `sim` is the built-in simulated model. Any other provider name must be `openai` (the
// default, honouring OPENAI_BASE_URL and OPENAI_API_KEY) or one declared under `providers:` in the config. Providers
// are created once and shared by every variant and judge that names them; all HTTP traffic goes through one
// CurlTransport (one IO thread). A provider that needs an API key and has none is an InvalidInput error before the
// run starts; the key itself is never printed.
#ifndef LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_
#define LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_

#include <map>
#include <memory>
#include <string>

#include "engine/providers/chat_provider.h"
#include "engine/config/config.h"
#include "engine/http/http_transport.h"
#include "engine/targets/target.h"

namespace llmeval {

struct ResolvedModel {
  ChatProvider* provider = nullptr;
  std::string provider_name;  // "sim", "openai", ...
  std::string provider_key;   // Provider plus endpoint, for cache keys.
  std::string api_model;      // What is sent as "model".
  std::string label;          // As the user wrote it.
  Target* target = nullptr;   // `--target`: the application in place of a model (engine/run/run_targets.h).
};

class ProviderSet {
 public:
  explicit ProviderSet(const ProjectConfig* config);
  ~ProviderSet();

  Result<ResolvedModel> Resolve(const std::string& model_ref);

 private:
  const ProjectConfig* config_;
  std::unique_ptr<HttpTransport> transport_;
  std::map<std::string, std::unique_ptr<ChatProvider>> providers_;
  std::map<std::string, std::string> keys_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_PROVIDER_SET_H_
