#include "datasets/selection.h"

#include <algorithm>

#include "core/strings.h"
#include "datasets/column_names.h"

namespace llmeval {

Result<RowFilter> ParseRowFilter(std::string_view text) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return Status::InvalidInput("filter '" + std::string(text) + "' must look like column=value");
  }
  RowFilter filter;
  filter.column = NormalizeColumnName(text.substr(0, equals));
  filter.value = std::string(text.substr(equals + 1));
  if (filter.column.empty()) {
    return Status::InvalidInput("filter '" + std::string(text) + "' names no column; it must look like column=value");
  }
  return filter;
}

Result<RowSelector> RowSelector::Create(const std::vector<RowFilter>& filters,
                                        const std::vector<std::string>& columns) {
  RowSelector selector;
  for (const RowFilter& filter : filters) {
    auto it = std::find(columns.begin(), columns.end(), filter.column);
    if (it == columns.end()) {
      std::string message = "filter column '" + filter.column + "' is not a column of the data set";
      std::string suggestion = SuggestClosest(filter.column, columns);
      if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
      message += " (columns: " + JoinStrings(columns, ", ") + ")";
      return Status::InvalidInput(message);
    }
    selector.filters_.push_back({static_cast<size_t>(it - columns.begin()), filter.value});
  }
  return selector;
}

bool RowSelector::Matches(const DataRow& row) const {
  for (const Bound& filter : filters_) {
    if (filter.column >= row.values.size() || row.values[filter.column] != filter.value) return false;
  }
  return true;
}

ReservoirSampler::ReservoirSampler(size_t capacity, uint64_t seed) : capacity_(capacity), state_(seed) {
  kept_.reserve(std::min<size_t>(capacity, 1 << 16));
}

uint64_t ReservoirSampler::NextRandom() {  // SplitMix64.
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void ReservoirSampler::Offer(const DataRow& row) {
  uint64_t seen = static_cast<uint64_t>(seen_++);
  if (capacity_ == 0) return;
  if (kept_.size() < capacity_) {
    kept_.push_back(row);
    return;
  }
  // A uniform slot in [0, seen]: Lemire's multiply-shift (bias below 2^-64 * seen, irrelevant here).
  uint64_t slot = static_cast<uint64_t>((static_cast<unsigned __int128>(NextRandom()) * (seen + 1)) >> 64);
  if (slot < capacity_) kept_[slot] = row;
}

std::vector<DataRow> ReservoirSampler::Take() {
  std::vector<DataRow> out = std::move(kept_);
  kept_.clear();
  std::sort(out.begin(), out.end(), [](const DataRow& a, const DataRow& b) { return a.index < b.index; });
  return out;
}

}  // namespace llmeval
