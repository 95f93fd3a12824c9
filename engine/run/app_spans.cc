// The run's receiver of the evaluated application's spans (engine/run/app_spans.h).
#include "engine/run/app_spans.h"

#include <pthread.h>

#include <algorithm>
#include <utility>

#include "engine/store/span_rows.h"

namespace llmeval {
namespace {

constexpr char kServiceName[] = "service.name";

}  // namespace

AppSpanSink::AppSpanSink(Clock* clock) : clock_(clock) {
  timer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "llmeval-appspan");
    TimerLoop();
  });
}

AppSpanSink::~AppSpanSink() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  timer_.join();
  // A `ready` still pending belongs to an item the run abandoned (its executor may be gone): it is dropped, not called.
  expected_.clear();
  writer_.reset();  // Writes what is queued.
}

void AppSpanSink::Open(std::unique_ptr<Store> store, int64_t run_id) {
  auto writer = std::make_unique<StoreSpanSink>(std::move(store));
  std::lock_guard<std::mutex> lock(mu_);
  writer_ = std::move(writer);
  run_id_ = run_id;
}

void AppSpanSink::Expect(const std::string& trace_id, const std::string& target_span_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Expected& e = expected_[trace_id];
  e.target_span_id = target_span_id;
}

void AppSpanSink::Answered(const std::string& trace_id, int64_t grace_ns, bool wait_for_entry, Ready ready) {
  std::vector<Span> now;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = expected_.find(trace_id);
    if (it == expected_.end()) {
      now.clear();
    } else {
      Expected& e = it->second;
      e.answered = true;
      e.deadline_mono = clock_->NowMonotonicNanos() + std::max<int64_t>(grace_ns, 0);
      if (e.entry_seen || (!any_entry_ && !wait_for_entry) || grace_ns <= 0) {
        e.ready_called = true;
        now = std::move(e.spans);
        e.spans.clear();
      } else {
        e.ready = std::move(ready);
      }
      wake_.notify_all();
      if (e.ready) return;
    }
  }
  ready(std::move(now));
}

bool AppSpanSink::SawToolSpan(const std::string& trace_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = expected_.find(trace_id);
  return it != expected_.end() && it->second.tool_seen;
}

void AppSpanSink::Settle() {
  std::unique_lock<std::mutex> lock(mu_);
  settled_.wait(lock, [this] {
    return stopping_ || !any_received_ ||
           std::none_of(expected_.begin(), expected_.end(), [](const auto& e) { return e.second.answered; });
  });
}

void AppSpanSink::Submit(std::vector<CollectedSpanRow> spans, Done done) {
  std::vector<std::pair<Ready, std::vector<Span>>> fire;
  StoreSpanSink* writer = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    writer = writer_.get();
    any_received_ = true;
    if (writer != nullptr) {
      const int64_t now = clock_->NowMonotonicNanos();
      for (CollectedSpanRow& row : spans) {
        auto it = expected_.find(row.span.trace_id);
        if (it == expected_.end() || (it->second.answered && now > it->second.deadline_mono)) {
          ++stats_.collected;
          continue;
        }
        Expected& e = it->second;
        Result<Span> span = SpanFromRow(row.span);
        if (!span.ok()) {
          ++stats_.collected;
          continue;
        }
        if (span->parent_span_id.IsZero()) {  // An app that kept the trace id but not the parent: under the target.
          if (std::optional<SpanId> parent = SpanId::FromHex(e.target_span_id)) span->parent_span_id = *parent;
        }
        if (!row.service_name.empty() && FindAttribute(span->attributes, kServiceName) == nullptr) {
          span->attributes.push_back({kServiceName, row.service_name});
        }
        row.span = SpanToRow(*span);
        row.run_id = run_id_;
        ++stats_.attached;
        any_entry_ = true;
        if (row.span.parent_span_id == e.target_span_id) e.entry_seen = true;
        const std::string* kind = FindString(span->attributes, "openinference.span.kind");
        if (FindAttribute(span->attributes, "gen_ai.tool.name") != nullptr || (kind != nullptr && *kind == "TOOL")) {
          e.tool_seen = true;
        }
        if (!e.ready_called) {
          e.spans.push_back(std::move(span.value()));
          if (e.entry_seen && e.ready) {
            e.ready_called = true;
            fire.emplace_back(std::move(e.ready), std::move(e.spans));
            e.ready = nullptr;
            e.spans.clear();
          }
        }
      }
    }
  }
  for (auto& [ready, app_spans] : fire) ready(std::move(app_spans));
  if (writer == nullptr) {
    done(Status::Unavailable("the run is not ready for spans yet; retry"));
    return;
  }
  writer->Submit(std::move(spans), std::move(done));
}

void AppSpanSink::Close() {
  std::unique_ptr<StoreSpanSink> writer;
  {
    std::lock_guard<std::mutex> lock(mu_);
    writer = std::move(writer_);
  }
  writer.reset();
}

AppSpanSink::Stats AppSpanSink::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void AppSpanSink::TimerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    int64_t next = 0;
    for (const auto& [trace, e] : expected_) {
      if (e.answered && (next == 0 || e.deadline_mono < next)) next = e.deadline_mono;
    }
    if (next == 0) {
      wake_.wait(lock);
    } else {
      int64_t wait = next - clock_->NowMonotonicNanos();
      if (wait > 0) wake_.wait_for(lock, std::chrono::nanoseconds(wait));
    }
    if (stopping_) break;
    const int64_t now = clock_->NowMonotonicNanos();
    std::vector<std::pair<Ready, std::vector<Span>>> fire;
    bool expired = false;
    for (auto it = expected_.begin(); it != expected_.end();) {
      Expected& e = it->second;
      if (!e.answered || now < e.deadline_mono) {
        ++it;
        continue;
      }
      if (!e.ready_called && e.ready) fire.emplace_back(std::move(e.ready), std::move(e.spans));
      it = expected_.erase(it);
      expired = true;
    }
    if (expired) settled_.notify_all();
    if (!fire.empty()) {
      lock.unlock();
      for (auto& [ready, app_spans] : fire) ready(std::move(app_spans));
      lock.lock();
    }
  }
  settled_.notify_all();
}

}  // namespace llmeval
