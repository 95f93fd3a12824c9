// StoreWriter: the single writer of a run. Engine threads hand it finished items (with their assessments, spans and
// cache entries); one background thread writes them in batched transactions on its own store connection. Push is
// thread-safe; it blocks only when `max_queued` items are already waiting (back-pressure, so memory stays bounded
// when items finish faster than SQLite writes them). Flush waits until everything pushed so far is written.
#ifndef LLMEVAL_ENGINE_STORE_STORE_WRITER_H_
#define LLMEVAL_ENGINE_STORE_STORE_WRITER_H_

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "engine/store/store.h"

namespace llmeval {

class StoreWriter {
 public:
  // Takes ownership of `store`, a connection used only by the writer thread.
  // Two batches may wait: one is ready while one is written. More only holds finished items (some KB each) longer.
  explicit StoreWriter(std::unique_ptr<Store> store, size_t batch_size = 256, size_t max_queued = 512);
  ~StoreWriter();  // Flushes and joins.

  void Push(ItemRecord item);
  // Waits until every pushed item is written; returns the first write error, if any.
  Status Flush();
  // Items written so far.
  int64_t written() const;
  // True once a write has failed (a full disk, a file-size limit, a store locked too long): the run should stop
  // taking items, since nothing more it evaluates can be stored. Lock-free, for a check per item.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  void Loop();

  std::unique_ptr<Store> store_;
  size_t batch_size_;
  size_t max_queued_;
  std::condition_variable room_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable drained_;
  std::deque<ItemRecord> queue_;
  size_t in_progress_ = 0;
  int64_t written_ = 0;
  bool stopping_ = false;
  int flush_waiters_ = 0;  // Threads in Flush: the writer commits without gathering while there are any.
  Status error_;
  std::atomic<bool> failed_{false};
  std::thread thread_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_STORE_WRITER_H_
