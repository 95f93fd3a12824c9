// RowReader: the common interface of the streaming data set readers (CSV and JSONL).
//
// A reader consumes a ByteSource chunk by chunk and hands out one DataRow at a time, so memory does not grow with the
// file's length (only with the longest row). Readers do no IO of their own: the engine passes a file-backed source.
// Call ReadHeader() first, then Next() until it returns false. Expected failures (malformed input) are InvalidInput
// Statuses whose message starts with "file:line:column: " (CSV) or "file:line: " (JSONL); a read error of the source
// is returned as the source reported it. After an error every later Next() returns the same error. Not thread-safe:
// one reader per thread.
#ifndef LLMEVAL_DATASETS_ROW_READER_H_
#define LLMEVAL_DATASETS_ROW_READER_H_

#include <memory>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/status.h"
#include "datasets/data_row.h"

namespace llmeval {

class RowReader {
 public:
  virtual ~RowReader() = default;
  // Reads the header (CSV) or the first object (JSONL), which names the columns. Must be called first, once.
  virtual Status ReadHeader() = 0;
  // The column names as written (UTF-8 BOM stripped, trimmed of surrounding whitespace).
  virtual const std::vector<std::string>& raw_columns() const = 0;
  // The normalized column names (NormalizeColumnName), unique, in file order.
  virtual const std::vector<std::string>& columns() const = 0;
  // Fills *row with the next data row; returns false at the end. Reusing one DataRow across calls avoids allocating.
  virtual Result<bool> Next(DataRow* row) = 0;
  // SHA-256 (hex) of all bytes read from the source so far: the whole file once Next() has returned false.
  virtual std::string content_hash() = 0;
};

// CSV (RFC 4180 plus what spreadsheets really export); see csv_reader.cc for the exact dialect. `file_name` is used
// in messages only. `source` must outlive the reader.
std::unique_ptr<RowReader> NewCsvReader(ByteSource* source, std::string file_name);

// JSON Lines: one JSON object per line; see jsonl_reader.cc. `source` must outlive the reader.
std::unique_ptr<RowReader> NewJsonlReader(ByteSource* source, std::string file_name);

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_ROW_READER_H_
