// Small string helpers shared by every module. Pure functions, thread-safe.
#ifndef LLMEVAL_CORE_STRINGS_H_
#define LLMEVAL_CORE_STRINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmeval {

std::string_view TrimWhitespace(std::string_view text);
std::string AsciiLower(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
std::vector<std::string> SplitString(std::string_view text, char separator);
std::string JoinStrings(const std::vector<std::string>& parts, std::string_view separator);

// Parses a whole decimal integer or number; nullopt on anything else (trailing junk, empty, overflow).
std::optional<int64_t> ParseInt(std::string_view text);
std::optional<double> ParseDouble(std::string_view text);

// Text for HTML or XML (text and quoted attribute values): & < > " ' as entities, and the control characters XML 1.0
// forbids (all below 0x20 but tab, newline and carriage return) as spaces.
std::string EscapeMarkup(std::string_view text);

// `value` with exactly `digits` digits after the point, as printf's "%.*f" writes it ("0.25" for 0.25, 2).
std::string FormatFixed(double value, int digits);

// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` within a distance of max(2, |word|/3), or "" when none is close.
std::string SuggestClosest(std::string_view word, const std::vector<std::string>& candidates);

// Counts whitespace-separated words.
size_t CountWords(std::string_view text);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_STRINGS_H_
