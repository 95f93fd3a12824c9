#include "tracing/trace_builder.h"

#include <algorithm>
#include <utility>

#include "tracing/semconv.h"

namespace llmeval {
namespace {

// Room for an evaluated item's usual spans (item, agent, chats, scorers) before the vector grows.
constexpr size_t kSpansReserved = 8;

}  // namespace

TraceBuilder::TraceBuilder(Clock* clock, IdGenerator* ids)
    : TraceBuilder(clock, ids, ids->NewTraceId(clock->NowUnixNanos() / 1000000)) {}

TraceBuilder::TraceBuilder(Clock* clock, IdGenerator* ids, TraceId trace_id)
    : clock_(clock),
      ids_(ids),
      trace_id_(trace_id),
      anchor_unix_(clock->NowUnixNanos()),
      anchor_mono_(clock->NowMonotonicNanos()) {}

Span* TraceBuilder::Lookup(SpanHandle span) {
  if (finished_ || !span.valid() || span.index >= spans_.size()) return nullptr;
  return &spans_[span.index].span;
}

SpanHandle TraceBuilder::StartSpan(std::string name, SpanKind kind, SpanHandle parent) {
  // Read the clock and draw the id before taking the lock: they need no protection of ours.
  const int64_t now_mono = clock_->NowMonotonicNanos();
  const int64_t now_unix = UnixAt(now_mono);
  const SpanId id = ids_->NewSpanId();

  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || spans_.size() >= SpanHandle::kNone) return SpanHandle();
  if (spans_.empty()) spans_.reserve(kSpansReserved);
  SpanId parent_id;
  if (parent.valid() && parent.index < spans_.size()) parent_id = spans_[parent.index].span.span_id;
  Recording& recording = spans_.emplace_back();
  Span& span = recording.span;
  span.trace_id = trace_id_;
  span.span_id = id;
  span.parent_span_id = parent_id;
  span.name = std::move(name);
  span.kind = kind;
  span.start_unix_nanos = now_unix;
  span.end_unix_nanos = now_unix;
  return SpanHandle{static_cast<uint32_t>(spans_.size() - 1)};
}

void TraceBuilder::SetAttribute(SpanHandle span, std::string key, AttributeValue value) {
  std::lock_guard<std::mutex> lock(mu_);
  if (Span* s = Lookup(span)) llmeval::SetAttribute(&s->attributes, std::move(key), std::move(value));
}

void TraceBuilder::SetAttributes(SpanHandle span, Attributes attributes) {
  std::lock_guard<std::mutex> lock(mu_);
  Span* s = Lookup(span);
  if (s == nullptr) return;
  for (Attribute& attribute : attributes) {
    llmeval::SetAttribute(&s->attributes, std::move(attribute.first), std::move(attribute.second));
  }
}

void TraceBuilder::AddEvent(SpanHandle span, std::string name, Attributes attributes) {
  const int64_t now_unix = UnixAt(clock_->NowMonotonicNanos());
  AddEventNear(span, now_unix, now_unix, std::move(name), std::move(attributes));
}

void TraceBuilder::AddEventAt(SpanHandle span, int64_t unix_nanos, std::string name, Attributes attributes) {
  AddEventNear(span, unix_nanos, UnixAt(clock_->NowMonotonicNanos()), std::move(name), std::move(attributes));
}

void TraceBuilder::AddEventNear(SpanHandle span, int64_t unix_nanos, int64_t now_unix, std::string name,
                                Attributes attributes) {
  std::lock_guard<std::mutex> lock(mu_);
  Span* s = Lookup(span);
  if (s == nullptr) return;
  SpanEvent& event = s->events.emplace_back();
  event.name = std::move(name);
  event.time_unix_nanos = std::clamp(unix_nanos, s->start_unix_nanos, std::max(now_unix, s->start_unix_nanos));
  event.attributes = std::move(attributes);
}

void TraceBuilder::EndLocked(uint32_t index, int64_t now_mono, SpanStatus status, std::string message) {
  Recording& recording = spans_[index];
  if (!recording.open) return;
  recording.open = false;
  Span& span = recording.span;
  span.end_unix_nanos = std::max(UnixAt(now_mono), span.start_unix_nanos);
  span.status = status;
  span.status_message = std::move(message);
}

void TraceBuilder::End(SpanHandle span, SpanStatus status, std::string status_message) {
  const int64_t now_mono = clock_->NowMonotonicNanos();
  std::lock_guard<std::mutex> lock(mu_);
  if (Lookup(span) == nullptr) return;
  EndLocked(span.index, now_mono, status, std::move(status_message));
}

void TraceBuilder::EndWithError(SpanHandle span, std::string error_type, std::string message) {
  const int64_t now_mono = clock_->NowMonotonicNanos();
  std::lock_guard<std::mutex> lock(mu_);
  Span* s = Lookup(span);
  if (s == nullptr || !spans_[span.index].open) return;
  llmeval::SetAttribute(&s->attributes, semconv::kErrorType, std::move(error_type));
  EndLocked(span.index, now_mono, SpanStatus::kError, std::move(message));
}

SpanId TraceBuilder::span_id(SpanHandle span) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_ || !span.valid() || span.index >= spans_.size()) return SpanId();
  return spans_[span.index].span.span_id;
}

std::vector<Span> TraceBuilder::Finish() {
  const int64_t now_mono = clock_->NowMonotonicNanos();
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return {};
  for (uint32_t i = 0; i < spans_.size(); ++i) {
    if (!spans_[i].open) continue;
    llmeval::SetAttribute(&spans_[i].span.attributes, semconv::kErrorType, semconv::kErrorSpanLeftOpen);
    EndLocked(i, now_mono, SpanStatus::kError, "span left open");
  }
  finished_ = true;
  std::vector<Span> spans;
  spans.reserve(spans_.size());
  for (Recording& recording : spans_) spans.push_back(std::move(recording.span));
  spans_.clear();
  return spans;
}

}  // namespace llmeval
