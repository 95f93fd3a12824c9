// ItemFeed lists the (row, variant, repeat) items a run still has to evaluate, in dataset order: the rows the reader
// yields that pass the selector, the sample and the limit, times the variants, times the repeats, less those already
// stored (a resumed run). CompletedSlots is that "already stored" set. ItemPump (engine/run/item_pump.h) draws from the
// feed. Not thread-safe; the pump calls it under its lock.
#ifndef LLMEVAL_ENGINE_RUN_ITEM_FEED_H_
#define LLMEVAL_ENGINE_RUN_ITEM_FEED_H_

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "core/status.h"
#include "datasets/data_row.h"
#include "datasets/row_reader.h"
#include "datasets/selection.h"
#include "engine/run/run_context.h"
#include "engine/store/store.h"

namespace llmeval {

// The slots of a resumed run that already have a stored item, as one bit per (row, repeat) for each variant: a
// million stored items take 125 KB rather than a node each.
class CompletedSlots {
 public:
  explicit CompletedSlots(int repeats) : repeats_(repeats > 0 ? repeats : 1) {}
  void Add(const ItemSlot& slot);
  bool Contains(int64_t variant_id, int64_t row_index, int repeat) const;
  int64_t size() const { return size_; }  // Slots added.

 private:
  int repeats_;
  int64_t size_ = 0;
  std::map<int64_t, std::vector<bool>> by_variant_;
};

class ItemFeed {
 public:
  struct Item {
    DataRow row;
    const Variant* variant = nullptr;
    int repeat = 0;
  };
  // `sampled`: with --sample, the chosen row indices (else null); `limit` (0: none) caps the rows taken without a
  // sample; `done`: the slots already stored. Every pointer must outlive the feed.
  ItemFeed(RowReader* reader, RowSelector selector, const std::set<int64_t>* sampled, int64_t limit,
           const std::vector<Variant>* variants, int repeat, const CompletedSlots* done);

  // The next item, false at the end; an error when the dataset cannot be read.
  Result<bool> Next(Item* out);

 private:
  // Reads the next row to take into row_; false at the end.
  Result<bool> NextRow();

  RowReader* reader_;
  RowSelector selector_;
  const std::set<int64_t>* sampled_;
  int64_t limit_;
  const std::vector<Variant>* variants_;
  int repeat_;
  const CompletedSlots* done_;

  DataRow row_;
  bool have_row_ = false;
  int64_t taken_ = 0;
  size_t variant_ = 0;  // Position in the current row's variants x repeats.
  int repeat_index_ = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_ITEM_FEED_H_
