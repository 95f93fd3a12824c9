// UniqueRowIds: checks that a data set's id column (`dataset.id_column`) names every row once. Runs are compared and
// resumed by item key, and with an id column the key is that column's value: a repeated id would silently pair
// (or skip) the wrong rows, so the engine checks every row while it scans the data set, before anything is recorded.
//
// Memory: 16 bytes of hash and a line number per distinct id, not the ids themselves. Two different ids share a
// 128-bit hash with a chance far below that of a disk error. Pure: no IO. Not thread-safe.
#ifndef LLMEVAL_DATASETS_ROW_IDS_H_
#define LLMEVAL_DATASETS_ROW_IDS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "datasets/data_row.h"

namespace llmeval {

class UniqueRowIds {
 public:
  // `column` is the 0-based index of the id column in DataRow::values; `column_name` and `file_name` are for messages.
  UniqueRowIds(std::string file_name, std::string column_name, size_t column);

  // InvalidInput "questions.csv:5: empty id in column 'id'" or "questions.csv:3: id 'Definition' (column category)
  // repeats line 2" when the row's id is blank or was seen before; OK otherwise.
  Status Add(const DataRow& row);

 private:
  struct Key {
    uint64_t high;
    uint64_t low;
    bool operator==(const Key& other) const { return high == other.high && low == other.low; }
  };
  struct KeyHash {
    size_t operator()(const Key& key) const { return static_cast<size_t>(key.low); }
  };

  std::string file_name_;
  std::string column_name_;
  size_t column_;
  std::unordered_map<Key, int64_t, KeyHash> first_line_;  // Id hash -> the line where the id first appeared.
};

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_ROW_IDS_H_
