// Text helpers for the terminal waterfall (tracing/waterfall.h): column counting and fitting of UTF-8 text, and the
// short number formats of its columns. Internal to the tracing module. Pure functions, thread-safe.
#ifndef LLMEVAL_TRACING_WATERFALL_TEXT_H_
#define LLMEVAL_TRACING_WATERFALL_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace llmeval::waterfall_text {

// Columns `text` takes on a terminal, counting one per code point (the characters used here are all single width).
size_t Columns(std::string_view text);

// Text fit for one terminal row: invalid UTF-8 repaired, tabs and line breaks turned into spaces, other control
// characters (including ESC) turned into '?'.
std::string Clean(std::string_view text);

// Appends `text` cut to at most `columns` columns (ending in "…" when cut) and, when `pad`, spaces up to `columns`.
void AppendFitted(std::string_view text, size_t columns, bool pad, std::string* out);

// Appends `text` right-aligned in `columns` columns (text wider than that is appended whole).
void AppendRight(std::string_view text, size_t columns, std::string* out);

// "0.4ms", "12ms", "890ms", "2.60s", "95.3s", "12m05s".
std::string FormatDuration(int64_t nanos);
// "950", "12.3k", "4.1M".
std::string FormatCount(int64_t count);
// "$0.0031", "$1.25".
std::string FormatCost(double usd);
// A score without trailing zeros: "1", "0.75", "0.3333".
std::string FormatScore(double value);

}  // namespace llmeval::waterfall_text

#endif  // LLMEVAL_TRACING_WATERFALL_TEXT_H_
