#include "tracing/waterfall_spans.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

#include "tracing/semconv.h"
#include "tracing/waterfall_text.h"

namespace llmeval::waterfall_spans {

namespace wt = waterfall_text;

Type Classify(const Span& span) {
  static const std::map<std::string, Type, std::less<>> kByName = {
      {semconv::kSpanTypeEvalItem, Type::kItem},
      {semconv::kSpanTypeAgent, Type::kAgent},
      {semconv::kSpanTypeChat, Type::kChat},
      {semconv::kSpanTypeTool, Type::kTool},
      {semconv::kSpanTypeScorer, Type::kScorer},
      {semconv::kKindChain, Type::kItem},
      {semconv::kKindAgent, Type::kAgent},
      {semconv::kKindLlm, Type::kChat},
      {semconv::kKindTool, Type::kTool},
      {semconv::kKindEvaluator, Type::kScorer},
      {semconv::kOperationInvokeAgent, Type::kAgent},
      {semconv::kOperationExecuteTool, Type::kTool},
      {semconv::kOperationTextCompletion, Type::kChat},
      {semconv::kOperationGenerateContent, Type::kChat},
  };
  for (const char* key : {semconv::kLlmevalSpanType, semconv::kOpenInferenceSpanKind, semconv::kGenAiOperationName}) {
    if (const std::string* value = FindString(span.attributes, key)) {
      auto it = kByName.find(*value);
      if (it != kByName.end()) return it->second;
    }
  }
  return Type::kOther;
}

bool IsModelCall(const Span& span) {
  if (const std::string* op = FindString(span.attributes, semconv::kGenAiOperationName)) {
    return *op == semconv::kOperationChat || *op == semconv::kOperationTextCompletion ||
           *op == semconv::kOperationGenerateContent || *op == semconv::kOperationEmbeddings;
  }
  return Classify(span) == Type::kChat;
}

std::optional<int64_t> InputTokens(const Span& span) {
  if (auto n = FindInt(span.attributes, semconv::kGenAiUsageInputTokens)) return n;
  return FindInt(span.attributes, semconv::kLlmevalUsageInputTokens);
}

std::optional<int64_t> OutputTokens(const Span& span) {
  if (auto n = FindInt(span.attributes, semconv::kGenAiUsageOutputTokens)) return n;
  return FindInt(span.attributes, semconv::kLlmevalUsageOutputTokens);
}

bool HasRetries(const Span& span) {
  return std::any_of(span.events.begin(), span.events.end(), [](const SpanEvent& e) {
    return e.name == semconv::kEventRetry || e.name == semconv::kEventRateLimitWait;
  });
}

std::vector<DetailLine> DetailLines(const Span& span) {
  std::vector<DetailLine> lines;
  const Attributes& attributes = span.attributes;
  if (const std::string* args = FindString(attributes, semconv::kGenAiToolCallArguments)) {
    lines.push_back({"args: " + *args, false});
  }
  if (const std::string* result = FindString(attributes, semconv::kGenAiToolCallResult)) {
    lines.push_back({"result: " + *result, false});
  }
  const std::string* label = FindString(attributes, semconv::kGenAiEvaluationScoreLabel);
  const std::optional<double> score = FindNumber(attributes, semconv::kGenAiEvaluationScoreValue);
  const std::string* explanation = FindString(attributes, semconv::kGenAiEvaluationExplanation);
  if (label || score || explanation) {
    std::string text = "verdict:";
    if (label) text += " " + *label;
    if (score) text += label ? " (score " + wt::FormatScore(*score) + ")" : " score " + wt::FormatScore(*score);
    if (explanation) text += ": " + *explanation;
    lines.push_back({text, false});
  }
  if (!span.events.empty()) {
    // "events: llmeval.retry ×2, gen_ai.evaluation.result", in order of first appearance.
    std::vector<std::pair<std::string_view, size_t>> counts;
    for (const SpanEvent& event : span.events) {
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == event.name; });
      if (it == counts.end()) {
        counts.emplace_back(event.name, 1);
      } else {
        ++it->second;
      }
    }
    std::string text = "events:";
    for (size_t i = 0; i < counts.size(); ++i) {
      text += (i == 0 ? " " : ", ") + std::string(counts[i].first);
      if (counts[i].second > 1) text += " \u00D7" + std::to_string(counts[i].second);
    }
    lines.push_back({text, false});
  }
  if (span.status == SpanStatus::kError) {
    std::string text = "error:";
    if (const std::string* type = FindString(attributes, semconv::kErrorType)) text += " " + *type;
    if (!span.status_message.empty()) text += (text.size() > 6 ? ": " : " ") + span.status_message;
    lines.push_back({text, true});
  }
  return lines;
}

}  // namespace llmeval::waterfall_spans
