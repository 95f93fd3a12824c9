// ItemPump: keeps `capacity` items of a run in flight, drawing them from a feed.
//
// The feed is any class with a type `Item` and `Result<bool> Next(Item* out)` (false at the end, an error when its
// input cannot be read): ItemFeed (engine/run/item_feed.h) streams a dataset for `llmeval run`, StoredItemFeed
// (engine/run/stored_item_feed.h) streams a stored run for `llmeval evaluate`. The pump calls Next under its lock, so
// the feed need not be thread-safe.
//
// The pump starts items until `capacity` are in flight or the feed runs out. A finished item frees its slot and calls
// Fill on its own thread, so the next item starts right there: no thread is woken to start it. The first Fill comes
// from the thread that runs the run, which then Waits.
//
//   ItemPump<ItemFeed> pump(&feed, concurrency, stop_taking, [&](ItemFeed::Item item) { /* start; when done: */
//                                                            pump.Finished([&] { observer->OnItem(...); }); });
//   pump.Fill();
//   pump.Wait(give_up);
#ifndef LLMEVAL_ENGINE_RUN_ITEM_PUMP_H_
#define LLMEVAL_ENGINE_RUN_ITEM_PUMP_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>

#include "core/status.h"

namespace llmeval {

template <typename Feed>
class ItemPump {
 public:
  using Item = typename Feed::Item;

  // `stop_taking` is asked before each item starts (under the pump's lock) and from Wait; true stops the feed.
  // `start` starts an item; its completion must call Finished exactly once, on any thread.
  ItemPump(Feed* feed, int capacity, std::function<bool()> stop_taking, std::function<void(Item)> start)
      : feed_(feed), capacity_(capacity), stop_taking_(std::move(stop_taking)), start_(std::move(start)) {}

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

  // After Wait: true when stop_taking ended the feed early; the feed's error, if reading its input failed.
  bool stopped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }
  Status status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  Feed* const feed_;
  const int capacity_;
  const std::function<bool()> stop_taking_;
  const std::function<void(Item)> start_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  int in_flight_ = 0;        // Guarded by mu_.
  bool feed_ended_ = false;  // Guarded by mu_: nothing more will start.
  bool stopped_ = false;     // Guarded by mu_.
  Status status_;            // Guarded by mu_.
};

template <typename Feed>
void ItemPump<Feed>::Fill() {
  // An item that finishes inside start_ calls Fill again on this thread: the loop below sees its freed slot, so
  // the inner call returns instead of recursing (a dataset whose every row fails to render would otherwise nest one
  // call per row).
  static thread_local const ItemPump* filling = nullptr;
  if (filling == this) return;
  const ItemPump* outer = filling;
  filling = this;
  bool idle = false;
  while (true) {
    Item item;
    bool take = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!feed_ended_ && in_flight_ < capacity_) {
        if (stop_taking_()) {
          stopped_ = true;
          feed_ended_ = true;
        } else {
          Result<bool> more = feed_->Next(&item);
          if (!more.ok()) {
            status_ = more.status();
            feed_ended_ = true;
          } else if (!*more) {
            feed_ended_ = true;
          } else {
            ++in_flight_;
            take = true;
          }
        }
      }
      if (!take) {
        idle = feed_ended_ && in_flight_ == 0;
        break;
      }
    }
    start_(std::move(item));
  }
  filling = outer;
  if (idle) idle_.notify_all();
}

template <typename Feed>
void ItemPump<Feed>::Wait(const std::function<bool()>& give_up) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!give_up()) {
    // Asked here too, so an interrupt is noticed while every item in flight is still running.
    if (!feed_ended_ && stop_taking_()) {
      stopped_ = true;
      feed_ended_ = true;
    }
    if (feed_ended_ && in_flight_ == 0) return;
    idle_.wait_for(lock, std::chrono::milliseconds(100));
  }
}

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_ITEM_PUMP_H_
