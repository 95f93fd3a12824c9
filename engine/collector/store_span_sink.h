// StoreSpanSink: a SpanSink that writes collected spans to the store on one writer thread ("llmeval-store"), in
// batched transactions: whatever requests arrived while the previous transaction committed go into the next one (up
// to `batch_spans`), and each request's `done` is called after its transaction commits, so an exporter is told 200
// only for spans that are stored. Memory is bounded: when `max_queued_spans` wait already, a request is refused at
// once (Unavailable: 503, the exporter retries later). A failed transaction (a full disk, a store locked longer than
// the busy timeout) refuses its requests the same way and the writer goes on with the next ones.
//
// Submit is thread-safe. The destructor writes what is queued, then joins.
#ifndef LLMEVAL_ENGINE_COLLECTOR_STORE_SPAN_SINK_H_
#define LLMEVAL_ENGINE_COLLECTOR_STORE_SPAN_SINK_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "engine/collector/span_sink.h"
#include "engine/store/store.h"

namespace llmeval {

class StoreSpanSink : public SpanSink {
 public:
  // Takes `store`, a connection used only by the writer thread.
  explicit StoreSpanSink(std::unique_ptr<Store> store, size_t max_queued_spans = 100000, size_t batch_spans = 8192,
                         Clock* clock = Clock::Real());
  ~StoreSpanSink() override;

  void Submit(std::vector<CollectedSpanRow> spans, Done done) override;

  struct Stats {
    int64_t spans_written = 0;
    int64_t transactions = 0;
    int64_t failed_transactions = 0;
    int64_t refused_full = 0;  // Requests refused because the queue was full.
    std::string last_error;
  };
  Stats stats() const;

 private:
  struct Pending {
    std::vector<CollectedSpanRow> spans;
    Done done;
  };
  void Loop();

  std::unique_ptr<Store> store_;
  size_t max_queued_spans_;
  size_t batch_spans_;
  Clock* clock_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  size_t queued_spans_ = 0;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_COLLECTOR_STORE_SPAN_SINK_H_
