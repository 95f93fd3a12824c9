// The reference the percentile tests check against: sort every value, then interpolate linearly between ranks
// floor(p * (n - 1)) and the next; 0 without values.
#ifndef LLMEVAL_TESTS_TESTING_SORTED_PERCENTILE_H_
#define LLMEVAL_TESTS_TESTING_SORTED_PERCENTILE_H_

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace llmeval::testing {

inline double SortedPercentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = p * static_cast<double>(values.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(rank));
  size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_TESTING_SORTED_PERCENTILE_H_
