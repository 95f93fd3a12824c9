// What the terminal waterfall (tracing/waterfall.h) reads from a span: its category, tokens, retries, and the detail
// lines drawn under it. Internal to the tracing module. Pure functions, thread-safe.
#ifndef LLMEVAL_TRACING_WATERFALL_SPANS_H_
#define LLMEVAL_TRACING_WATERFALL_SPANS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tracing/span.h"

namespace llmeval::waterfall_spans {

enum class Type { kItem, kAgent, kChat, kTool, kScorer, kOther };

// From llmeval.span.type, else openinference.span.kind, else gen_ai.operation.name.
Type Classify(const Span& span);

// Model calls are the spans whose tokens and cost the header adds up (agents and items may carry totals of them).
bool IsModelCall(const Span& span);

// gen_ai.usage.* tokens, else the llmeval.usage.* totals of an item.
std::optional<int64_t> InputTokens(const Span& span);
std::optional<int64_t> OutputTokens(const Span& span);

// True when the span has retry or rate-limit-wait events.
bool HasRetries(const Span& span);

struct DetailLine {
  std::string text;  // One line, not yet cut to the width.
  bool error = false;
};

// Tool arguments and result, the scorer verdict, a summary of events, and the error, in that order.
std::vector<DetailLine> DetailLines(const Span& span);

}  // namespace llmeval::waterfall_spans

#endif  // LLMEVAL_TRACING_WATERFALL_SPANS_H_
