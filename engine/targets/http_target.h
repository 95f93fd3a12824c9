// HttpTarget: a Target for an application served over HTTP (`kind: http` in `targets:`). Each call renders the body
// template with the item's variables, sends it with the configured headers (${ENV} references resolved at call time,
// never stored or printed) and a `traceparent` header, reads the reply to its end (JSON, SSE or NDJSON) and maps it
// by the configured JSON pointers (engine/targets/target_reply.h).
//
// Retries follow the model providers' rules (engine/providers/retry_policy.h): network errors, timeouts, 408, 409, 429
// and 5xx, honouring retry-after-ms / Retry-After, else capped exponential backoff with jitter; at most max_attempts,
// each recorded as a CallAttempt. At most max_concurrency calls are in flight; more wait in a FIFO queue; a token
// bucket paces requests_per_minute. Waits go through HttpTransport::Schedule: nothing sleeps.
//
// Thread-safety: Invoke may be called from any thread; `done` runs on the transport's IO thread. The transport must
// outlive every call.
#ifndef LLMEVAL_ENGINE_TARGETS_HTTP_TARGET_H_
#define LLMEVAL_ENGINE_TARGETS_HTTP_TARGET_H_

#include <memory>

#include "core/clock.h"
#include "engine/config/target_settings.h"
#include "engine/http/http_transport.h"
#include "engine/targets/target.h"

namespace llmeval {

class HttpTarget : public Target {
 public:
  HttpTarget(TargetSettings settings, HttpTransport* transport, Clock* clock = Clock::Real());
  ~HttpTarget() override;
  void Invoke(TargetRequest request, TargetCallback done) override;

  struct State;
  struct Call;

 private:
  std::shared_ptr<State> state_;
};

// `text` with each ${NAME} replaced by the environment variable NAME ("" when unset).
std::string ExpandEnvReferences(const std::string& text);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TARGETS_HTTP_TARGET_H_
