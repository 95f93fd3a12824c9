#include "engine/http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace llmeval {

RateLimiter::RateLimiter(RateLimiterOptions options, Clock* clock) : options_(options), clock_(clock) {
  requests_.per_minute = std::max(0.0, options_.requests_per_minute);
  tokens_.per_minute = std::max(0.0, options_.tokens_per_minute);
  requests_.level = CapacityLocked(requests_);
  tokens_.level = CapacityLocked(tokens_);
  last_refill_ns_ = clock_->NowMonotonicNanos();
  last_halving_ns_ = last_refill_ns_ - options_.cooldown_ns;
}

double RateLimiter::CapacityLocked(const Bucket& bucket) const {
  double per_second = bucket.per_minute * factor_ / 60.0;
  if (&bucket == &requests_) return std::max(1.0, per_second * options_.burst_seconds);
  return per_second * options_.token_burst_seconds;
}

void RateLimiter::RefillLocked(int64_t now) {
  double elapsed_s = static_cast<double>(std::max<int64_t>(now - last_refill_ns_, 0)) / 1e9;
  last_refill_ns_ = now;
  for (Bucket* bucket : {&requests_, &tokens_}) {
    if (bucket->per_minute <= 0) continue;
    bucket->level = std::min(CapacityLocked(*bucket), bucket->level + elapsed_s * bucket->per_minute * factor_ / 60.0);
  }
}

int64_t RateLimiter::WaitLocked(const Bucket& bucket) const {
  if (bucket.per_minute <= 0 || bucket.level >= 0) return 0;
  double per_second = bucket.per_minute * factor_ / 60.0;
  return static_cast<int64_t>(std::ceil(-bucket.level / per_second * 1e9));
}

int64_t RateLimiter::Reserve(int64_t tokens) {
  if (unlimited()) return 0;
  std::lock_guard<std::mutex> lock(mu_);
  RefillLocked(clock_->NowMonotonicNanos());
  // A request may go ahead when the bucket holds at least one unit; taking it leaves the level at >= 0 exactly when
  // no wait is needed. Measure the wait after taking the share so that later callers queue behind this one.
  if (requests_.per_minute > 0) requests_.level -= 1;
  if (tokens_.per_minute > 0) tokens_.level -= static_cast<double>(std::max<int64_t>(tokens, 0));
  return std::max(WaitLocked(requests_), WaitLocked(tokens_));
}

void RateLimiter::AdjustTokens(int64_t delta) {
  if (tokens_.per_minute <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  tokens_.level -= static_cast<double>(delta);
  tokens_.level = std::min(tokens_.level, CapacityLocked(tokens_));
}

void RateLimiter::OnRateLimited() {
  if (unlimited()) return;
  std::lock_guard<std::mutex> lock(mu_);
  int64_t now = clock_->NowMonotonicNanos();
  RefillLocked(now);
  if (now - last_halving_ns_ < options_.cooldown_ns) return;
  last_halving_ns_ = now;
  factor_ = std::max(options_.min_factor, factor_ / 2);
  for (Bucket* bucket : {&requests_, &tokens_}) bucket->level = std::min(bucket->level, CapacityLocked(*bucket));
}

void RateLimiter::OnSuccess() {
  if (unlimited()) return;
  std::lock_guard<std::mutex> lock(mu_);
  RefillLocked(clock_->NowMonotonicNanos());
  factor_ = std::min(1.0, factor_ + options_.recovery_step);
}

double RateLimiter::factor() const {
  std::lock_guard<std::mutex> lock(mu_);
  return factor_;
}

}  // namespace llmeval
