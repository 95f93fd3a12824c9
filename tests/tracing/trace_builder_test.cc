#include "tracing/trace_builder.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tracing/semconv.h"

namespace llmeval {
namespace {

constexpr int64_t kMs = 1'000'000;

const Span& Named(const std::vector<Span>& spans, const std::string& name) {
  for (const Span& span : spans) {
    if (span.name == name) return span;
  }
  ADD_FAILURE() << "no span named " << name;
  static const Span kEmpty;
  return kEmpty;
}

// A clock whose wall and monotonic readings the test sets apart, as NTP steps or a paused thread make them.
class TwoHandClock : public Clock {
 public:
  int64_t NowUnixNanos() override { return wall; }
  int64_t NowMonotonicNanos() override { return mono; }
  int64_t wall = 2'000'000'000'000'000'000;
  int64_t mono = 50;
};

TEST(TraceBuilderTest, NestsSpansWithParentLinksAndTimes) {
  FakeClock clock;
  const int64_t t0 = clock.NowUnixNanos();
  IdGenerator ids(1);
  TraceBuilder trace(&clock, &ids);
  SpanHandle item = trace.StartSpan("eval_item qa", SpanKind::kInternal);
  clock.Advance(5 * kMs);
  SpanHandle chat = trace.StartSpan("chat gpt-4o", SpanKind::kClient, item);
  trace.SetAttribute(chat, semconv::kGenAiUsageInputTokens, 52);
  trace.SetAttribute(chat, semconv::kGenAiRequestModel, "gpt-4o");
  trace.SetAttribute(chat, semconv::kGenAiUsageInputTokens, 53);  // Last value wins.
  clock.Advance(100 * kMs);
  trace.AddEvent(chat, semconv::kEventRetry, {{semconv::kLlmevalRetryAttempt, 1}});
  clock.Advance(200 * kMs);
  trace.End(chat);
  SpanHandle tool = trace.StartSpan("execute_tool search", SpanKind::kInternal, item);
  clock.Advance(10 * kMs);
  trace.EndWithError(tool, "timeout", "tool took too long");
  clock.Advance(1 * kMs);
  trace.End(item, SpanStatus::kOk);
  std::vector<Span> spans = trace.Finish();

  ASSERT_EQ(spans.size(), 3u);
  const Span& root = Named(spans, "eval_item qa");
  const Span& call = Named(spans, "chat gpt-4o");
  const Span& failed = Named(spans, "execute_tool search");
  EXPECT_EQ(spans[0].name, "eval_item qa");  // Start order.
  EXPECT_TRUE(root.parent_span_id.IsZero());
  EXPECT_EQ(call.parent_span_id, root.span_id);
  EXPECT_EQ(failed.parent_span_id, root.span_id);
  for (const Span& span : spans) {
    EXPECT_EQ(span.trace_id, trace.trace_id());
    EXPECT_FALSE(span.span_id.IsZero());
  }
  EXPECT_EQ(root.start_unix_nanos, t0);
  EXPECT_EQ(root.end_unix_nanos, t0 + 316 * kMs);
  EXPECT_EQ(call.start_unix_nanos, t0 + 5 * kMs);
  EXPECT_EQ(call.DurationNanos(), 300 * kMs);
  EXPECT_GE(call.start_unix_nanos, root.start_unix_nanos);
  EXPECT_LE(call.end_unix_nanos, root.end_unix_nanos);
  EXPECT_EQ(call.kind, SpanKind::kClient);
  EXPECT_EQ(FindInt(call.attributes, semconv::kGenAiUsageInputTokens), 53);
  EXPECT_EQ(call.attributes.size(), 2u);
  ASSERT_EQ(call.events.size(), 1u);
  EXPECT_EQ(call.events[0].time_unix_nanos, t0 + 105 * kMs);
  EXPECT_EQ(call.status, SpanStatus::kUnset);
  EXPECT_EQ(root.status, SpanStatus::kOk);
  EXPECT_EQ(failed.status, SpanStatus::kError);
  EXPECT_EQ(failed.status_message, "tool took too long");
  EXPECT_EQ(*FindString(failed.attributes, semconv::kErrorType), "timeout");
}

TEST(TraceBuilderTest, DurationsComeFromTheMonotonicClock) {
  // The wall clock jumps backwards while monotonic time moves forward.
  TwoHandClock clock;
  IdGenerator ids(2);
  TraceBuilder trace(&clock, &ids);
  SpanHandle span = trace.StartSpan("s", SpanKind::kInternal);
  clock.wall -= 3'600'000'000'000;  // NTP steps the wall clock back an hour.
  clock.mono += 7 * kMs;
  trace.End(span);
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].start_unix_nanos, 2'000'000'000'000'000'000);
  EXPECT_EQ(spans[0].DurationNanos(), 7 * kMs);
}

TEST(TraceBuilderTest, ChildrenStayInsideTheirParentWhateverTheWallClockDoes) {
  // The wall clock steps back and forth between spans (NTP, or a thread paused between reading the two clocks): a
  // child that ends before its parent must still end no later, and start no earlier, than its parent.
  TwoHandClock clock;
  IdGenerator ids(4);
  TraceBuilder trace(&clock, &ids);
  SpanHandle root = trace.StartSpan("root", SpanKind::kInternal);
  clock.mono += 1000;
  clock.wall -= 7000;  // Wall time behind: a naive child start would precede its parent's.
  SpanHandle child = trace.StartSpan("child", SpanKind::kInternal, root);
  clock.wall += 20000;
  clock.mono += 5000;
  trace.AddEvent(child, "retry");
  trace.End(child);
  clock.mono += 1;
  trace.End(root);
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 2u);
  const Span& r = spans[0];
  const Span& c = spans[1];
  EXPECT_EQ(r.start_unix_nanos, 2'000'000'000'000'000'000);
  EXPECT_EQ(c.start_unix_nanos, r.start_unix_nanos + 1000);
  EXPECT_EQ(c.DurationNanos(), 5000);
  EXPECT_EQ(r.end_unix_nanos, c.end_unix_nanos + 1);
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].time_unix_nanos, c.end_unix_nanos);
}

