// A fixed, hand-made trace of one evaluated item, shared by the tracing tests: an eval_item root, an agent with two
// chat calls and two tool calls, and three scorers (one with a judge chat, one failed).
#ifndef LLMEVAL_TESTS_TRACING_SAMPLE_TRACE_H_
#define LLMEVAL_TESTS_TRACING_SAMPLE_TRACE_H_

#include <cstdint>
#include <vector>

#include "tracing/span.h"

namespace llmeval::testing {

inline constexpr int64_t kSampleT0 = 1'767'225'600'000'000'000;  // 2026-01-01T00:00:00Z

std::vector<Span> SampleItemTrace();

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_TRACING_SAMPLE_TRACE_H_
