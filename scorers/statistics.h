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

// The Wilson interval for a possibly non-integer count (effective samples). [0, 1] when trials <= 0.
Interval WilsonIntervalReal(double successes, double trials, double z = kZ95);

// Per-cluster totals of a clustered sample (the repeats of one dataset item are a cluster), accumulated one cluster
// at a time in constant memory.
class ClusterTotals {
 public:
  // One cluster: the sum of its observations' values and how many observations it has.
  void Add(double sum, double count);
  double clusters() const { return clusters_; }
  double observations() const { return observations_; }
  // The sum over clusters of (sum - mean * count)^2: the between-cluster scatter around `mean`.
  double ResidualSquares(double mean) const;

 private:
  double clusters_ = 0, observations_ = 0;
  double sum_sq_ = 0, sum_count_ = 0, count_sq_ = 0;  // Sums of sum^2, sum*count and count^2.
};

// The design effect of a mean over clustered observations (Kish 1965): the cluster-robust (Liang-Zeger sandwich,
// m/(m-1) small-sample factor) variance of `mean` over `iid_variance`, its variance were the observations
// independent. At least 1; the mean cluster size when `iid_variance` is 0 or there is one cluster (nothing to
// estimate the between-cluster variance from); 1 when no cluster has more than one observation.
double DesignEffect(const ClusterTotals& clusters, double mean, double iid_variance);

// The Wilson interval of a pass rate whose `trials` observations fall into `clusters` (repeats of items): the design
// effect shrinks the counts to effective counts before the interval is computed (Rao & Scott 1992), so identical
// repeats count about once per item. Equals WilsonInterval when no cluster has more than one observation.
struct ClusteredRate {
  Interval ci95{0, 1};
  double design_effect = 1;
};
ClusteredRate ClusteredWilsonInterval(int64_t successes, int64_t trials, const ClusterTotals& clusters,
                                      double z = kZ95);

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
