// RateLimiter: token buckets for requests per minute and tokens per minute, shared by all calls to one provider, that
// adapt to the server: a 429 halves the effective rates (at most once per `cooldown`), and each success after that
// wins back a small step until the configured rates are reached again (additive increase, multiplicative decrease).
//
// Reserve() never blocks: it takes the request's share now (the buckets may go into debt) and returns how long the
// caller must wait before sending, so callers wait through HttpTransport::Schedule rather than sleeping. Time comes
// from the injected Clock. A rate of 0 means unlimited. Thread-safe.
#ifndef LLMEVAL_ENGINE_HTTP_RATE_LIMITER_H_
#define LLMEVAL_ENGINE_HTTP_RATE_LIMITER_H_

#include <cstdint>
#include <mutex>

#include "core/clock.h"

namespace llmeval {

struct RateLimiterOptions {
  double requests_per_minute = 0;       // 0 = unlimited.
  double tokens_per_minute = 0;         // 0 = unlimited.
  double burst_seconds = 1.0;           // Request bucket capacity, in seconds of the rate (at least one request).
  double token_burst_seconds = 10.0;    // Token bucket capacity, in seconds of the rate.
  double min_factor = 1.0 / 16;         // The adaptive factor never drops below this.
  double recovery_step = 1.0 / 32;      // Added to the factor after each success.
  int64_t cooldown_ns = 1'000'000'000;  // 429s closer together than this halve the rate only once.
};

class RateLimiter {
 public:
  RateLimiter(RateLimiterOptions options, Clock* clock);

  // Takes one request and `tokens` tokens; returns the nanoseconds to wait before sending (0 = send now).
  int64_t Reserve(int64_t tokens);
  // Corrects the token bucket once the real usage is known (positive = more were used than reserved).
  void AdjustTokens(int64_t delta);
  void OnRateLimited();
  void OnSuccess();

  // The current adaptive factor in [min_factor, 1].
  double factor() const;
  bool unlimited() const { return options_.requests_per_minute <= 0 && options_.tokens_per_minute <= 0; }

 private:
  struct Bucket {
    double per_minute = 0;  // Configured rate; 0 = unlimited.
    double level = 0;       // Available units; negative = debt.
  };
  void RefillLocked(int64_t now);
  double CapacityLocked(const Bucket& bucket) const;
  int64_t WaitLocked(const Bucket& bucket) const;

  const RateLimiterOptions options_;
  Clock* const clock_;
  mutable std::mutex mu_;
  Bucket requests_;
  Bucket tokens_;
  double factor_ = 1.0;
  int64_t last_refill_ns_;
  int64_t last_halving_ns_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_RATE_LIMITER_H_
