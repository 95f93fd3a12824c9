#include "engine/providers/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/strings.h"

namespace llmeval {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

int MonthNumber(std::string_view token) {
  static const char* const kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower = AsciiLower(token);
  for (int i = 0; i < 12; ++i) {
    if (lower == kMonths[i]) return i + 1;
  }
  return 0;
}

bool IsWeekday(std::string_view token) {
  static const char* const kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const char* const kLongDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  std::string lower = AsciiLower(token);
  for (int i = 0; i < 7; ++i) {
    if (lower == kDays[i] || lower == kLongDays[i]) return true;
  }
  return false;
}

}  // namespace

bool IsRetryableStatus(int status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

bool IsInsufficientQuota(const ProviderError& error) {
  return error.code == "insufficient_quota" || error.type == "insufficient_quota";
}

bool IsRetryableFailure(const HttpResponse& response, const ProviderError& error) {
  if (response.cancelled) return false;
  if (!response.network_error.empty()) return true;
  if (std::optional<std::string> hint = FindHeader(response.headers, "x-should-retry")) {
    std::string value = AsciiLower(TrimWhitespace(*hint));
    if (value == "true") return true;
    if (value == "false") return false;
  }
  if (IsInsufficientQuota(error)) return false;
  return IsRetryableStatus(response.status);
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  std::string cleaned(text);
  for (char& c : cleaned) {
    if (c == ',' || c == '-' || c == ':') c = ' ';
  }
  std::vector<std::string> tokens;
  for (const std::string& token : SplitString(cleaned, ' ')) {
    if (!token.empty()) tokens.push_back(token);
  }
  if (tokens.size() < 7 || !IsWeekday(tokens[0])) return std::nullopt;
  std::optional<int64_t> day, year, hour, minute, second;
  int month;
  if ((month = MonthNumber(tokens[1])) != 0) {  // asctime: Fri Sep 29 16:26:57 2023
    day = ParseInt(tokens[2]);
    hour = ParseInt(tokens[3]);
    minute = ParseInt(tokens[4]);
    second = ParseInt(tokens[5]);
    year = ParseInt(tokens[6]);
  } else if (tokens.size() >= 8 && (month = MonthNumber(tokens[2])) != 0 && AsciiLower(tokens[7]) == "gmt") {
    day = ParseInt(tokens[1]);
    year = ParseInt(tokens[3]);
    hour = ParseInt(tokens[4]);
    minute = ParseInt(tokens[5]);
    second = ParseInt(tokens[6]);
    if (year && tokens[3].size() == 2) *year += *year < 70 ? 2000 : 1900;  // RFC 850 two-digit year.
  } else {
    return std::nullopt;
  }
  if (!day || !year || !hour || !minute || !second) return std::nullopt;
  if (*day < 1 || *day > 31 || *year < 1970 || *year > 9999 || *hour > 23 || *minute > 59 || *second > 60 ||
      *hour < 0 || *minute < 0 || *second < 0) {
    return std::nullopt;
  }
  return DaysFromCivil(*year, static_cast<unsigned>(month), static_cast<unsigned>(*day)) * 86400 + *hour * 3600 +
         *minute * 60 + *second;
}

std::optional<int64_t> ServerRetryDelayNs(const HttpHeaders& headers, int64_t now_unix_nanos) {
  constexpr double kMaxSeconds = 1e9;  // Anything larger is nonsense; also keeps the conversion in range.
  if (std::optional<std::string> ms = FindHeader(headers, "retry-after-ms")) {
    std::optional<double> value = ParseDouble(TrimWhitespace(*ms));
    if (value && std::isfinite(*value) && *value > 0 && *value / 1000 < kMaxSeconds) {
      return static_cast<int64_t>(*value * 1e6);
    }
  }
  std::optional<std::string> after = FindHeader(headers, "retry-after");
  if (!after) return std::nullopt;
  std::string_view text = TrimWhitespace(*after);
  if (std::optional<double> seconds = ParseDouble(text)) {
    if (!std::isfinite(*seconds) || *seconds <= 0 || *seconds >= kMaxSeconds) return std::nullopt;
    return static_cast<int64_t>(*seconds * 1e9);
  }
  if (std::optional<int64_t> date = ParseHttpDate(text)) {
    int64_t delay = *date * 1'000'000'000 - now_unix_nanos;
    if (delay <= 0) return std::nullopt;
    return delay;
  }
  return std::nullopt;
}

std::optional<int64_t> RetryDelayFromMessageNs(std::string_view message) {
  std::string lower = AsciiLower(message);
  for (std::string_view phrase : {"try again in ", "retry after "}) {
    size_t at = lower.find(phrase);
    if (at == std::string::npos) continue;
    std::string_view rest = std::string_view(lower).substr(at + phrase.size());
    size_t digits = 0;
    while (digits < rest.size() && ((rest[digits] >= '0' && rest[digits] <= '9') || rest[digits] == '.')) ++digits;
    std::optional<double> value = ParseDouble(rest.substr(0, digits));
    if (!value || !std::isfinite(*value) || *value <= 0 || *value > 1e9) continue;
    std::string_view unit = TrimWhitespace(rest.substr(digits));
    if (StartsWith(unit, "ms") || StartsWith(unit, "millisecond")) return static_cast<int64_t>(*value * 1e6);
    if (StartsWith(unit, "s") || StartsWith(unit, "sec")) return static_cast<int64_t>(*value * 1e9);
    if (StartsWith(unit, "minute")) return static_cast<int64_t>(*value * 60e9);
  }
  return std::nullopt;
}

int64_t BackoffDelayNs(int retry, double random_unit, const RetryOptions& options) {
  double delay = static_cast<double>(options.base_delay_ns) * std::pow(2.0, std::clamp(retry - 1, 0, 60));
  delay = std::min(delay, static_cast<double>(options.max_delay_ns));
  double jitter = std::clamp(options.jitter, 0.0, 1.0) * std::clamp(random_unit, 0.0, 1.0);
  return static_cast<int64_t>(delay * (1.0 - jitter));
}

}  // namespace llmeval
