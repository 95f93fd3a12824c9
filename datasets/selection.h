// Row selection helpers the engine applies while streaming a data set: `--filter column=value` (RowFilter,
// RowSelector) and `--sample N --seed S` (ReservoirSampler). Pure: no IO; deterministic for a given seed. Objects are
// not thread-safe; use one per stream.
#ifndef LLMEVAL_DATASETS_SELECTION_H_
#define LLMEVAL_DATASETS_SELECTION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "datasets/data_row.h"

namespace llmeval {

// "column=value": the column is normalized (NormalizeColumnName), the value kept exactly (compared case-sensitively;
// it may be empty and may contain '='; only the first '=' splits).
struct RowFilter {
  std::string column;
  std::string value;
};

// InvalidInput when there is no '=' or the column part has no letters or digits.
Result<RowFilter> ParseRowFilter(std::string_view text);

// A set of filters bound to a reader's normalized columns; a row matches when every filter matches (AND).
class RowSelector {
 public:
  RowSelector() = default;  // Matches every row.
  // InvalidInput naming an unknown column (with a "did you mean" suggestion and the list of columns).
  static Result<RowSelector> Create(const std::vector<RowFilter>& filters, const std::vector<std::string>& columns);
  bool Matches(const DataRow& row) const;

 private:
  struct Bound {
    size_t column;
    std::string value;
  };
  std::vector<Bound> filters_;
};

// Deterministic reservoir sampling (Algorithm R) keeping at most `capacity` rows in O(capacity) memory. Offer every
// row of the stream in order; Take() returns the kept rows in their original order (by DataRow::index). The same
// seed and the same stream always give the same sample.
class ReservoirSampler {
 public:
  ReservoirSampler(size_t capacity, uint64_t seed);
  void Offer(const DataRow& row);
  // Number of rows offered so far.
  int64_t seen() const { return seen_; }
  // The sample in original order; leaves the sampler empty.
  std::vector<DataRow> Take();

 private:
  uint64_t NextRandom();

  size_t capacity_;
  uint64_t state_;
  int64_t seen_ = 0;
  std::vector<DataRow> kept_;
};

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_SELECTION_H_
