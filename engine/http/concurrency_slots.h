// ConcurrencySlots: admits at most `limit` calls at once; the others wait in arrival order. The client side of a
// provider's or a target's max_concurrency. A call is started through Acquire and must end with exactly one Release.
// Thread-safe; `start` functions run outside the lock, on the thread that called Acquire (a free slot) or Release
// (a slot handed on).
#ifndef LLMEVAL_ENGINE_HTTP_CONCURRENCY_SLOTS_H_
#define LLMEVAL_ENGINE_HTTP_CONCURRENCY_SLOTS_H_

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace llmeval {

class ConcurrencySlots {
 public:
  explicit ConcurrencySlots(int limit) : limit_(limit < 1 ? 1 : limit) {}

  // Runs `start` now when a slot is free; otherwise queues it, to run when a slot is handed on.
  void Acquire(std::function<void()> start);
  // Ends a call: the oldest queued call takes over its slot (and starts on this thread), or the slot is freed.
  void Release();

  int in_flight() const;  // Calls admitted and not yet released.
  size_t queued() const;  // Calls waiting for a slot.

 private:
  const int limit_;
  mutable std::mutex mu_;  // Guards the fields below.
  int in_flight_ = 0;
  std::deque<std::function<void()>> queue_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_HTTP_CONCURRENCY_SLOTS_H_
