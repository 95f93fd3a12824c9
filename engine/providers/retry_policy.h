// Retry policy for model calls: which failures may succeed on retry, how long the server asked us to wait
// (retry-after-ms, Retry-After as seconds or HTTP-date), and capped exponential backoff with jitter.
//
// Policy (close to the reference OpenAI SDK): network errors and timeouts, 408, 409, 429 and 5xx are retried; 400, 401,
// 403, 404 and other 4xx are not; a 429 whose error code or type is "insufficient_quota" is a billing failure and is
// not retried; an "x-should-retry: true|false" header overrides the status. A server delay in (0, max_server_delay] is
// honoured exactly; a longer one means "do not retry"; otherwise backoff base*2^(n-1) capped, minus up to `jitter`.
// Pure functions, thread-safe.
#ifndef LLMEVAL_ENGINE_PROVIDERS_RETRY_POLICY_H_
#define LLMEVAL_ENGINE_PROVIDERS_RETRY_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/http/http_transport.h"
#include "engine/providers/openai_client_codec.h"

namespace llmeval {

struct RetryOptions {
  int max_attempts = 5;                           // Including the first attempt.
  int64_t base_delay_ns = 500'000'000;            // The first retry waits about this long.
  int64_t max_delay_ns = 8'000'000'000;           // Backoff never exceeds this.
  double jitter = 0.25;                           // Backoff is scaled by a factor in (1 - jitter, 1].
  int64_t max_server_delay_ns = 120'000'000'000;  // A longer Retry-After means the server wants us to stop.
};

// 408, 409, 429 and every 5xx.
bool IsRetryableStatus(int status);

// True for OpenAI's billing failure (code or type "insufficient_quota"), which retrying never fixes.
bool IsInsufficientQuota(const ProviderError& error);

// Whether this attempt's outcome may succeed on retry. `error` is the decoded error body (ignored for network errors).
// Cancelled requests are never retried.
bool IsRetryableFailure(const HttpResponse& response, const ProviderError& error);

// Parses an HTTP-date (IMF-fixdate "Fri, 29 Sep 2023 16:26:57 GMT", RFC 850 or asctime) to unix seconds.
std::optional<int64_t> ParseHttpDate(std::string_view text);

// The delay the server asked for: retry-after-ms (milliseconds) first, else Retry-After (seconds, fractions allowed,
// or an HTTP-date relative to `now_unix_nanos`). nullopt when absent, unparsable, not finite or not positive.
std::optional<int64_t> ServerRetryDelayNs(const HttpHeaders& headers, int64_t now_unix_nanos);

// The wait suggested in an error message when the server sent no header: "Please try again in 3.89s", "... in 174ms",
// Azure's "Please retry after 7 seconds". nullopt when the message suggests none.
std::optional<int64_t> RetryDelayFromMessageNs(std::string_view message);

// Backoff before retry number `retry` (1 = the first retry): min(max, base * 2^(retry-1)) * (1 - jitter * u) for
// `random_unit` u in [0, 1).
int64_t BackoffDelayNs(int retry, double random_unit, const RetryOptions& options);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_RETRY_POLICY_H_
