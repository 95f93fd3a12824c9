#include "scorers/percentile_selector.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

namespace llmeval {
namespace {

// Maps a double to an unsigned key with the same order (negative values below positive ones, -0 just below +0), so
// that ranges and buckets are integer arithmetic.
uint64_t OrderKey(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  constexpr uint64_t kSign = uint64_t{1} << 63;
  return (bits & kSign) != 0 ? ~bits : bits | kSign;
}

double FromOrderKey(uint64_t key) {
  constexpr uint64_t kSign = uint64_t{1} << 63;
  uint64_t bits = (key & kSign) != 0 ? key & ~kSign : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

// Where the p-th percentile of n ascending values v[0..n-1] lies: v[lo] + (v[lo + 1] - v[lo]) * frac.
struct PercentileRank {
  int64_t lo = 0;
  int64_t hi = 0;
  double frac = 0;
};

PercentileRank RankOf(double p, int64_t n) {
  PercentileRank r;
  double rank = p * static_cast<double>(n - 1);
  r.lo = static_cast<int64_t>(std::floor(rank));
  r.hi = std::min(n - 1, r.lo + 1);
  r.frac = rank - static_cast<double>(r.lo);
  return r;
}

}  // namespace

PercentileSelector::PercentileSelector(std::vector<double> ps, size_t max_buffered, size_t buckets)
    : ps_(std::move(ps)), max_buffered_(std::max<size_t>(1, max_buffered)), buckets_(std::max<size_t>(2, buckets)) {}

void PercentileSelector::Add(double value) {
  uint64_t key = OrderKey(value);
  if (passes_ == 0) {
    ++count_;
    min_ = std::min(min_, key);
    max_ = std::max(max_, key);
    if (static_cast<size_t>(count_) <= max_buffered_) {
      first_.push_back(key);
    } else if (!first_.empty()) {
      std::vector<uint64_t>().swap(first_);
    }
    return;
  }
  ++pass_count_;
  for (Target& t : targets_) {
    if (t.done || key < t.lo || key > t.hi) continue;
    if (t.collect) {
      t.keys.push_back(key);
      continue;
    }
    // Bucket b of buckets_ over [lo, hi]: exact, monotone, lo in the first and hi in the last.
    unsigned __int128 offset = key - t.lo;
    unsigned __int128 width = static_cast<unsigned __int128>(t.hi - t.lo) + 1;
    Bucket& b = t.buckets[static_cast<size_t>(offset * buckets_ / width)];
    ++b.count;
    b.min = std::min(b.min, key);
    b.max = std::max(b.max, key);
  }
}

void PercentileSelector::Narrow(Target* t, uint64_t lo, uint64_t hi, int64_t below, int64_t in_range) {
  t->lo = lo;
  t->hi = hi;
  t->below = below;
  t->in_range = in_range;
  std::vector<Bucket>().swap(t->buckets);
  std::vector<uint64_t>().swap(t->keys);
  if (lo == hi) {
    t->done = true;
    t->key = lo;
    return;
  }
  t->collect = static_cast<size_t>(in_range) <= max_buffered_;
  if (t->collect) {
    t->keys.reserve(static_cast<size_t>(in_range));
  } else {
    t->buckets.assign(buckets_, Bucket());
  }
}

Result<bool> PercentileSelector::EndPass() {
  ++passes_;
  if (passes_ == 1) {
    if (count_ == 0) return false;
    std::vector<int64_t> ranks;
    for (double p : ps_) {
      PercentileRank r = RankOf(p, count_);
      ranks.push_back(r.lo);
      ranks.push_back(r.hi);
    }
    std::sort(ranks.begin(), ranks.end());
    ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
    bool all_kept = static_cast<size_t>(count_) <= max_buffered_;
    if (all_kept) std::sort(first_.begin(), first_.end());
    for (int64_t rank : ranks) {
      Target t;
      t.rank = rank;
      if (all_kept) {
        t.done = true;
        t.key = first_[static_cast<size_t>(rank)];
      } else {
        Narrow(&t, min_, max_, 0, count_);
      }
      targets_.push_back(std::move(t));
    }
    std::vector<uint64_t>().swap(first_);
  } else {
    if (pass_count_ != count_) {
      return Status::Internal("latency percentiles: a pass read " + std::to_string(pass_count_) + " values, not " +
                              std::to_string(count_));
    }
    for (Target& t : targets_) {
      if (t.done) continue;
      if (t.collect) {
        size_t nth = static_cast<size_t>(t.rank - t.below);
        if (t.keys.size() != static_cast<size_t>(t.in_range)) {
          return Status::Internal("latency percentiles: the values changed between passes");
        }
        std::nth_element(t.keys.begin(), t.keys.begin() + static_cast<std::ptrdiff_t>(nth), t.keys.end());
        t.done = true;
        t.key = t.keys[nth];
        std::vector<uint64_t>().swap(t.keys);
        continue;
      }
      int64_t below = t.below;
      const Bucket* found = nullptr;
      for (const Bucket& b : t.buckets) {
        if (t.rank < below + b.count) {
          found = &b;
          break;
        }
        below += b.count;
      }
      if (found == nullptr) return Status::Internal("latency percentiles: the values changed between passes");
      Bucket b = *found;
      Narrow(&t, b.min, b.max, below, b.count);
    }
  }
  pass_count_ = 0;
  for (const Target& t : targets_) {
    if (!t.done) return true;
  }
  return false;
}

uint64_t PercentileSelector::KeyOfRank(int64_t rank) const {
  for (const Target& t : targets_) {
    if (t.rank == rank) return t.key;
  }
  return OrderKey(0);
}

double PercentileSelector::Percentile(size_t i) const {
  if (count_ == 0 || i >= ps_.size()) return 0;
  PercentileRank r = RankOf(ps_[i], count_);
  double lo = FromOrderKey(KeyOfRank(r.lo));
  double hi = FromOrderKey(KeyOfRank(r.hi));
  return lo + (hi - lo) * r.frac;
}

}  // namespace llmeval
