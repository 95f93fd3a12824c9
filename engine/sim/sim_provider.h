// SimProvider: the simulated model in-process (`--model sim`). It answers through the same ChatProvider interface as
// a real endpoint, synchronously on the calling thread, with the deterministic SimulateChat of engine/sim/sim_model.h.
// No network, no API key.
#ifndef LLMEVAL_ENGINE_SIM_SIM_PROVIDER_H_
#define LLMEVAL_ENGINE_SIM_SIM_PROVIDER_H_

#include <cstdint>

#include "core/clock.h"
#include "engine/providers/chat_provider.h"

namespace llmeval {

class SimProvider : public ChatProvider {
 public:
  explicit SimProvider(uint64_t seed = 0, Clock* clock = Clock::Real()) : seed_(seed), clock_(clock) {}
  void Chat(ChatRequest request, ChatCallback done) override;

 private:
  uint64_t seed_;
  Clock* clock_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_SIM_SIM_PROVIDER_H_
