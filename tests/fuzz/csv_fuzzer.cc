// libFuzzer target for the data set readers: parses the input as CSV and as JSONL with a chunk size taken from the
// first byte. Must never crash; aborts when a reader returns a column name or value that is not valid UTF-8, or
// breaks its own contract (row indexes not consecutive, a row of the wrong width).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/byte_source.h"
#include "core/utf8.h"
#include "datasets/row_reader.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void ReadEverything(std::unique_ptr<llmeval::RowReader> reader) {
  if (!reader->ReadHeader().ok()) return;
  Check(reader->columns().size() == reader->raw_columns().size());
  for (const std::string& name : reader->raw_columns()) Check(llmeval::IsValidUtf8(name));
  for (const std::string& name : reader->columns()) Check(llmeval::IsValidUtf8(name) && !name.empty());
  llmeval::DataRow row;
  for (int64_t expected_index = 0;; ++expected_index) {
    llmeval::Result<bool> next = reader->Next(&row);
    if (!next.ok() || !*next) break;
    Check(row.index == expected_index);
    Check(row.line >= 1);
    Check(row.values.size() == reader->columns().size());
    for (const std::string& value : row.values) Check(llmeval::IsValidUtf8(value));
  }
  Check(reader->content_hash().size() == 64);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // Chunk sizes 1..64 and a few large ones, so that chunk boundaries fall everywhere.
  size_t chunk = data[0] < 224 ? (data[0] % 64) + 1 : size_t{1} << (7 + (data[0] - 224) % 10);  // 128 B .. 64 KiB.
  std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  llmeval::StringByteSource csv_source(input, chunk);
  ReadEverything(llmeval::NewCsvReader(&csv_source, "fuzz.csv"));
  llmeval::StringByteSource jsonl_source(input, chunk);
  ReadEverything(llmeval::NewJsonlReader(&jsonl_source, "fuzz.jsonl"));
  return 0;
}
