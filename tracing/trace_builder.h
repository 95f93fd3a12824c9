// TraceBuilder records the spans of one trace (one evaluated item) while the work happens, then hands them over.
//
//   TraceBuilder trace(clock, &ids);
//   SpanHandle item = trace.StartSpan("eval_item qa", SpanKind::kInternal);
//   SpanHandle chat = trace.StartSpan("chat gpt-4o", SpanKind::kClient, item);
//   trace.SetAttribute(chat, semconv::kGenAiUsageInputTokens, int64_t{52});
//   trace.End(chat);
//   trace.End(item);
//   std::vector<Span> spans = trace.Finish();
//
// Times: the builder reads the wall clock (unix nanoseconds) once, when it is made, together with the monotonic clock;
// every start, end and event of the trace is that wall time plus the monotonic time elapsed since. So durations never
// suffer from wall-clock jumps, end >= start always, and a span that ends before its parent (as children do) never
// shows an end after its parent's, however the two clocks drift or the thread is paused between two readings.
//
// Thread-safety: every method is safe to call from several threads at once (one mutex per builder); tool calls and
// judges may record their spans concurrently. Recording is cheap (a few hundred nanoseconds per span).
//
// Errors: misuse is tolerated rather than fatal. An invalid or stale handle makes a call a no-op (StartSpan with an
// invalid parent starts a root span); ending a span twice keeps the first end. Finish() closes spans still open with
// status error "span left open"; after Finish() the builder is spent and records nothing more.
#ifndef LLMEVAL_TRACING_TRACE_BUILDER_H_
#define LLMEVAL_TRACING_TRACE_BUILDER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.h"
#include "tracing/id_generator.h"
#include "tracing/span.h"

namespace llmeval {

// Names a span inside one TraceBuilder. Default-constructed: no span (as a parent: "make a root span").
struct SpanHandle {
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t index = kNone;
  bool valid() const { return index != kNone; }
};

class TraceBuilder {
 public:
  // `clock` and `ids` must outlive the builder. The trace id comes from `ids` unless one is given.
  TraceBuilder(Clock* clock, IdGenerator* ids);
  TraceBuilder(Clock* clock, IdGenerator* ids, TraceId trace_id);
  TraceBuilder(const TraceBuilder&) = delete;
  TraceBuilder& operator=(const TraceBuilder&) = delete;

  const TraceId& trace_id() const { return trace_id_; }

  SpanHandle StartSpan(std::string name, SpanKind kind, SpanHandle parent = SpanHandle());

  // Sets one attribute; a key set twice keeps the last value.
  void SetAttribute(SpanHandle span, std::string key, AttributeValue value);
  void SetAttributes(SpanHandle span, Attributes attributes);
  // Adds an event stamped now (a retry, a rate-limit wait, an evaluation result).
  void AddEvent(SpanHandle span, std::string name, Attributes attributes = {});
  // Adds an event that happened at wall time `unix_nanos` (a retried attempt that failed earlier), placed within the
  // span: no earlier than its start, no later than now.
  void AddEventAt(SpanHandle span, int64_t unix_nanos, std::string name, Attributes attributes = {});

  // Ends the span now with the given status.
  void End(SpanHandle span, SpanStatus status = SpanStatus::kUnset, std::string status_message = "");
  // Ends the span now as failed: status error with `message`, and attribute error.type = `error_type`.
  void EndWithError(SpanHandle span, std::string error_type, std::string message);

  // The span's id (zero for an invalid handle), e.g. to send as a traceparent header.
  SpanId span_id(SpanHandle span) const;

  // Returns every span recorded, in start order, closing open ones as errors. The builder is spent afterwards.
  std::vector<Span> Finish();

 private:
  // REQUIRES: mu_ held. Null for an invalid, stale or finished handle.
  Span* Lookup(SpanHandle span);
  // Adds the event at `unix_nanos`, kept between the span's start and `now_unix`.
  void AddEventNear(SpanHandle span, int64_t unix_nanos, int64_t now_unix, std::string name, Attributes attributes);
  void EndLocked(uint32_t index, int64_t now_mono, SpanStatus status, std::string message);

  // The trace's wall time at monotonic reading `mono`.
  int64_t UnixAt(int64_t mono) const { return anchor_unix_ + (mono - anchor_mono_); }

  Clock* const clock_;
  IdGenerator* const ids_;
  const TraceId trace_id_;
  const int64_t anchor_unix_;  // Wall and monotonic time read together when the builder was made.
  const int64_t anchor_mono_;

  struct Recording {
    Span span;
    bool open = true;
  };

  mutable std::mutex mu_;
  bool finished_ = false;
  // Spans are only reached through their index under mu_, so they may move when the vector grows. An evaluated
  // item records a handful of spans: one allocation (at the first span) holds them.
  std::vector<Recording> spans_;
};

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_TRACE_BUILDER_H_
