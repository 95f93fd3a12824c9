// The collector's store writer (engine/collector/store_span_sink.h).
#include "engine/collector/store_span_sink.h"

#include <pthread.h>

#include <vector>

#include "engine/store/collected_spans.h"

namespace llmeval {

StoreSpanSink::StoreSpanSink(std::unique_ptr<Store> store, size_t max_queued_spans, size_t batch_spans, Clock* clock)
    : store_(std::move(store)), max_queued_spans_(max_queued_spans), batch_spans_(batch_spans), clock_(clock) {
  store_->db()->Exec("PRAGMA wal_autocheckpoint=1000");
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "llmeval-store");
    Loop();
  });
}

StoreSpanSink::~StoreSpanSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void StoreSpanSink::Submit(std::vector<CollectedSpanRow> spans, Done done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queued_spans_ + spans.size() <= max_queued_spans_ || queue_.empty()) {
      queued_spans_ += spans.size();
      queue_.push_back({std::move(spans), std::move(done)});
      wake_.notify_one();
      return;
    }
    ++stats_.refused_full;
  }
  done(Status::Unavailable("the collector's write queue is full (" + std::to_string(max_queued_spans_) +
                           " spans wait for the store); retry later"));
}

StoreSpanSink::Stats StoreSpanSink::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void StoreSpanSink::Loop() {
  CollectedSpanWriter writer(store_.get());
  std::vector<Pending> batch;
  std::vector<CollectedSpanRow> rows;
  while (true) {
    size_t taken = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping, and everything is written.
      batch.clear();
      while (!queue_.empty() && (taken == 0 || taken + queue_.front().spans.size() <= batch_spans_)) {
        taken += queue_.front().spans.size();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    rows.clear();
    rows.reserve(taken);
    for (Pending& p : batch) {
      for (CollectedSpanRow& r : p.spans) rows.push_back(std::move(r));
    }
    Status s = writer.Write(rows, clock_->NowUnixNanos());
    {
      std::lock_guard<std::mutex> lock(mu_);
      queued_spans_ -= taken;
      ++stats_.transactions;
      if (s.ok()) {
        stats_.spans_written += static_cast<int64_t>(taken);
      } else {
        ++stats_.failed_transactions;
        stats_.last_error = s.message();
      }
    }
    Status answer = s.ok() ? s : Status::Unavailable("the store cannot take the spans now: " + s.message());
    for (Pending& p : batch) p.done(answer);
  }
}

}  // namespace llmeval