TEST(TraceBuilderTest, EventsAtAGivenTimeStayWithinTheSpan) {
  FakeClock clock;
  IdGenerator ids(5);
  TraceBuilder trace(&clock, &ids);
  SpanHandle span = trace.StartSpan("chat", SpanKind::kClient);
  const int64_t start = clock.NowUnixNanos();
  clock.Advance(10 * kMs);
  trace.AddEventAt(span, start + 4 * kMs, "retry");  // When the failed attempt ended.
  trace.AddEventAt(span, start - 1 * kMs, "early");  // Before the span: moved to its start.
  trace.AddEventAt(span, start + 60 * kMs, "late");  // After now: moved to now.
  clock.Advance(5 * kMs);
  trace.End(span);
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 1u);
  ASSERT_EQ(spans[0].events.size(), 3u);
  EXPECT_EQ(spans[0].events[0].time_unix_nanos, start + 4 * kMs);
  EXPECT_EQ(spans[0].events[1].time_unix_nanos, start);
  EXPECT_EQ(spans[0].events[2].time_unix_nanos, start + 10 * kMs);
}

TEST(TraceBuilderTest, OpenSpansAreClosedAsErrorsOnFinish) {
  FakeClock clock;
  IdGenerator ids(3);
  TraceBuilder trace(&clock, &ids);
  SpanHandle item = trace.StartSpan("item", SpanKind::kInternal);
  SpanHandle child = trace.StartSpan("child", SpanKind::kInternal, item);
  trace.End(child);
  clock.Advance(42 * kMs);
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].status, SpanStatus::kError);
  EXPECT_EQ(spans[0].status_message, "span left open");
  EXPECT_EQ(*FindString(spans[0].attributes, semconv::kErrorType), semconv::kErrorSpanLeftOpen);
  EXPECT_EQ(spans[0].DurationNanos(), 42 * kMs);
  EXPECT_EQ(spans[1].status, SpanStatus::kUnset);
}

TEST(TraceBuilderTest, MisuseIsHarmless) {
  FakeClock clock;
  IdGenerator ids(4);
  TraceBuilder trace(&clock, &ids);
  SpanHandle span = trace.StartSpan("s", SpanKind::kInternal, SpanHandle{999});  // Unknown parent: a root.
  clock.Advance(kMs);
  trace.End(span, SpanStatus::kError, "first");
  clock.Advance(kMs);
  trace.End(span, SpanStatus::kOk, "second");  // Ignored: already ended.
  trace.SetAttribute(SpanHandle(), "k", 1);    // Ignored: no span.
  trace.AddEvent(SpanHandle{7}, "e");          // Ignored: no such span.
  EXPECT_TRUE(trace.span_id(SpanHandle()).IsZero());
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_TRUE(spans[0].parent_span_id.IsZero());
  EXPECT_EQ(spans[0].status_message, "first");
  EXPECT_EQ(spans[0].DurationNanos(), kMs);
  // A spent builder records nothing more.
  EXPECT_FALSE(trace.StartSpan("late", SpanKind::kInternal).valid());
  EXPECT_TRUE(trace.Finish().empty());
}

TEST(TraceBuilderTest, ConcurrentUseFromThreads) {
  FakeClock clock;
  IdGenerator ids(5);
  TraceBuilder trace(&clock, &ids);
  SpanHandle item = trace.StartSpan("item", SpanKind::kInternal);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        SpanHandle tool = trace.StartSpan("execute_tool t" + std::to_string(t), SpanKind::kInternal, item);
        trace.SetAttribute(tool, semconv::kGenAiToolCallId, "call_" + std::to_string(i));
        trace.AddEvent(tool, "tick");
        SpanHandle inner = trace.StartSpan("inner", SpanKind::kInternal, tool);
        clock.Advance(1);
        trace.End(inner);
        trace.End(tool);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  trace.End(item);
  std::vector<Span> spans = trace.Finish();
  ASSERT_EQ(spans.size(), 1u + 2 * kThreads * kPerThread);
  std::set<std::string> ids_seen;
  std::set<std::string> tool_ids;
  for (const Span& span : spans) {
    ids_seen.insert(span.span_id.Hex());
    EXPECT_NE(span.status, SpanStatus::kError) << span.name;
    if (span.name != "inner" && span.name != "item") {
      tool_ids.insert(span.span_id.Hex());
      EXPECT_EQ(span.parent_span_id, spans[0].span_id);
      EXPECT_EQ(span.attributes.size(), 1u);
      EXPECT_EQ(span.events.size(), 1u);
    }
  }
  for (const Span& span : spans) {
    if (span.name == "inner") {
      EXPECT_EQ(tool_ids.count(span.parent_span_id.Hex()), 1u);
    }
  }
  EXPECT_EQ(ids_seen.size(), spans.size());
}

}  // namespace
}  // namespace llmeval
