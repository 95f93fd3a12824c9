#include "sample_trace.h"

#include <string>

#include "tracing/semconv.h"

namespace llmeval::testing {
namespace {

namespace sc = semconv;

constexpr int64_t kMs = 1'000'000;

Span MakeSpan(const std::string& span_hex, const std::string& parent_hex, std::string name, SpanKind kind,
              int64_t start_ms, int64_t end_ms) {
  Span span;
  span.trace_id = *TraceId::FromHex("5b8efff798038103d269b633813fc60c");
  span.span_id = *SpanId::FromHex(span_hex);
  if (!parent_hex.empty()) span.parent_span_id = *SpanId::FromHex(parent_hex);
  span.name = std::move(name);
  span.kind = kind;
  span.start_unix_nanos = kSampleT0 + start_ms * kMs;
  span.end_unix_nanos = kSampleT0 + end_ms * kMs;
  return span;
}

Span Chat(const std::string& span_hex, const std::string& parent_hex, const std::string& model, int64_t start_ms,
          int64_t end_ms, int64_t input_tokens, int64_t output_tokens, double cost, const std::string& finish,
          const std::string& purpose) {
  Span span = MakeSpan(span_hex, parent_hex, "chat " + model, SpanKind::kClient, start_ms, end_ms);
  span.attributes = {
      {sc::kOpenInferenceSpanKind, sc::kKindLlm},
      {sc::kLlmevalSpanType, sc::kSpanTypeChat},
      {sc::kGenAiOperationName, sc::kOperationChat},
      {sc::kGenAiProviderName, sc::kProviderOpenAi},
      {sc::kGenAiRequestModel, model},
      {sc::kServerAddress, "api.openai.com"},
      {sc::kServerPort, 443},
      {sc::kGenAiRequestTemperature, 0.0},
      {sc::kGenAiResponseId, "chatcmpl-" + span_hex.substr(12)},
      {sc::kGenAiResponseModel, model + "-2024-07-18"},
      {sc::kGenAiResponseFinishReasons, std::vector<std::string>{finish}},
      {sc::kGenAiUsageInputTokens, input_tokens},
      {sc::kGenAiUsageOutputTokens, output_tokens},
      {sc::kLlmevalCostUsd, cost},
      {sc::kLlmevalCallPurpose, purpose},
  };
  return span;
}

Span Tool(const std::string& span_hex, const std::string& name, int64_t start_ms, int64_t end_ms,
          const std::string& call_id, const std::string& arguments, const std::string& result) {
  Span span = MakeSpan(span_hex, "aa01b2c3d4e5f601", "execute_tool " + name, SpanKind::kInternal, start_ms, end_ms);
  span.attributes = {
      {sc::kOpenInferenceSpanKind, sc::kKindTool},
      {sc::kLlmevalSpanType, sc::kSpanTypeTool},
      {sc::kGenAiOperationName, sc::kOperationExecuteTool},
      {sc::kGenAiToolName, name},
      {sc::kGenAiToolCallId, call_id},
      {sc::kGenAiToolType, sc::kToolTypeFunction},
      {sc::kGenAiToolCallArguments, arguments},
      {sc::kGenAiToolCallResult, result},
  };
  return span;
}

Span Scorer(const std::string& span_hex, const std::string& name, const std::string& type, int64_t start_ms,
            int64_t end_ms) {
  Span span = MakeSpan(span_hex, "eee19b7ec3c1b174", "score " + name, SpanKind::kInternal, start_ms, end_ms);
  span.attributes = {
      {sc::kOpenInferenceSpanKind, sc::kKindEvaluator},
      {sc::kLlmevalSpanType, sc::kSpanTypeScorer},
      {sc::kLlmevalScorerName, name},
      {sc::kLlmevalScorerType, type},
      {sc::kGenAiEvaluationName, name},
  };
  return span;
}

}  // namespace

std::vector<Span> SampleItemTrace() {
  std::vector<Span> spans;

  Span item = MakeSpan("eee19b7ec3c1b174", "", "eval_item weather-qa", SpanKind::kInternal, 0, 2600);
  item.attributes = {
      {sc::kOpenInferenceSpanKind, sc::kKindChain},
      {sc::kLlmevalSpanType, sc::kSpanTypeEvalItem},
      {sc::kLlmevalRunId, "run_01J9Z8"},
      {sc::kLlmevalItemId, "q-0007"},
      {sc::kLlmevalPromptName, "weather"},
      {sc::kLlmevalPromptVersion, "3"},
      {sc::kLlmevalRepeat, 0},
      {sc::kInputValue, "Weather in Paris?"},
      {sc::kOutputValue,
       "It is rainy, 14 \xC2\xB0"
       "C."},
      {sc::kLlmevalUsageInputTokens, 380},
      {sc::kLlmevalUsageOutputTokens, 56},
      {sc::kLlmevalPassed, false},
  };
  item.events.push_back(SpanEvent{sc::kEventEvaluationResult,
                                  kSampleT0 + 2590 * kMs,
                                  {{sc::kGenAiEvaluationName, "correctness"},
                                   {sc::kGenAiEvaluationScoreValue, 1.0},
                                   {sc::kGenAiEvaluationScoreLabel, "pass"}}});
  spans.push_back(item);

  Span agent =
      MakeSpan("aa01b2c3d4e5f601", "eee19b7ec3c1b174", "invoke_agent weather_agent", SpanKind::kInternal, 5, 1900);
  agent.attributes = {
      {sc::kOpenInferenceSpanKind, sc::kKindAgent},
      {sc::kLlmevalSpanType, sc::kSpanTypeAgent},
      {sc::kGenAiOperationName, sc::kOperationInvokeAgent},
      {sc::kGenAiProviderName, sc::kProviderOpenAi},
      {sc::kGenAiAgentName, "weather_agent"},
      {sc::kLlmevalAgentTurns, 2},
  };
  spans.push_back(agent);

  Span first = Chat("aa01b2c3d4e5f602", "aa01b2c3d4e5f601", "gpt-4o-mini", 10, 900, 52, 17, 0.0011, "tool_calls",
                    sc::kPurposeSubject);
  first.events.push_back(
      SpanEvent{sc::kEventRetry,
                kSampleT0 + 300 * kMs,
                {{sc::kLlmevalRetryAttempt, 1}, {sc::kErrorType, "429"}, {sc::kLlmevalWaitMs, 250}}});
  spans.push_back(first);
  spans.push_back(Tool("aa01b2c3d4e5f603", "get_weather", 905, 1010, "call_1", R"({"location":"Paris"})",
                       R"({"temp_c":14,"sky":"rain"})"));
  spans.push_back(Tool("aa01b2c3d4e5f604", "get_time", 906, 960, "call_2", R"({"timezone":"Europe/Paris"})",
                       R"({"time":"14:05"})"));
  spans.push_back(Chat("aa01b2c3d4e5f605", "aa01b2c3d4e5f601", "gpt-4o-mini", 1015, 1890, 88, 9, 0.0004, "stop",
                       sc::kPurposeSubject));

  Span correctness = Scorer("aa01b2c3d4e5f606", "correctness", "llm_judge", 1905, 2580);
  correctness.attributes.emplace_back(sc::kGenAiEvaluationScoreValue, 1.0);
  correctness.attributes.emplace_back(sc::kGenAiEvaluationScoreLabel, "pass");
  correctness.attributes.emplace_back(sc::kGenAiEvaluationExplanation, "Matches the reference: rain and 14 degrees.");
  spans.push_back(correctness);
  spans.push_back(
      Chat("aa01b2c3d4e5f607", "aa01b2c3d4e5f606", "gpt-4o", 1910, 2570, 240, 30, 0.0016, "stop", sc::kPurposeJudge));

  Span exact = Scorer("aa01b2c3d4e5f608", "exact_match", "exact_match", 1905, 1906);
  exact.attributes.emplace_back(sc::kGenAiEvaluationScoreValue, 0.0);
  exact.attributes.emplace_back(sc::kGenAiEvaluationScoreLabel, "fail");
  exact.attributes.emplace_back(sc::kGenAiEvaluationExplanation, "expected \"rain\", got a sentence");
  spans.push_back(exact);

  Span tone = Scorer("aa01b2c3d4e5f609", "tone", "llm_judge", 1906, 2150);
  tone.attributes.emplace_back(sc::kErrorType, sc::kErrorJudgeParse);
  tone.status = SpanStatus::kError;
  tone.status_message = "judge reply is not JSON: expected '{' at line 1, column 1";
  spans.push_back(tone);
  return spans;
}

}  // namespace llmeval::testing
