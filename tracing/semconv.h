// Every span name prefix, attribute key, attribute value and event name llmeval writes into traces, in one place.
//
// The names follow the OpenTelemetry GenAI semantic conventions pinned below (gen_ai.*, error.*, server.*), the
// OpenInference conventions read by Phoenix and similar viewers (openinference.*, input.*, output.*), and llmeval's
// own namespace (llmeval.*) for what neither standard covers (run and item ids, cost, scorer verdicts, retries).
// When the conventions rename something, this header is the only file to change.
//
// Constants only; no state, thread-safe.
#ifndef LLMEVAL_TRACING_SEMCONV_H_
#define LLMEVAL_TRACING_SEMCONV_H_

namespace llmeval::semconv {

// The semantic-conventions release the names below are taken from, and its schema URL (written on OTLP scope spans).
inline constexpr char kSemconvVersion[] = "1.41.1";
inline constexpr char kSchemaUrl[] = "https://opentelemetry.io/schemas/1.41.1";
// The instrumentation scope name in OTLP exports.
inline constexpr char kScopeName[] = "llmeval";

// ---- Span names: "<prefix> <detail>", e.g. "chat gpt-4o-mini", "execute_tool get_weather". ----
inline constexpr char kSpanEvalItem[] = "eval_item";        // + task or prompt name
inline constexpr char kSpanChat[] = "chat";                 // + request model
inline constexpr char kSpanExecuteTool[] = "execute_tool";  // + tool name
inline constexpr char kSpanInvokeAgent[] = "invoke_agent";  // + agent name
inline constexpr char kSpanScore[] = "score";               // + scorer name

// ---- Resource attributes (once per export). ----
inline constexpr char kServiceName[] = "service.name";
inline constexpr char kServiceVersion[] = "service.version";
inline constexpr char kTelemetrySdkName[] = "telemetry.sdk.name";
inline constexpr char kTelemetrySdkLanguage[] = "telemetry.sdk.language";
inline constexpr char kOpenInferenceProjectName[] = "openinference.project.name";

// ---- OpenTelemetry general. ----
inline constexpr char kErrorType[] = "error.type";          // string; low-cardinality error class ("timeout", "429")
inline constexpr char kErrorTypeOther[] = "_OTHER";         // fallback value of error.type
inline constexpr char kServerAddress[] = "server.address";  // string
inline constexpr char kServerPort[] = "server.port";        // int
inline constexpr char kHttpResponseStatusCode[] = "http.response.status_code";  // int

// ---- GenAI: operation and provider. ----
inline constexpr char kGenAiOperationName[] = "gen_ai.operation.name";  // string, one of kOperation*
inline constexpr char kGenAiProviderName[] = "gen_ai.provider.name";    // string ("openai", "anthropic", ...)
inline constexpr char kGenAiConversationId[] = "gen_ai.conversation.id";
inline constexpr char kGenAiOutputType[] = "gen_ai.output.type";  // "text", "json", ...

inline constexpr char kOperationChat[] = "chat";
inline constexpr char kOperationTextCompletion[] = "text_completion";
inline constexpr char kOperationGenerateContent[] = "generate_content";
inline constexpr char kOperationEmbeddings[] = "embeddings";
inline constexpr char kOperationExecuteTool[] = "execute_tool";
inline constexpr char kOperationInvokeAgent[] = "invoke_agent";

inline constexpr char kProviderOpenAi[] = "openai";

// ---- GenAI: request parameters. ----
inline constexpr char kGenAiRequestModel[] = "gen_ai.request.model";                   // string
inline constexpr char kGenAiRequestTemperature[] = "gen_ai.request.temperature";       // double
inline constexpr char kGenAiRequestTopP[] = "gen_ai.request.top_p";                    // double
inline constexpr char kGenAiRequestMaxTokens[] = "gen_ai.request.max_tokens";          // int
inline constexpr char kGenAiRequestSeed[] = "gen_ai.request.seed";                     // int
inline constexpr char kGenAiRequestStopSequences[] = "gen_ai.request.stop_sequences";  // string[]
inline constexpr char kGenAiRequestStream[] = "gen_ai.request.stream";                 // bool, only when streaming
inline constexpr char kGenAiRequestFrequencyPenalty[] = "gen_ai.request.frequency_penalty";  // double
inline constexpr char kGenAiRequestPresencePenalty[] = "gen_ai.request.presence_penalty";    // double
inline constexpr char kGenAiRequestChoiceCount[] = "gen_ai.request.choice.count";            // int, when != 1

// ---- GenAI: response. ----
inline constexpr char kGenAiResponseId[] = "gen_ai.response.id";                                 // string
inline constexpr char kGenAiResponseModel[] = "gen_ai.response.model";                           // string
inline constexpr char kGenAiResponseFinishReasons[] = "gen_ai.response.finish_reasons";          // string[]
inline constexpr char kGenAiResponseTimeToFirstChunk[] = "gen_ai.response.time_to_first_chunk";  // double, seconds

// ---- GenAI: token usage (input includes cached tokens, output includes reasoning tokens). ----
inline constexpr char kGenAiUsageInputTokens[] = "gen_ai.usage.input_tokens";
inline constexpr char kGenAiUsageOutputTokens[] = "gen_ai.usage.output_tokens";
inline constexpr char kGenAiUsageCacheReadInputTokens[] = "gen_ai.usage.cache_read.input_tokens";
inline constexpr char kGenAiUsageReasoningOutputTokens[] = "gen_ai.usage.reasoning.output_tokens";

// ---- GenAI: content, as JSON strings in the v1.41.1 message schemas. ----
inline constexpr char kGenAiInputMessages[] = "gen_ai.input.messages";
inline constexpr char kGenAiOutputMessages[] = "gen_ai.output.messages";
inline constexpr char kGenAiSystemInstructions[] = "gen_ai.system_instructions";
inline constexpr char kGenAiToolDefinitions[] = "gen_ai.tool.definitions";

// ---- GenAI: tools and agents. ----
inline constexpr char kGenAiToolName[] = "gen_ai.tool.name";
inline constexpr char kGenAiToolCallId[] = "gen_ai.tool.call.id";
inline constexpr char kGenAiToolType[] = "gen_ai.tool.type";  // "function"
inline constexpr char kGenAiToolDescription[] = "gen_ai.tool.description";
inline constexpr char kGenAiToolCallArguments[] = "gen_ai.tool.call.arguments";  // JSON string
inline constexpr char kGenAiToolCallResult[] = "gen_ai.tool.call.result";        // JSON string or text
inline constexpr char kGenAiAgentName[] = "gen_ai.agent.name";
inline constexpr char kGenAiAgentId[] = "gen_ai.agent.id";
inline constexpr char kToolTypeFunction[] = "function";

// ---- GenAI: evaluation (also the attributes of the kEventEvaluationResult event). ----
inline constexpr char kGenAiEvaluationName[] = "gen_ai.evaluation.name";                // string
inline constexpr char kGenAiEvaluationScoreValue[] = "gen_ai.evaluation.score.value";   // double
inline constexpr char kGenAiEvaluationScoreLabel[] = "gen_ai.evaluation.score.label";   // "pass", "fail", ...
inline constexpr char kGenAiEvaluationExplanation[] = "gen_ai.evaluation.explanation";  // free text

// ---- OpenAI-specific. ----
inline constexpr char kOpenAiApiType[] = "openai.api.type";  // "chat_completions"
inline constexpr char kOpenAiResponseSystemFingerprint[] = "openai.response.system_fingerprint";

// ---- OpenInference. Every span carries openinference.span.kind. ----
inline constexpr char kOpenInferenceSpanKind[] = "openinference.span.kind";
inline constexpr char kKindLlm[] = "LLM";
inline constexpr char kKindTool[] = "TOOL";
inline constexpr char kKindAgent[] = "AGENT";
inline constexpr char kKindEvaluator[] = "EVALUATOR";
inline constexpr char kKindChain[] = "CHAIN";
inline constexpr char kInputValue[] = "input.value";
inline constexpr char kInputMimeType[] = "input.mime_type";
inline constexpr char kOutputValue[] = "output.value";
inline constexpr char kOutputMimeType[] = "output.mime_type";
inline constexpr char kMimeTextPlain[] = "text/plain";
inline constexpr char kMimeJson[] = "application/json";

// ---- llmeval: span classification. ----
inline constexpr char kLlmevalSpanType[] = "llmeval.span.type";  // one of kSpanType*
inline constexpr char kSpanTypeEvalItem[] = "eval_item";
inline constexpr char kSpanTypeAgent[] = "agent";
inline constexpr char kSpanTypeChat[] = "chat";
inline constexpr char kSpanTypeTool[] = "tool";
inline constexpr char kSpanTypeScorer[] = "scorer";

// ---- llmeval: the evaluated item (root span). ----
inline constexpr char kLlmevalRunId[] = "llmeval.run.id";                  // string
inline constexpr char kLlmevalTaskName[] = "llmeval.task.name";            // string
inline constexpr char kLlmevalItemId[] = "llmeval.item.id";                // string
inline constexpr char kLlmevalItemIndex[] = "llmeval.item.index";          // int
inline constexpr char kLlmevalPromptName[] = "llmeval.prompt.name";        // string
inline constexpr char kLlmevalPromptVersion[] = "llmeval.prompt.version";  // string
inline constexpr char kLlmevalRepeat[] = "llmeval.repeat";                 // int, 0-based repeat of the item
inline constexpr char kLlmevalModel[] = "llmeval.model";                   // string, the subject model alias
inline constexpr char kLlmevalPassed[] = "llmeval.passed";                 // bool
// Totals over the item's model calls, kept apart from gen_ai.usage.* so viewers do not count them twice.
inline constexpr char kLlmevalUsageInputTokens[] = "llmeval.usage.input_tokens";
inline constexpr char kLlmevalUsageOutputTokens[] = "llmeval.usage.output_tokens";

// ---- llmeval: model calls. ----
inline constexpr char kLlmevalCallPurpose[] = "llmeval.call.purpose";  // kPurposeSubject or kPurposeJudge
inline constexpr char kPurposeSubject[] = "subject";
inline constexpr char kPurposeJudge[] = "judge";
inline constexpr char kLlmevalCostUsd[] = "llmeval.cost.usd";        // double, USD (GenAI semconv has no cost)
inline constexpr char kLlmevalRetryCount[] = "llmeval.retry.count";  // int
inline constexpr char kLlmevalCacheHit[] = "llmeval.cache.hit";      // bool, answered from the response cache

// ---- llmeval: agents. ----
inline constexpr char kLlmevalAgentTurns[] = "llmeval.agent.turns";              // int
inline constexpr char kLlmevalAgentMaxTurns[] = "llmeval.agent.max_turns";       // int
inline constexpr char kLlmevalConversationTurn[] = "llmeval.conversation.turn";  // int, 1-based
inline constexpr char kLlmevalAgentStopReason[] = "llmeval.agent.stop_reason";   // "final", "max_turns", "error"

// ---- llmeval: scorers. ----
inline constexpr char kLlmevalScorerName[] = "llmeval.scorer.name";  // string
inline constexpr char kLlmevalScorerType[] = "llmeval.scorer.type";  // "llm_judge", "exact_match", "regex", ...
inline constexpr char kLlmevalJudgeModel[] = "llmeval.judge.model";  // string

// ---- llmeval: export bookkeeping. ----
// string[]: the keys whose string values an exporter cut to the size limit ("<event>/<key>" for event attributes).
inline constexpr char kLlmevalTruncatedAttributes[] = "llmeval.truncated_attributes";

// ---- Span events. ----
inline constexpr char kEventEvaluationResult[] = "gen_ai.evaluation.result";  // attributes: kGenAiEvaluation*
inline constexpr char kEventRetry[] = "llmeval.retry";  // attributes below, plus error.type / http status
inline constexpr char kEventRateLimitWait[] = "llmeval.rate_limit_wait";  // a wait for the client-side limiter
inline constexpr char kLlmevalRetryAttempt[] = "llmeval.retry.attempt";   // int, 1-based
inline constexpr char kLlmevalWaitMs[] = "llmeval.wait_ms";               // int, milliseconds waited

// ---- Error types llmeval itself assigns. ----
inline constexpr char kErrorSpanLeftOpen[] = "span_left_open";
inline constexpr char kErrorJudgeParse[] = "judge_parse_error";

}  // namespace llmeval::semconv

#endif  // LLMEVAL_TRACING_SEMCONV_H_
