#include "engine/http/concurrency_slots.h"

#include <utility>

namespace llmeval {

void ConcurrencySlots::Acquire(std::function<void()> start) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (in_flight_ >= limit_) {
      queue_.push_back(std::move(start));
      return;
    }
    ++in_flight_;
  }
  start();
}

void ConcurrencySlots::Release() {
  std::function<void()> next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) {
      --in_flight_;
      return;
    }
    next = std::move(queue_.front());
    queue_.pop_front();
  }
  next();
}

int ConcurrencySlots::in_flight() const {
  std::lock_guard<std::mutex> lock(mu_);
  return in_flight_;
}

size_t ConcurrencySlots::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace llmeval
