// Column name normalization: the names users write in configs and filters ("category", "expected_response") are the
// normalized form of the headers people write in spreadsheets ("Category", "Expected Response"). Pure, thread-safe.
#ifndef LLMEVAL_DATASETS_COLUMN_NAMES_H_
#define LLMEVAL_DATASETS_COLUMN_NAMES_H_

#include <string>
#include <string_view>

namespace llmeval {

// Lowercases ASCII letters, folds every run of ASCII spaces, punctuation, control bytes and no-break spaces (U+00A0)
// into one '_', and trims leading and trailing '_'. Other non-ASCII bytes (letters such as "é") are kept as is.
//   "Category" -> "category", "WEIGHT (DIFFICULTY)" -> "weight_difficulty", "  __x__ " -> "x", "???" -> "".
std::string NormalizeColumnName(std::string_view header);

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_COLUMN_NAMES_H_
