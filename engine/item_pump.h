// ItemFeed and ItemPump: how a run hands out its items and keeps `concurrency` of them in flight.
//
// ItemFeed lists the (row, variant, repeat) items still to evaluate, in dataset order: the rows the reader yields that
// pass the selector, the sample and the limit, times the variants, times the repeats, less those already stored (a
// resumed run). It is not thread-safe; the pump calls it under its lock.
//
// ItemPump starts items until `capacity` are in flight or the feed runs out. A finished item frees its slot and calls
// Fill on its own thread, so the next item starts right there: no thread is woken to start it. The first Fill comes
// from the thread that runs the run, which then Waits.
//
//   ItemPump pump(&feed, concurrency, stop_taking, [&](ItemFeed::Item item) { /* start; when done: */
//                                                      pump.Finished([&] { observer->OnItem(...); }); });
//   pump.Fill();
//   pump.Wait(give_up);
#ifndef LLMEVAL_ENGINE_ITEM_PUMP_H_
#define LLMEVAL_ENGINE_ITEM_PUMP_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "core/status.h"
#include "datasets/data_row.h"
#include "datasets/row_reader.h"
#include "datasets/selection.h"
#include "engine/run_context.h"
#include "engine/store.h"

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

class ItemPump {
 public:
  // `stop_taking` is asked before each item starts (under the pump's lock) and from Wait; true stops the feed.
  // `start` starts an item; its completion must call Finished exactly once, on any thread.
  ItemPump(ItemFeed* feed, int capacity, std::function<bool()> stop_taking, std::function<void(ItemFeed::Item)> start);

  // Starts items until `capacity` are in flight, the feed ends, or stop_taking says to stop. Called again from
  // inside a start (an item that finishes at once), it returns and the outer call goes on filling.
  void Fill();
  // An item finished: runs `record` under the pump's lock (so records and stop_taking never run concurrently), frees
  // the item's slot, then fills it on this thread. A template, so the per-item callable is never copied to the heap.
  template <typename Record>
  void Finished(const Record& record) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      record();
      --in_flight_;
    }
    Fill();
  }
  // Waits until the feed has ended or stopped and no item is in flight, or `give_up` says to stop waiting.
  void Wait(const std::function<bool()>& give_up);

  // After Wait: true when stop_taking ended the feed early; the feed's error, if reading the dataset failed.
  bool stopped() const;
  Status status() const;

 private:
  ItemFeed* const feed_;
  const int capacity_;
  const std::function<bool()> stop_taking_;
  const std::function<void(ItemFeed::Item)> start_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  int in_flight_ = 0;        // Guarded by mu_.
  bool feed_ended_ = false;  // Guarded by mu_: nothing more will start.
  bool stopped_ = false;     // Guarded by mu_.
  Status status_;            // Guarded by mu_.
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_ITEM_PUMP_H_
