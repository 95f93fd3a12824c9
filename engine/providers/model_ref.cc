#include "engine/providers/model_ref.h"

#include "core/strings.h"

namespace llmeval {

Result<ModelRef> ParseModelRef(std::string_view text) {
  std::string_view trimmed = TrimWhitespace(text);
  if (trimmed.empty()) {
    return Status::InvalidInput("empty model reference: expected 'model', 'provider:model' or 'provider:/model'");
  }
  ModelRef ref;
  size_t colon = trimmed.find(':');
  if (colon == std::string_view::npos) {
    ref.model = std::string(trimmed);
    return ref;
  }
  std::string_view provider = TrimWhitespace(trimmed.substr(0, colon));
  std::string_view model = trimmed.substr(colon + 1);
  if (!model.empty() && model.front() == '/') model.remove_prefix(1);  // MLflow's "openai:/gpt-4.1-mini".
  model = TrimWhitespace(model);
  if (provider.empty()) {
    return Status::InvalidInput("model reference '" + std::string(trimmed) +
                                "' has an empty provider before ':': expected 'provider:model'");
  }
  if (model.empty()) {
    return Status::InvalidInput("model reference '" + std::string(trimmed) +
                                "' has no model after ':': expected 'provider:model'");
  }
  ref.provider = std::string(provider);
  ref.model = std::string(model);
  return ref;
}

std::string FormatModelRef(const ModelRef& ref) {
  return ref.provider.empty() ? ref.model : ref.provider + ":" + ref.model;
}

}  // namespace llmeval
