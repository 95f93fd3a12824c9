#include "datasets/data_row.h"

#include "core/hash.h"

namespace llmeval {

std::string RowContentId(const DataRow& row) {
  Sha256 hash;
  for (size_t i = 0; i < row.values.size(); ++i) {
    if (i > 0) hash.Update("\x1f");
    hash.Update(row.values[i]);
  }
  return hash.HexDigest().substr(0, 16);
}

std::string RowContentId(const DataRow& row, int id_column) {
  if (id_column >= 0 && static_cast<size_t>(id_column) < row.values.size()) return row.values[id_column];
  return RowContentId(row);
}

}  // namespace llmeval
