// trace_bench: how fast the tracing module records spans and renders a large waterfall.
//
//   1. Records 1,000,000 spans (start, two attributes, end) on the real clock, once in a single TraceBuilder and once
//      as 1,000 traces of 1,000 spans, and reports spans per second and nanoseconds per span.
//   2. Renders a 10,000-span trace (an item with 100 agent turns of chat + tool spans) and reports milliseconds.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "core/clock.h"
#include "tracing/id_generator.h"
#include "tracing/semconv.h"
#include "tracing/trace_builder.h"
#include "tracing/waterfall.h"

namespace llmeval {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Records `traces` traces of `spans_per_trace` spans each: a root and children with two attributes.
void BenchRecording(int traces, int spans_per_trace) {
  IdGenerator ids(0x5eed);
  size_t total = 0;
  const std::clock_t cpu_start = std::clock();
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < traces; ++t) {
    TraceBuilder trace(Clock::Real(), &ids);
    SpanHandle root = trace.StartSpan("eval_item bench", SpanKind::kInternal);
    for (int i = 1; i < spans_per_trace; ++i) {
      SpanHandle span = trace.StartSpan("execute_tool lookup", SpanKind::kInternal, root);
      trace.SetAttribute(span, semconv::kGenAiOperationName, semconv::kOperationExecuteTool);
      trace.SetAttribute(span, semconv::kGenAiUsageInputTokens, int64_t{i});
      trace.End(span);
    }
    trace.End(root);
    total += trace.Finish().size();
  }
  const double seconds = SecondsSince(start);
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf("record: %zu spans (%d traces x %d): wall %.3f s = %.0f spans/s, %.0f ns/span; cpu %.0f ns/span\n", total,
              traces, spans_per_trace, seconds, total / seconds, seconds * 1e9 / total, cpu_seconds * 1e9 / total);
}

std::vector<Span> BigTrace(int spans_wanted) {
  IdGenerator ids(7);
  FakeClock clock;
  TraceBuilder trace(&clock, &ids);
  SpanHandle root = trace.StartSpan("eval_item big", SpanKind::kInternal);
  int count = 1;
  while (count < spans_wanted) {
    SpanHandle agent = trace.StartSpan("invoke_agent planner", SpanKind::kInternal, root);
    ++count;
    for (int turn = 0; turn < 49 && count + 2 <= spans_wanted; ++turn, count += 2) {
      SpanHandle chat = trace.StartSpan("chat gpt-4o-mini", SpanKind::kClient, agent);
      trace.SetAttribute(chat, semconv::kGenAiOperationName, semconv::kOperationChat);
      trace.SetAttribute(chat, semconv::kGenAiUsageInputTokens, int64_t{100 + turn});
      trace.SetAttribute(chat, semconv::kGenAiUsageOutputTokens, int64_t{20});
      trace.SetAttribute(chat, semconv::kLlmevalCostUsd, 0.0002);
      clock.Advance(300'000'000);
      trace.End(chat);
      SpanHandle tool = trace.StartSpan("execute_tool search", SpanKind::kInternal, agent);
      trace.SetAttribute(tool, semconv::kGenAiToolCallArguments, "{\"q\":\"weather in paris\"}");
      clock.Advance(50'000'000);
      if (turn % 10 == 9) {
        trace.EndWithError(tool, "timeout", "search timed out");
      } else {
        trace.End(tool);
      }
    }
    trace.End(agent);
  }
  trace.End(root);
  return trace.Finish();
}

void BenchWaterfall() {
  const std::vector<Span> spans = BigTrace(10'000);
  WaterfallOptions options;
  options.max_children_before_collapse = 0;  // The worst case: every span drawn, with details.
  std::string text;
  const auto start = std::chrono::steady_clock::now();
  constexpr int kRounds = 20;
  for (int i = 0; i < kRounds; ++i) text = RenderWaterfall(spans, options);
  const double ms = SecondsSince(start) * 1e3 / kRounds;
  std::printf("waterfall: %zu spans rendered in %.2f ms (%zu bytes, all rows, details on)\n", spans.size(), ms,
              text.size());
  options.max_children_before_collapse = 20;
  const auto collapsed_start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) text = RenderWaterfall(spans, options);
  std::printf("waterfall: %zu spans rendered in %.2f ms with collapsing (%zu bytes)\n", spans.size(),
              SecondsSince(collapsed_start) * 1e3 / kRounds, text.size());
}

}  // namespace
}  // namespace llmeval

int main() {
  llmeval::BenchRecording(1, 1'000'000);  // All in memory at once: includes page faults for ~400 MB.
  llmeval::BenchRecording(1'000, 1'000);  // Typical use: many small traces, memory reused.
  llmeval::BenchWaterfall();
  return 0;
}
