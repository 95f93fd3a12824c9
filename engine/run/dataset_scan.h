// The first pass over a run's dataset: OpenDataset opens a CSV or JSONL file (chosen by its extension) and reads its
// header; ScanDataset reads every row once before any model call, so bad rows, duplicate ids, a missing id column or
// a bad --filter are InvalidInput errors naming the file before the run starts. Both own only what they return;
// call them from one thread per reader.
#ifndef LLMEVAL_ENGINE_RUN_DATASET_SCAN_H_
#define LLMEVAL_ENGINE_RUN_DATASET_SCAN_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "datasets/row_reader.h"
#include "engine/config/config.h"
#include "engine/os/file_io.h"
#include "engine/run/runner.h"

namespace llmeval {

// Opens the dataset and reads its header.
Status OpenDataset(const std::string& path, std::unique_ptr<FileByteSource>* source,
                   std::unique_ptr<RowReader>* reader);

// What the first pass over the dataset learned: it validates every row before any model call.
struct DatasetScan {
  std::vector<std::string> columns;
  std::vector<std::string> raw_columns;
  int id_column = -1;        // dataset.id_column's index, or -1.
  int messages_column = -1;  // Conversation rows: the messages column's index, or -1.
  int64_t rows = 0;          // Rows in the file.
  int64_t selected = 0;      // Rows the run will evaluate.
  std::string sha256;
  std::set<int64_t> sampled;  // With --sample: the chosen row indices.
  std::vector<std::string> warnings;
};

// Validates every row of `path` and counts the rows `options` (--filter, --limit, --sample) select.
Result<DatasetScan> ScanDataset(const std::string& path, const RunOptions& options, const ProjectConfig& config);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_DATASET_SCAN_H_
