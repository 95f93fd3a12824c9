// UTF-8 validation and repair. Text from datasets, models and tools may hold invalid UTF-8; llmeval repairs it before
// it reaches a JSON document or the store, replacing each invalid sequence with U+FFFD. Pure functions, thread-safe.
#ifndef LLMEVAL_CORE_UTF8_H_
#define LLMEVAL_CORE_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace llmeval {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The length (1-4) of the well-formed UTF-8 sequence that starts at text[i], or 0 when none does. i < text.size().
size_t Utf8SequenceLength(std::string_view text, size_t i);

// Returns `text` with every maximal invalid subsequence replaced by U+FFFD. Sets *replaced (if given) to the number of
// replacements made.
std::string SanitizeUtf8(std::string_view text, size_t* replaced = nullptr);

// Appends the UTF-8 encoding of `code_point` to `out`. Invalid code points append U+FFFD.
void AppendUtf8(unsigned code_point, std::string* out);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_UTF8_H_
