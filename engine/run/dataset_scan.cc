#include "engine/run/dataset_scan.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "core/strings.h"
#include "datasets/column_names.h"
#include "datasets/row_ids.h"
#include "datasets/selection.h"
#include "engine/run/conversation_setup.h"

namespace llmeval {
namespace {

// The reader for a dataset file, chosen by its extension. A path without one (`/dev/stdin`, `<(cmd)`) is read as
// CSV; any other extension is refused, since reading JSON or a spreadsheet as CSV only produces confusing errors.
Result<std::unique_ptr<RowReader>> OpenReader(ByteSource* source, const std::string& path) {
  std::string extension = AsciiLower(std::filesystem::path(path).extension().string());
  if (extension == ".jsonl" || extension == ".ndjson") return NewJsonlReader(source, path);
  if (extension == ".csv" || extension.empty()) return NewCsvReader(source, path);
  return Status::InvalidInput(path + ": unsupported dataset type " + extension +
                              "; expected .csv or .jsonl (one JSON object per line)");
}

// The index of the `dataset.id_column` among the dataset's columns; -1 when there is none.
Result<int> FindIdColumn(const ProjectConfig& config, const std::string& dataset_path,
                         const std::vector<std::string>& columns) {
  if (config.id_column.empty()) return -1;
  std::string wanted = NormalizeColumnName(config.id_column);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == wanted) return static_cast<int>(i);
  }
  return Status::InvalidInput(config.path + ": dataset.id_column '" + config.id_column + "' is not a column of " +
                              dataset_path + "; columns: " + JoinStrings(columns, ", "));
}

}  // namespace

Status OpenDataset(const std::string& path, std::unique_ptr<FileByteSource>* source,
                   std::unique_ptr<RowReader>* reader) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput(path + " is a directory; expected a CSV or JSONL file");
  }
  Result<std::unique_ptr<FileByteSource>> opened = FileByteSource::Open(path);
  if (!opened.ok()) return opened.status().WithContext("dataset");
  Result<std::unique_ptr<RowReader>> made = OpenReader(opened->get(), path);
  if (!made.ok()) return made.status();
  *source = std::move(opened.value());
  *reader = std::move(made.value());
  return (*reader)->ReadHeader();
}

Result<DatasetScan> ScanDataset(const std::string& path, const RunOptions& options, const ProjectConfig& config) {
  std::unique_ptr<FileByteSource> source;
  std::unique_ptr<RowReader> reader;
  Status s = OpenDataset(path, &source, &reader);
  if (!s.ok()) return s;
  DatasetScan scan;
  scan.columns = reader->columns();
  scan.raw_columns = reader->raw_columns();
  Result<int> id_column = FindIdColumn(config, path, scan.columns);
  if (!id_column.ok()) return id_column.status();
  scan.id_column = *id_column;
  Result<int> messages_column = FindMessagesColumn(config, path, scan.columns);
  if (!messages_column.ok()) return messages_column.status();
  scan.messages_column = *messages_column;
  std::optional<UniqueRowIds> ids;
  if (scan.id_column >= 0) ids.emplace(path, scan.columns[scan.id_column], static_cast<size_t>(scan.id_column));
  std::vector<RowFilter> filters;
  for (const std::string& f : options.filters) {
    Result<RowFilter> filter = ParseRowFilter(f);
    if (!filter.ok()) return filter.status();
    filters.push_back(*filter);
  }
  Result<RowSelector> selector = RowSelector::Create(filters, scan.columns);
  if (!selector.ok()) return selector.status();
  ReservoirSampler sampler(static_cast<size_t>(std::max<int64_t>(options.sample, 0)), options.sample_seed);
  DataRow row;
  while (true) {
    Result<bool> more = reader->Next(&row);
    if (!more.ok()) return more.status();
    if (!*more) break;
    ++scan.rows;
    for (const std::string& w : row.warnings) {
      if (scan.warnings.size() < 20) scan.warnings.push_back(w);
    }
    if (ids.has_value()) {
      if (Status unique = ids->Add(row); !unique.ok()) return unique;
    }
    if (scan.messages_column >= 0) {
      if (Status c = CheckConversationRow(config.conversation, scan.messages_column, path, row); !c.ok()) return c;
    }
    if (!selector->Matches(row)) continue;
    if (options.sample > 0) {
      sampler.Offer(row);
    } else if (options.limit == 0 || scan.selected < options.limit) {
      ++scan.selected;
    }
  }
  if (options.sample > 0) {
    for (const DataRow& r : sampler.Take()) {
      if (options.limit == 0 || static_cast<int64_t>(scan.sampled.size()) < options.limit) scan.sampled.insert(r.index);
    }
    scan.selected = static_cast<int64_t>(scan.sampled.size());
  }
  scan.sha256 = reader->content_hash();
  return scan;
}

}  // namespace llmeval
