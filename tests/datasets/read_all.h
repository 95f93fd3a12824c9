// Test helper: reads a whole data set from a string with a given chunk size and collects what the reader returned.
#ifndef LLMEVAL_TESTS_DATASETS_READ_ALL_H_
#define LLMEVAL_TESTS_DATASETS_READ_ALL_H_

#include <memory>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "datasets/row_reader.h"

namespace llmeval::testing {

enum class Format { kCsv, kJsonl };

struct ReadOutcome {
  std::vector<std::string> raw_columns;
  std::vector<std::string> columns;
  std::vector<DataRow> rows;  // Every row returned before the end or the error.
  std::string error;          // The error message, "" when the read succeeded.
  std::string hash;           // content_hash() at the end.
};

inline ReadOutcome ReadAll(Format format, const std::string& input, size_t chunk, const std::string& name) {
  ReadOutcome out;
  StringByteSource source(input, chunk);
  std::unique_ptr<RowReader> reader =
      format == Format::kCsv ? NewCsvReader(&source, name) : NewJsonlReader(&source, name);
  Status status = reader->ReadHeader();
  if (!status.ok()) {
    out.error = status.message();
    return out;
  }
  out.raw_columns = reader->raw_columns();
  out.columns = reader->columns();
  DataRow row;  // Reused on purpose, as the engine does.
  for (;;) {
    Result<bool> next = reader->Next(&row);
    if (!next.ok()) {
      out.error = next.status().message();
      break;
    }
    if (!*next) break;
    out.rows.push_back(row);
  }
  out.hash = reader->content_hash();
  return out;
}

// The chunk sizes every table case runs with: tiny ones cross every boundary, 64 KiB is the engine's.
inline const std::vector<size_t>& ChunkSizes() {
  static const std::vector<size_t> sizes = {1, 2, 3, 7, 1 << 16};
  return sizes;
}

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_DATASETS_READ_ALL_H_
