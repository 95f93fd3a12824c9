// CallGauge: counts the model calls one role of a run (the application, the judges) has in flight at the server and
// remembers the most at once, for the run's summary ("at most 100 model calls in flight"). Providers call Enter when
// a request goes out and Leave when its answer (or failure) is back. Thread-safe: lock-free atomics, any thread. No
// IO; owned by whoever owns the run (RunContext) and referenced by requests (ChatRequest::gauge) for their lifetime.
#ifndef LLMEVAL_CORE_CALL_GAUGE_H_
#define LLMEVAL_CORE_CALL_GAUGE_H_

#include <atomic>
#include <cstdint>

namespace llmeval {

class CallGauge {
 public:
  void Enter() {
    int64_t now = now_.fetch_add(1, std::memory_order_relaxed) + 1;
    int64_t seen = max_.load(std::memory_order_relaxed);
    while (now > seen && !max_.compare_exchange_weak(seen, now, std::memory_order_relaxed)) {
    }
  }
  void Leave() { now_.fetch_sub(1, std::memory_order_relaxed); }
  int64_t now() const { return now_.load(std::memory_order_relaxed); }
  int64_t max() const { return max_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_{0};
  std::atomic<int64_t> max_{0};
};

}  // namespace llmeval

#endif  // LLMEVAL_CORE_CALL_GAUGE_H_
