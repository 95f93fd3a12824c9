// ChatProvider: the interface the engine uses for every model call (the system under test, LLM judges, the simulated
// model). Implementations: OpenAIProvider (engine/providers/openai_provider.h) for any OpenAI-compatible HTTP endpoint.
//
// Contract: Chat is thread-safe and never blocks on the network; `done` runs exactly once, on some engine thread, with
// the response or a failure Status, plus every HTTP attempt made. Never throws.
#ifndef LLMEVAL_ENGINE_PROVIDERS_CHAT_PROVIDER_H_
#define LLMEVAL_ENGINE_PROVIDERS_CHAT_PROVIDER_H_

#include <functional>

#include "core/chat.h"

namespace llmeval {

using ChatCallback = std::function<void(ChatResult)>;  // ChatResult is in core/chat.h

class ChatProvider {
 public:
  virtual ~ChatProvider() = default;
  // `done` runs exactly once (on some engine thread) with the response or a failure Status (never throws).
  // Thread-safe.
  virtual void Chat(ChatRequest request, ChatCallback done) = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_CHAT_PROVIDER_H_
