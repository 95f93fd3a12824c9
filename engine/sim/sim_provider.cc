#include "engine/sim/sim_provider.h"

#include "engine/sim/sim_model.h"

namespace llmeval {

void SimProvider::Chat(ChatRequest request, ChatCallback done) {
  ChatResult result;
  int64_t start_mono = clock_->NowMonotonicNanos();
  CallAttempt attempt;
  attempt.start_unix_nanos = clock_->NowUnixNanos();
  if (request.gauge != nullptr) request.gauge->Enter();
  result.response = SimulateChat(request, seed_);
  if (request.gauge != nullptr) request.gauge->Leave();
  int64_t elapsed = clock_->NowMonotonicNanos() - start_mono;
  result.response.http_status = 200;
  result.response.time_to_first_byte_ns = elapsed;
  result.response.total_time_ns = elapsed;
  attempt.duration_nanos = elapsed;
  attempt.http_status = 200;
  result.attempts.push_back(attempt);
  done(std::move(result));
}

}  // namespace llmeval
