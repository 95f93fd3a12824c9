// Tests of the retry policy: retryable outcomes, Retry-After parsing (vectors modelled on the reference SDK's), and
// backoff growth, cap and jitter.
#include "engine/providers/retry_policy.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kNow = 1696004797LL * kSecond;  // Fri, 29 Sep 2023 16:26:37 GMT.

TEST(RetryPolicyTest, RetryableStatuses) {
  for (int status : {408, 409, 429, 500, 502, 503, 504, 529}) EXPECT_TRUE(IsRetryableStatus(status)) << status;
  for (int status : {200, 400, 401, 403, 404, 413, 422}) EXPECT_FALSE(IsRetryableStatus(status)) << status;
}

TEST(RetryPolicyTest, RetryableFailures) {
  HttpResponse network;
  network.network_error = "Couldn't connect to server";
  EXPECT_TRUE(IsRetryableFailure(network, {}));
  HttpResponse cancelled = network;
  cancelled.cancelled = true;
  EXPECT_FALSE(IsRetryableFailure(cancelled, {}));

  HttpResponse r429;
  r429.status = 429;
  ProviderError limit{429, "Rate limit reached", "tokens", "rate_limit_exceeded", ""};
  EXPECT_TRUE(IsRetryableFailure(r429, limit));
  ProviderError quota{429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota", ""};
  EXPECT_FALSE(IsRetryableFailure(r429, quota));
  ProviderError quota_type_only{429, "quota", "insufficient_quota", "", ""};
  EXPECT_FALSE(IsRetryableFailure(r429, quota_type_only));

  HttpResponse r400;
  r400.status = 400;
  EXPECT_FALSE(IsRetryableFailure(r400, {}));
  r400.headers = {{"X-Should-Retry", "true"}};
  EXPECT_TRUE(IsRetryableFailure(r400, {}));
  HttpResponse r503;
  r503.status = 503;
  r503.headers = {{"x-should-retry", "false"}};
  EXPECT_FALSE(IsRetryableFailure(r503, {}));
}

TEST(RetryPolicyTest, ServerRetryDelay) {
  struct Case {
    HttpHeaders headers;
    std::optional<int64_t> delay_ns;
  };
  const Case cases[] = {
      {{{"retry-after", "20"}}, 20 * kSecond},
      {{{"Retry-After", "1.5"}}, 1'500'000'000},
      {{{"retry-after", "0"}}, std::nullopt},
      {{{"retry-after", "-10"}}, std::nullopt},
      {{{"retry-after", "121"}}, 121 * kSecond},  // The caller decides that this is too long.
      {{{"retry-after", "Fri, 29 Sep 2023 16:26:57 GMT"}}, 20 * kSecond},
      {{{"retry-after", "Fri, 29 Sep 2023 16:27:37 GMT"}}, 60 * kSecond},
      {{{"retry-after", "Fri, 29 Sep 2023 16:26:37 GMT"}}, std::nullopt},   // Now.
      {{{"retry-after", "Fri, 29 Sep 2023 16:26:27 GMT"}}, std::nullopt},   // The past.
      {{{"retry-after", "Friday, 29-Sep-23 16:26:57 GMT"}}, 20 * kSecond},  // RFC 850.
      {{{"retry-after", "Fri Sep 29 16:26:57 2023"}}, 20 * kSecond},        // asctime.
      {{{"retry-after", "Zun, 29 Sep 2023 16:26:27 GMT"}}, std::nullopt},
      {{{"retry-after", "Fri, 29 Sep 100000 16:26:57 GMT"}}, std::nullopt},
      {{{"retry-after", "99999999999999999999999999999999999"}}, std::nullopt},
      {{{"retry-after", "inf"}}, std::nullopt},
      {{{"retry-after", "nan"}}, std::nullopt},
      {{{"retry-after", ""}}, std::nullopt},
      {{}, std::nullopt},
      {{{"retry-after-ms", "120000"}}, 120 * kSecond},
      {{{"retry-after-ms", "250"}, {"retry-after", "30"}}, 250'000'000},  // Milliseconds win.
      {{{"retry-after-ms", "junk"}, {"retry-after", "3"}}, 3 * kSecond},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.headers.empty() ? "(none)" : c.headers.back().second);
    EXPECT_EQ(ServerRetryDelayNs(c.headers, kNow), c.delay_ns);
  }
}

TEST(RetryPolicyTest, ParseHttpDate) {
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT"), std::nullopt);
  EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT"), std::nullopt);
  EXPECT_EQ(ParseHttpDate("tomorrow"), std::nullopt);
}

TEST(RetryPolicyTest, RetryDelayFromMessage) {
  EXPECT_EQ(RetryDelayFromMessageNs("Limit 30000, Used 18928. Please try again in 174ms. Visit ..."), 174'000'000);
  EXPECT_EQ(RetryDelayFromMessageNs("Please try again in 3.89s. Visit"), 3'890'000'000);
  EXPECT_EQ(RetryDelayFromMessageNs("Please try again in 6ms."), 6'000'000);
  EXPECT_EQ(RetryDelayFromMessageNs("Please retry after 86400 seconds."), 86400 * kSecond);
  EXPECT_EQ(RetryDelayFromMessageNs("Please Retry After 2 minutes"), 120 * kSecond);
  EXPECT_EQ(RetryDelayFromMessageNs("The server had an error"), std::nullopt);
  EXPECT_EQ(RetryDelayFromMessageNs("try again in a moment"), std::nullopt);
  EXPECT_EQ(RetryDelayFromMessageNs("try again in 5 parsecs"), std::nullopt);
}

TEST(RetryPolicyTest, BackoffGrowsAndIsCapped) {
  RetryOptions options;  // 0.5 s doubling, capped at 8 s, 25 % jitter.
  EXPECT_EQ(BackoffDelayNs(1, 0.0, options), 500'000'000);
  EXPECT_EQ(BackoffDelayNs(2, 0.0, options), 1'000'000'000);
  EXPECT_EQ(BackoffDelayNs(3, 0.0, options), 2'000'000'000);
  EXPECT_EQ(BackoffDelayNs(5, 0.0, options), 8'000'000'000);
  EXPECT_EQ(BackoffDelayNs(6, 0.0, options), 8'000'000'000);
  EXPECT_EQ(BackoffDelayNs(1000, 0.0, options), 8'000'000'000);
  EXPECT_EQ(BackoffDelayNs(1, 0.5, options), 437'500'000);  // 0.5 s * (1 - 0.25 * 0.5).
  for (int retry = 1; retry < 10; ++retry) {
    for (double u : {0.0, 0.3, 0.999}) {
      int64_t d = BackoffDelayNs(retry, u, options);
      EXPECT_LE(d, options.max_delay_ns);
      EXPECT_GT(d, static_cast<int64_t>(0.74 * BackoffDelayNs(retry, 0.0, options)));
    }
  }
}

}  // namespace
}  // namespace llmeval
