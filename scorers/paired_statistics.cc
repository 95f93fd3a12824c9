#include "scorers/paired_statistics.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace llmeval {

PairedDifference NewcombePairedDifference(const PairedTable& t, double z) {
  PairedDifference r;
  r.n = t.n();
  if (r.n <= 0) return r;
  const double a = t.both_pass, b = t.baseline_only, c = t.candidate_only, d = t.both_fail;
  // Proportion 1 is the candidate, proportion 2 the baseline: theta = p1 - p2.
  double p1 = (a + c) / r.n, p2 = (a + b) / r.n;
  r.candidate_rate = p1;
  r.baseline_rate = p2;
  r.estimate = p1 - p2;
  Interval w1 = WilsonIntervalReal(a + c, r.n, z), w2 = WilsonIntervalReal(a + b, r.n, z);
  // Phi over the candidate x baseline table; 0 when a margin is empty.
  double margins = (a + c) * (b + d) * (a + b) * (c + d);
  double phi = margins > 0 ? (a * d - b * c) / std::sqrt(margins) : 0;
  double dl1 = p1 - w1.low, du1 = w1.high - p1, dl2 = p2 - w2.low, du2 = w2.high - p2;
  double low = r.estimate - std::sqrt(std::max(0.0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  double high = r.estimate + std::sqrt(std::max(0.0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
  r.ci95 = {std::max(-1.0, low), std::min(1.0, high)};
  double p_disc = (b + c) / r.n;
  r.se = std::sqrt(std::max(0.0, p_disc - r.estimate * r.estimate) / r.n);
  return r;
}

namespace {

void Count(bool baseline_pass, bool candidate_pass, PairedTable* table) {
  if (baseline_pass && candidate_pass) table->both_pass += 1;
  if (baseline_pass && !candidate_pass) table->baseline_only += 1;
  if (!baseline_pass && candidate_pass) table->candidate_only += 1;
  if (!baseline_pass && !candidate_pass) table->both_fail += 1;
}

// The paired difference of `table`, whose pairs fall into `clusters` (per-cluster sums of candidate - baseline).
PairedDifference ClusteredFromTotals(const PairedTable& table, const ClusterTotals& clusters, double z) {
  const double n = table.n();
  if (n <= 0 || clusters.clusters() >= n) return NewcombePairedDifference(table, z);  // No cluster has repeats.
  const double estimate = (table.candidate_only - table.baseline_only) / n;
  const double iid_variance = (table.discordant_share() - estimate * estimate) / n;
  const double design_effect = DesignEffect(clusters, estimate, iid_variance);
  PairedTable effective{table.both_pass / design_effect, table.baseline_only / design_effect,
                        table.candidate_only / design_effect, table.both_fail / design_effect};
  PairedDifference r = NewcombePairedDifference(effective, z);
  r.design_effect = design_effect;
  return r;
}

}  // namespace

PairedDifference ClusteredPairedDifference(const std::vector<PairedOutcome>& outcomes, double z) {
  PairedTable table;
  std::map<int64_t, std::pair<double, int64_t>> by_cluster;  // cluster -> (sum of differences, pairs)
  for (const PairedOutcome& o : outcomes) {
    Count(o.baseline_pass, o.candidate_pass, &table);
    auto& [sum, count] = by_cluster[o.cluster];
    sum += static_cast<double>(o.candidate_pass) - static_cast<double>(o.baseline_pass);
    ++count;
  }
  ClusterTotals clusters;
  for (const auto& [id, entry] : by_cluster) clusters.Add(entry.first, static_cast<double>(entry.second));
  return ClusteredFromTotals(table, clusters, z);
}

void PairedAccumulator::Add(int64_t cluster, bool baseline_pass, bool candidate_pass) {
  Count(baseline_pass, candidate_pass, &table_);
  if (open_ && cluster != cluster_) {
    closed_.Add(sum_, count_);
    sum_ = count_ = 0;
  }
  open_ = true;
  cluster_ = cluster;
  sum_ += static_cast<double>(candidate_pass) - static_cast<double>(baseline_pass);
  count_ += 1;
}

PairedDifference PairedAccumulator::Difference(double z) const {
  ClusterTotals clusters = closed_;
  if (open_) clusters.Add(sum_, count_);
  return ClusteredFromTotals(table_, clusters, z);
}

double MinimumDetectableDrop(double n, double discordant_share, double z_alpha, double z_power) {
  if (n <= 0) return 1;
  const double z = z_alpha + z_power;
  const double z2 = z * z;
  double delta = z * std::sqrt(discordant_share / (n + z2));
  if (discordant_share <= 0 || delta > discordant_share) delta = z2 / (n + z2);
  return std::min(1.0, delta);
}

}  // namespace llmeval
