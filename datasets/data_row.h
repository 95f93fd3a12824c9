// DataRow: one row of an evaluation data set as the readers hand it out, and RowContentId, the stable id the engine
// uses to pair rows across runs and to resume. Plain value type; RowContentId is a pure function, thread-safe.
#ifndef LLMEVAL_DATASETS_DATA_ROW_H_
#define LLMEVAL_DATASETS_DATA_ROW_H_

#include <cstdint>
#include <string>
#include <vector>

namespace llmeval {

struct DataRow {
  int64_t index = 0;                  // 0-based data row number (header excluded, blank lines skipped).
  int64_t line = 0;                   // 1-based physical line where the row starts.
  std::vector<std::string> values;    // One per column, valid UTF-8 (invalid bytes replaced by U+FFFD).
  std::vector<std::string> warnings;  // "questions.csv:7: invalid UTF-8 replaced with U+FFFD in column 'question'".
};

// A stable id for a row: the first 16 hex characters of the SHA-256 of the values joined with '\x1f'. It depends on
// the values only (not on the row's position), so reordering a file keeps the ids.
std::string RowContentId(const DataRow& row);

// With an id column (0-based index into row.values), the id is that column's value as written. Out of range: falls
// back to RowContentId(row). The engine is expected to reject empty or repeated ids.
std::string RowContentId(const DataRow& row, int id_column);

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_DATA_ROW_H_
