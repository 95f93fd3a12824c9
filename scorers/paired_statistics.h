// Paired comparisons of pass rates: the same dataset items evaluated twice (a baseline and a candidate prompt or
// model), paired by item id. Gives the candidate-minus-baseline difference with Newcombe's hybrid score interval for
// paired proportions (Newcombe 1998, method 10), a design-effect adjustment when items are repeated (repeats of one
// item are a cluster, not independent evidence), and the minimum detectable drop at 80% power. See docs/GATE.md for
// the choice of methods and references. Pure functions, thread-safe.
#ifndef LLMEVAL_SCORERS_PAIRED_STATISTICS_H_
#define LLMEVAL_SCORERS_PAIRED_STATISTICS_H_

#include <cstdint>
#include <vector>

#include "scorers/statistics.h"

namespace llmeval {

// z for 80% power (one-sided 0.8 quantile of the standard normal).
inline constexpr double kZ80 = 0.841621;

// The 2x2 table of paired outcomes. Counts are doubles so that an effective (design-effect-scaled) table can be used.
struct PairedTable {
  double both_pass = 0;       // a
  double baseline_only = 0;   // b: baseline passed, candidate failed (a regression)
  double candidate_only = 0;  // c: candidate passed, baseline failed (an improvement)
  double both_fail = 0;       // d
  double n() const { return both_pass + baseline_only + candidate_only + both_fail; }
  double discordant_share() const { return n() > 0 ? (baseline_only + candidate_only) / n() : 0; }
};

struct PairedDifference {
  double n = 0;               // Pairs (effective pairs after a design effect).
  double baseline_rate = 0;   // (a + b) / n
  double candidate_rate = 0;  // (a + c) / n
  double estimate = 0;        // candidate_rate - baseline_rate = (c - b) / n
  Interval ci95{-1, 1};       // Newcombe method 10, within [-1, 1].
  double se = 0;              // sqrt((p_disc - estimate^2) / n), the paired (McNemar-type) standard error.
  double design_effect = 1;   // 1 without repeats.
};

// Newcombe's method 10 for candidate - baseline on a paired table. An empty table gives estimate 0, [-1, 1].
PairedDifference NewcombePairedDifference(const PairedTable& table, double z = kZ95);

// One paired observation of an item: whether the baseline and the candidate passed on one repeat.
struct PairedOutcome {
  int64_t cluster = 0;  // Item index: repeats of one item share it.
  bool baseline_pass = false;
  bool candidate_pass = false;
};

// Paired difference over observations clustered by item. The cluster-robust variance of the mean difference
// (per-cluster sums, Liang-Zeger sandwich with the m/(m-1) small-sample factor) is compared with the independent
// paired variance; their ratio, the design effect (at least 1; the mean cluster size when nothing is discordant),
// shrinks the table to an effective size before Newcombe's interval is computed. Without repeats it equals
// NewcombePairedDifference.
PairedDifference ClusteredPairedDifference(const std::vector<PairedOutcome>& outcomes, double z = kZ95);

// ClusteredPairedDifference built one observation at a time, in memory that does not grow with their number, for
// comparisons streamed in item order. The observations of one cluster must arrive together (the repeats of an item).
class PairedAccumulator {
 public:
  void Add(int64_t cluster, bool baseline_pass, bool candidate_pass);
  const PairedTable& table() const { return table_; }
  int64_t clusters() const { return static_cast<int64_t>(closed_.clusters()) + (open_ ? 1 : 0); }
  PairedDifference Difference(double z = kZ95) const;

 private:
  PairedTable table_;
  ClusterTotals closed_;  // The clusters before the current one.
  bool open_ = false;     // Whether a current cluster has observations.
  int64_t cluster_ = 0;
  double sum_ = 0, count_ = 0;  // The current cluster's sum of differences and observations.
};

// The smallest drop in pass rate that a paired comparison of `n` (effective) pairs with the given share of
// discordant pairs detects with 80% power at two-sided 5%: delta = (z_0.975 + z_0.8) * sqrt((p - delta^2) / n),
// with p = max(discordant_share, delta) because a drop of delta needs at least that share of discordant pairs.
// Closed form: z*sqrt(p/(n+z^2)) when that is <= p, else z^2/(n+z^2). 1 when n <= 0.
double MinimumDetectableDrop(double n, double discordant_share, double z_alpha = kZ95, double z_power = kZ80);

}  // namespace llmeval

#endif  // LLMEVAL_SCORERS_PAIRED_STATISTICS_H_
