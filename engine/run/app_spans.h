// AppSpanSink: the run-scoped SpanSink behind `llmeval run --target`. The run's OtlpReceiver (engine/collector) hands
// it the spans the evaluated application exports to OTEL_EXPORTER_OTLP_ENDPOINT; a span whose trace id belongs to an
// item of the run joins that item's trace (stored with the run's id, under the item's target span, its resource's
// service.name copied onto it as the `service.name` attribute so the waterfall, report and UI can mark it), as long as
// it arrives before the item's answer or within the target's grace period after it. Every other span (a foreign
// trace id, or later than the grace) is stored as a collected trace of its own, as `llmeval collect` would.
//
// The item side: Expect(trace) before the app is called, Answered(trace, grace, ready) when it replied. `ready` gets
// the app's spans received so far, for the scorers: at once when the app's entry span (the child of the target span)
// is in or when the app has not sent one span in this run (an uninstrumented app costs no wait), else when the entry
// span arrives or the grace has passed. Settle() waits until every answered item's grace has passed (the end of the
// run), unless no span at all has arrived during the run (an uninstrumented app: nothing to wait for); the destructor
// writes what is queued.
//
// Thread-safe. `ready` runs on the receiver's loop thread, the sink's timer thread or the caller's: keep it short.
#ifndef LLMEVAL_ENGINE_RUN_APP_SPANS_H_
#define LLMEVAL_ENGINE_RUN_APP_SPANS_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "engine/collector/span_sink.h"
#include "engine/collector/store_span_sink.h"
#include "engine/store/store.h"
#include "tracing/span.h"

namespace llmeval {

class AppSpanSink : public SpanSink {
 public:
  using Ready = std::function<void(std::vector<Span> app_spans)>;

  explicit AppSpanSink(Clock* clock = Clock::Real());
  ~AppSpanSink() override;

  // Before the first item: the connection the writer thread uses, and the run attached spans join. Until then spans
  // are refused (503: the exporter retries).
  void Open(std::unique_ptr<Store> store, int64_t run_id);

  // Ids as lowercase hex. The app is about to be called for the item whose trace is `trace_id`.
  void Expect(const std::string& trace_id, const std::string& target_span_id);
  // The app answered (or failed): its spans are still attached for `grace_ns`; `ready` is called once (unless the sink
  // is destroyed first: an abandoned item's `ready` is dropped).
  // `wait_for_entry`: wait for the entry span even when the app has sent no span in the run yet.
  void Answered(const std::string& trace_id, int64_t grace_ns, bool wait_for_entry, Ready ready);
  // Whether a tool-call span (gen_ai.tool.name, or an OpenInference TOOL span) of the trace has arrived.
  bool SawToolSpan(const std::string& trace_id) const;
  // Blocks until every answered item's grace has passed; returns at once when no span has arrived in the run.
  void Settle();
  // Writes what is queued and refuses spans from now on (after the receiver has stopped).
  void Close();

  void Submit(std::vector<CollectedSpanRow> spans, Done done) override;

  struct Stats {
    int64_t attached = 0;   // Spans that joined an item's trace.
    int64_t collected = 0;  // Spans stored as collected traces (foreign or late).
  };
  Stats stats() const;

 private:
  struct Expected {
    std::string target_span_id;
    bool answered = false;
    int64_t deadline_mono = 0;  // Answered: the end of the grace.
    bool entry_seen = false;
    bool tool_seen = false;
    bool ready_called = false;
    std::vector<Span> spans;  // Received so far, until `ready` has been called.
    Ready ready;
  };
  void TimerLoop();

  Clock* clock_;
  mutable std::mutex mu_;
  std::condition_variable wake_;     // The timer thread: a new deadline or stopping.
  std::condition_variable settled_;  // Settle(): an answered item's grace has passed.
  std::map<std::string, Expected> expected_;
  std::unique_ptr<StoreSpanSink> writer_;
  int64_t run_id_ = 0;
  bool any_entry_ = false;     // Some span of the run has joined an item's trace.
  bool any_received_ = false;  // Some span has arrived at all.
  bool stopping_ = false;
  Stats stats_;
  std::thread timer_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_APP_SPANS_H_
