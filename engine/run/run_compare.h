// CompareRuns pairs the items of two runs by their stable item key and repeat (variants matched by prompt name and
// model; when each run has one variant those two are paired) and reports, per scorer, the pass rates of both, the
// paired difference with the gate's 95% interval (Newcombe's paired method, the repeats of an item clustered: see
// scorers/paired_statistics.h and docs/GATE.md), and the items that flipped.
//
// Both runs stream from the store in item-key order and are merged (ItemKeyCursor), so memory holds the listed flips
// and not the runs: a comparison of two million-item runs fits in a few MB. Within one variant an item key that occurs
// more than once (a duplicated dataset row) stands for its last row.
#ifndef LLMEVAL_ENGINE_RUN_RUN_COMPARE_H_
#define LLMEVAL_ENGINE_RUN_RUN_COMPARE_H_

#include <string>
#include <vector>

#include "engine/store/store.h"
#include "scorers/paired_statistics.h"

namespace llmeval {

struct FlippedItem {
  std::string item_key;
  int repeat = 0;
  std::string question;  // An excerpt of the rendered input.
  bool now_passes = false;
  std::string rationale;           // The newer run's rationale.
  int64_t item_a = 0, item_b = 0;  // The two items' ids (items.id).
};

struct ScorerComparison {
  std::string scorer;
  int64_t paired = 0;  // Item repeats decided (pass or fail) in both runs.
  double rate_a = 0;
  double rate_b = 0;
  PairedDifference delta;            // rate_b - rate_a over the paired repeats, with its 95% interval.
  int64_t flipped_worse = 0;         // Paired items that passed in run A and fail in run B.
  int64_t flipped_better = 0;        // And the other way round.
  std::vector<FlippedItem> flipped;  // The first kMaxListedFlips flips in item-key order.
};

struct VariantComparison {
  std::string label_a;
  std::string label_b;
  int64_t items_a = 0;
  int64_t items_b = 0;
  int64_t paired_items = 0;
  std::vector<ScorerComparison> scorers;
};

struct RunComparison {
  int64_t run_a = 0;
  int64_t run_b = 0;
  std::vector<VariantComparison> variants;
  std::vector<std::string> notes;  // Variants that found no partner.
};

inline constexpr size_t kMaxListedFlips = 1000;  // Per scorer.

Result<RunComparison> CompareRuns(Store* store, int64_t run_a, int64_t run_b);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_RUN_COMPARE_H_
