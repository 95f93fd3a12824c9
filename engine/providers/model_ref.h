// Model references as users write them in configs and flags: "gpt-4.1-mini" (the default provider),
// "openai:gpt-4.1-mini", or MLflow's "openai:/gpt-4.1-mini". The provider is everything before the first ':', so a
// model name may itself contain colons ("ollama:llama3:8b"); a bare "llama3:8b" would read as provider "llama3", so
// name the provider explicitly for such models. Pure functions, thread-safe.
#ifndef LLMEVAL_ENGINE_PROVIDERS_MODEL_REF_H_
#define LLMEVAL_ENGINE_PROVIDERS_MODEL_REF_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

struct ModelRef {
  std::string provider;  // "" = the default provider.
  std::string model;
};

// InvalidInput (naming the text and what was expected) when the reference, its provider or its model is empty.
Result<ModelRef> ParseModelRef(std::string_view text);

// "provider:model", or just "model" for the default provider.
std::string FormatModelRef(const ModelRef& ref);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_MODEL_REF_H_
