// Tests of the adaptive token-bucket rate limiter, with a FakeClock.
#include "engine/http/rate_limiter.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(RateLimiterTest, UnlimitedNeverWaits) {
  FakeClock clock;
  RateLimiter limiter({}, &clock);
  EXPECT_TRUE(limiter.unlimited());
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(limiter.Reserve(100000), 0);
  limiter.OnRateLimited();
  EXPECT_EQ(limiter.factor(), 1.0);
}

TEST(RateLimiterTest, RequestsPerMinutePaceCalls) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_minute = 60}, &clock);  // One a second, burst of one.
  EXPECT_EQ(limiter.Reserve(0), 0);
  EXPECT_EQ(limiter.Reserve(0), kSecond);      // Queued behind the first.
  EXPECT_EQ(limiter.Reserve(0), 2 * kSecond);  // And behind that one.
  clock.Advance(3 * kSecond);
  EXPECT_EQ(limiter.Reserve(0), 0);
}

TEST(RateLimiterTest, TokensPerMinute) {
  FakeClock clock;
  RateLimiter limiter({.tokens_per_minute = 6000, .token_burst_seconds = 10}, &clock);  // 100/s, bucket of 1000.
  EXPECT_EQ(limiter.Reserve(1000), 0);
  EXPECT_EQ(limiter.Reserve(200), 2 * kSecond);
  clock.Advance(2 * kSecond);
  limiter.AdjustTokens(-200);  // The call used less than reserved: the bucket gets it back.
  EXPECT_EQ(limiter.Reserve(200), 0);
}

TEST(RateLimiterTest, HalvesAfter429AndRecoversGradually) {
  FakeClock clock;
  RateLimiter limiter({.requests_per_minute = 600, .recovery_step = 0.25}, &clock);  // 10/s.
  limiter.OnRateLimited();
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.5);
  limiter.OnRateLimited();  // Within the cooldown: a burst of 429s counts once.
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.5);
  clock.Advance(2 * kSecond);
  limiter.OnRateLimited();
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.25);
  // At a quarter of the rate (2.5/s), back-to-back calls are 0.4 s apart.
  while (limiter.Reserve(0) == 0) {
  }
  int64_t first = limiter.Reserve(0);
  int64_t second = limiter.Reserve(0);
  EXPECT_EQ(second - first, 400'000'000);
  limiter.OnSuccess();
  EXPECT_DOUBLE_EQ(limiter.factor(), 0.5);
  limiter.OnSuccess();
  limiter.OnSuccess();
  limiter.OnSuccess();
  EXPECT_DOUBLE_EQ(limiter.factor(), 1.0);  // Never above the configured rate.
  for (int i = 0; i < 20; ++i) {
    clock.Advance(2 * kSecond);
    limiter.OnRateLimited();
  }
  EXPECT_DOUBLE_EQ(limiter.factor(), 1.0 / 16);  // The floor.
}

}  // namespace
}  // namespace llmeval
