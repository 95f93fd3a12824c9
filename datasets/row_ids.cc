#include "datasets/row_ids.h"

#include <functional>
#include <string_view>

#include "core/hash.h"
#include "core/strings.h"
#include "core/utf8.h"

namespace llmeval {
namespace {

constexpr size_t kMaxQuotedBytes = 80;

std::string QuoteId(std::string_view id) {
  if (id.size() <= kMaxQuotedBytes) return "'" + SanitizeUtf8(id) + "'";
  return "'" + SanitizeUtf8(id.substr(0, kMaxQuotedBytes)) + "...'";
}

}  // namespace

UniqueRowIds::UniqueRowIds(std::string file_name, std::string column_name, size_t column)
    : file_name_(std::move(file_name)), column_name_(std::move(column_name)), column_(column) {}

Status UniqueRowIds::Add(const DataRow& row) {
  std::string where = file_name_ + ":" + std::to_string(row.line) + ": ";
  std::string_view id = column_ < row.values.size() ? std::string_view(row.values[column_]) : std::string_view();
  if (TrimWhitespace(id).empty()) {
    return Status::InvalidInput(where + "empty id in column " + column_name_ +
                                " (dataset.id_column); every row needs its own id");
  }
  // Two unrelated 64-bit hashes (FNV-1a and the standard library's) make the 128-bit key.
  Key key{Fnv1a64(id), static_cast<uint64_t>(std::hash<std::string_view>()(id))};
  auto [it, inserted] = first_line_.emplace(key, row.line);
  if (inserted) return Status::OK();
  return Status::InvalidInput(where + "id " + QuoteId(id) + " (column " + column_name_ + ") repeats line " +
                              std::to_string(it->second) + "; dataset.id_column must name every row once");
}

}  // namespace llmeval
