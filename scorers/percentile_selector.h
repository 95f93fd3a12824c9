// PercentileSelector: exact percentiles of a stream of values that can be read again, in memory that does not grow
// with their number. The run summary feeds it the latencies of a run's items, pass after pass, from the store.
#ifndef LLMEVAL_SCORERS_PERCENTILE_SELECTOR_H_
#define LLMEVAL_SCORERS_PERCENTILE_SELECTOR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/status.h"

namespace llmeval {

// Exact percentiles of values read in passes, in memory bounded whatever their number (instead of a value per item):
// the first pass counts them (and keeps them when there are at most `max_buffered`); each further pass narrows every
// rank needed to one bucket of a `buckets`-wide histogram of its current range (ranges are of the values' order-keeping
// bit patterns, so the buckets are finer where values are dense and no arithmetic rounds), until the range holds one
// distinct value or at most `max_buffered` values, which the next pass keeps and selects among. The p-th percentile
// interpolates linearly between the values of ranks floor(p * (n - 1)) and the next, 0 without values. Holds at most
// ~4 x (max_buffered x 8 + buckets x 24) bytes; a million spread-out values take three passes.
class PercentileSelector {
 public:
  explicit PercentileSelector(std::vector<double> ps, size_t max_buffered = 16384, size_t buckets = 4096);

  // Feeds a value of the current pass.
  void Add(double value);
  // Ends a pass: true when every value must be fed again in another pass, false when the percentiles are known.
  // Internal error when a pass did not see as many values as the first.
  Result<bool> EndPass();
  // After the last pass: the percentile ps[i].
  double Percentile(size_t i) const;
  int64_t count() const { return count_; }
  int passes() const { return passes_; }

 private:
  struct Bucket {
    int64_t count = 0;
    uint64_t min = ~uint64_t{0};
    uint64_t max = 0;
  };
  // One rank needed, and the key range [lo, hi] known to hold it, above `below` values.
  struct Target {
    int64_t rank = 0;
    int64_t below = 0;
    uint64_t lo = 0;
    uint64_t hi = 0;
    int64_t in_range = 0;
    bool done = false;
    uint64_t key = 0;  // When done.
    bool collect = false;
    std::vector<uint64_t> keys;   // When collecting.
    std::vector<Bucket> buckets;  // Otherwise.
  };
  void Narrow(Target* t, uint64_t lo, uint64_t hi, int64_t below, int64_t in_range);
  uint64_t KeyOfRank(int64_t rank) const;

  std::vector<double> ps_;
  size_t max_buffered_;
  size_t buckets_;
  int passes_ = 0;
  int64_t count_ = 0;
  int64_t pass_count_ = 0;
  uint64_t min_ = ~uint64_t{0};
  uint64_t max_ = 0;
  std::vector<uint64_t> first_;  // The first pass's keys, while there are at most max_buffered.
  std::vector<Target> targets_;
};

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_PERCENTILE_SELECTOR_H_
