#include "scorers/statistics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>

namespace llmeval {

Interval WilsonInterval(int64_t successes, int64_t trials, double z) {
  assert(successes >= 0 && successes <= trials);
  if (trials <= 0) return {0, 1};
  double n = static_cast<double>(trials);
  double p = static_cast<double>(successes) / n;
  double z2 = z * z;
  double denominator = 1 + z2 / n;
  double center = (p + z2 / (2 * n)) / denominator;
  double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
  Interval interval{std::max(0.0, center - half), std::min(1.0, center + half)};
  if (successes == 0) interval.low = 0;  // Exact at the edges despite rounding.
  if (successes == trials) interval.high = 1;
  return interval;
}

Interval WilsonIntervalReal(double successes, double trials, double z) {
  if (trials <= 0) return {0, 1};
  double p = std::clamp(successes / trials, 0.0, 1.0);
  double z2 = z * z;
  double denominator = 1 + z2 / trials;
  double center = (p + z2 / (2 * trials)) / denominator;
  double half = z * std::sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator;
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

void ClusterTotals::Add(double sum, double count) {
  clusters_ += 1;
  observations_ += count;
  sum_sq_ += sum * sum;
  sum_count_ += sum * count;
  count_sq_ += count * count;
}

double ClusterTotals::ResidualSquares(double mean) const {
  return std::max(0.0, sum_sq_ - 2 * mean * sum_count_ + mean * mean * count_sq_);
}

double DesignEffect(const ClusterTotals& clusters, double mean, double iid_variance) {
  const double n = clusters.observations(), m = clusters.clusters();
  if (n <= 0 || m >= n) return 1;  // No cluster has repeats.
  if (iid_variance <= 0 || m <= 1) return n / m;
  double cluster_variance = clusters.ResidualSquares(mean) / (n * n) * m / (m - 1);
  return std::max(1.0, cluster_variance / iid_variance);
}

ClusteredRate ClusteredWilsonInterval(int64_t successes, int64_t trials, const ClusterTotals& clusters, double z) {
  ClusteredRate r;
  if (trials <= 0 || clusters.clusters() >= static_cast<double>(trials)) {
    r.ci95 = WilsonInterval(successes, trials, z);
    return r;
  }
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  r.design_effect = DesignEffect(clusters, p, p * (1 - p) / n);
  r.ci95 = WilsonIntervalReal(static_cast<double>(successes) / r.design_effect, n / r.design_effect, z);
  return r;
}

double StudentT975(int64_t df) {
  static constexpr double kTable[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                                      2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                                      2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  if (df < 1) return kTable[0];
  if (df <= 30) return kTable[df - 1];
  // Cornish-Fisher expansion of t around the normal quantile.
  double z = kZ95, n = static_cast<double>(df);
  double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

MeanEstimate MeanWithInterval(const std::vector<double>& values) {
  RunningMean running;
  for (double v : values) running.Add(v);
  return running.Estimate();
}

void RunningMean::Add(double value) {
  ++n_;
  double delta = value - mean_;
  mean_ += delta / static_cast<double>(n_);
  squares_ += delta * (value - mean_);
}

MeanEstimate RunningMean::Estimate() const {
  MeanEstimate m;
  m.n = n_;
  if (n_ == 0) return m;
  m.mean = mean_;
  m.ci95 = {m.mean, m.mean};
  if (m.n < 2) return m;
  m.stddev = std::sqrt(squares_ / static_cast<double>(m.n - 1));
  double half = StudentT975(m.n - 1) * m.stddev / std::sqrt(static_cast<double>(m.n));
  m.ci95 = {m.mean - half, m.mean + half};
  return m;
}

Result<Agreement> CohensKappa(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) {
    return Status::InvalidInput("cannot compare labels: " + std::to_string(a.size()) + " labels against " +
                                std::to_string(b.size()));
  }
  if (a.empty()) return Status::InvalidInput("cannot compare labels: no labelled items");
  std::map<std::string, int64_t> count_a, count_b;
  int64_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    equal += a[i] == b[i];
    ++count_a[a[i]];
    ++count_b[b[i]];
  }
  double n = static_cast<double>(a.size());
  double observed = static_cast<double>(equal) / n;
  double expected = 0;
  for (const auto& [label, count] : count_a) {
    auto it = count_b.find(label);
    if (it != count_b.end()) expected += (static_cast<double>(count) / n) * (static_cast<double>(it->second) / n);
  }
  Agreement result;
  result.n = static_cast<int64_t>(a.size());
  result.percent_agreement = observed;
  result.kappa = expected >= 1.0 ? 1.0 : (observed - expected) / (1.0 - expected);
  return result;
}

MajorityResult MajorityVote(const std::vector<std::string>& labels) {
  MajorityResult result;
  if (labels.empty()) return result;
  std::map<std::string, int64_t> counts;
  for (const std::string& label : labels) ++counts[label];
  for (const std::string& label : labels) {  // First seen wins ties.
    int64_t votes = counts[label];
    if (votes > result.votes) {
      result.label = label;
      result.votes = votes;
    }
  }
  for (const auto& [label, votes] : counts) {
    if (label != result.label && votes == result.votes) result.tie = true;
  }
  result.agreement = static_cast<double>(result.votes) / static_cast<double>(labels.size());
  return result;
}

}  // namespace llmeval
