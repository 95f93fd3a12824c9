// Statistics for evaluation results: Wilson score intervals for pass rates, the mean of numeric scores with a
// t-based 95% interval, Cohen's kappa and percent agreement between two labelers (e.g. a judge and humans), and a
// majority vote. Pure functions, thread-safe.
#ifndef LLMEVAL_SCORERS_STATISTICS_H_
#define LLMEVAL_SCORERS_STATISTICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace llmeval {

// z for a two-sided 95% interval.
inline constexpr double kZ95 = 1.959964;

struct Interval {
  double low = 0;
  double high = 0;
};

// The Wilson score interval of `successes` out of `trials`, clamped to [0, 1]. [0, 1] when trials == 0.
// REQUIRES: 0 <= successes <= trials.
Interval WilsonInterval(int64_t successes, int64_t trials, double z = kZ95);

struct MeanEstimate {
  int64_t n = 0;
  double mean = 0;
  double stddev = 0;  // Sample standard deviation (n - 1); 0 when n < 2.
  Interval ci95;      // mean ± t(0.975, n-1) * stddev / sqrt(n); [mean, mean] when n < 2.
};

// The mean of `values` with its 95% interval (Student's t). All zero when `values` is empty.
MeanEstimate MeanWithInterval(const std::vector<double>& values);

// The same estimate built one value at a time in constant memory (Welford's update), for the scores of a run of a
// million items.
class RunningMean {
 public:
  void Add(double value);
  int64_t count() const { return n_; }
  MeanEstimate Estimate() const;

 private:
  int64_t n_ = 0;
  double mean_ = 0;
  double squares_ = 0;  // Sum of squared deviations from the running mean.
};

// The 0.975 quantile of Student's t with `df` degrees of freedom (exact table to 30, expansion beyond).
double StudentT975(int64_t df);

struct Agreement {
  int64_t n = 0;
  double percent_agreement = 0;  // Share of items with equal labels, 0..1.
  double kappa = 0;              // Cohen's kappa; 1 when both raters always give the same single label.
};

// Agreement between two label sequences over the same items. InvalidInput when the lengths differ or are zero.
Result<Agreement> CohensKappa(const std::vector<std::string>& a, const std::vector<std::string>& b);

struct MajorityResult {
  std::string label;     // The most frequent label ("" when `labels` is empty); ties go to the label seen first.
  int64_t votes = 0;     // How many gave it.
  double agreement = 0;  // votes / labels.size().
  bool tie = false;      // Another label had as many votes.
};

MajorityResult MajorityVote(const std::vector<std::string>& labels);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_STATISTICS_H_
