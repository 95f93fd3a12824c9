// Clock: the one way llmeval reads time, so tests can control it. Wall time (unix nanoseconds) stamps spans and
// records; monotonic time measures durations. Implementations are thread-safe.
#ifndef LLMEVAL_CORE_CLOCK_H_
#define LLMEVAL_CORE_CLOCK_H_

#include <atomic>
#include <cstdint>

namespace llmeval {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowUnixNanos() = 0;
  virtual int64_t NowMonotonicNanos() = 0;

  // The process-wide real clock.
  static Clock* Real();
};

// A clock that moves only when told to. Both readings advance together.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_unix_nanos = 1'700'000'000'000'000'000) : unix_(start_unix_nanos) {}
  int64_t NowUnixNanos() override { return unix_.load(); }
  int64_t NowMonotonicNanos() override { return unix_.load() - base_; }
  void Advance(int64_t nanos) { unix_ += nanos; }

 private:
  std::atomic<int64_t> unix_;
  const int64_t base_ = 1'000'000'000'000'000'000;
};

}  // namespace llmeval

#endif  // LLMEVAL_CORE_CLOCK_H_
