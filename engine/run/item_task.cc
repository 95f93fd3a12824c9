#include "engine/run/item_task.h"

#include <simdjson.h>

#include <string_view>

#include "core/hash.h"
#include "core/json_writer.h"
#include "engine/providers/openai_client_codec.h"
#include "engine/providers/openai_server_codec.h"
#include "engine/store/span_rows.h"
#include "tracing/semconv.h"
#include "tracing/span_codec.h"

namespace llmeval {
namespace {

std::string MessagesJson(const std::vector<ChatMessage>& messages) {
  size_t size = 2;
  for (const ChatMessage& m : messages) size += 40 + (m.content.has_value() ? m.content->size() : 0);
  JsonWriter w(size);
  w.BeginArray();
  for (const ChatMessage& m : messages) {
    w.BeginObject();
    w.Field("role", m.role);
    if (m.content.has_value()) w.Field("content", *m.content);
    if (!m.tool_calls.empty()) {
      w.Key("tool_calls");
      w.BeginArray();
      for (const ToolCall& c : m.tool_calls) {
        w.BeginObject();
        w.Field("id", c.id);
        w.Field("name", c.name);
        w.Field("arguments", c.arguments_json);
        w.EndObject();
      }
      w.EndArray();
    }
    if (!m.tool_call_id.empty()) w.Field("tool_call_id", m.tool_call_id);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

AssessmentRow ToRow(const Assessment& a) {
  AssessmentRow row;
  row.name = a.name;
  row.outcome = AssessmentOutcomeName(a.outcome);
  row.score = a.score;
  row.label = a.label;
  row.rationale = a.rationale;
  row.source = AssessmentSourceName(a.source);
  row.error = a.error;
  row.judge_model = a.judge_model;
  row.judge_input_tokens = a.judge_input_tokens;
  row.judge_output_tokens = a.judge_output_tokens;
  row.judge_cost_usd = a.judge_cost_usd;
  row.judge_samples = a.judge_samples;
  if (a.judge_samples > 0) row.judge_agreement = a.judge_agreement;
  return row;
}

void SetAssessmentAttributes(TraceBuilder* trace, SpanHandle span, const Assessment& a) {
  trace->SetAttribute(span, semconv::kGenAiEvaluationName, a.name);
  trace->SetAttribute(span, semconv::kGenAiEvaluationScoreLabel, std::string(AssessmentOutcomeName(a.outcome)));
  if (a.score.has_value()) trace->SetAttribute(span, semconv::kGenAiEvaluationScoreValue, *a.score);
  if (!a.rationale.empty()) trace->SetAttribute(span, semconv::kGenAiEvaluationExplanation, a.rationale);
  if (a.outcome == AssessmentOutcome::kError) {
    trace->EndWithError(span, "scorer_error", a.error);
  } else {
    trace->End(span);
  }
}

}  // namespace

ItemTask::ItemTask(const RunContext* ctx, const Variant* variant, DataRow row, int repeat, DoneCallback on_done)
    : ctx_(ctx),
      variant_(variant),
      row_(std::move(row)),
      repeat_(repeat),
      on_done_(std::move(on_done)),
      trace_(ctx->clock, ctx->ids) {}

void ItemTask::Start() {
  record_.run_id = ctx_->run_id;
  record_.variant_id = variant_->record.id;
  record_.row_index = row_.index;
  record_.repeat = repeat_;
  record_.item_key = ctx_->id_column >= 0 ? RowContentId(row_, ctx_->id_column) : RowContentId(row_);
  record_.started_unix_ns = ctx_->clock->NowUnixNanos();
  record_.trace_id = trace_.trace_id().Hex();

  JsonWriter inputs;
  inputs.BeginObject();
  for (size_t i = 0; i < ctx_->columns.size() && i < row_.values.size(); ++i) {
    variables_[ctx_->columns[i]] = row_.values[i];
    inputs.Field(ctx_->columns[i], row_.values[i]);
  }
  inputs.EndObject();
  record_.inputs_json = inputs.Take();
  for (const auto& [name, value] : ctx_->fixed_variables) variables_[name] = value;
  for (const auto& [placeholder, column] : ctx_->placeholder_columns) {
    if (column >= 0 && static_cast<size_t>(column) < row_.values.size()) variables_[placeholder] = row_.values[column];
  }

  StartItemSpan(row_.index, repeat_);
  const VariantRecord& v = variant_->record;

  if (variant_->target != nullptr && !variant_->target_prompt) {
    answer_start_mono_ = ctx_->clock->NowMonotonicNanos();
    CallTarget();
    return;
  }
  Result<std::string> rendered = variant_->user_template->Render(variables_);
  if (!rendered.ok()) {
    record_.error = rendered.status().message();
    record_.error_type = "render_error";
    FinishAnswer("error");
    return;
  }
  record_.rendered_input = *rendered;
  trace_.SetAttribute(root_, semconv::kInputValue, record_.rendered_input);
  if (!variant_->system_text.empty()) messages_.push_back(ChatMessage::System(variant_->system_text));
  if (ctx_->conversation.mode.empty()) messages_.push_back(ChatMessage::User(record_.rendered_input));
  if (!ctx_->tool_specs.empty()) {
    agent_ = trace_.StartSpan(std::string(semconv::kSpanInvokeAgent) + " " + v.prompt_name, SpanKind::kInternal, root_);
    trace_.SetAttribute(agent_, semconv::kGenAiOperationName, std::string(semconv::kOperationInvokeAgent));
    trace_.SetAttribute(agent_, semconv::kGenAiAgentName, v.prompt_name);
    trace_.SetAttribute(agent_, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindAgent));
    trace_.SetAttribute(agent_, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeAgent));
    trace_.SetAttribute(agent_, semconv::kLlmevalAgentMaxTurns, static_cast<int64_t>(ctx_->max_steps));
  }
  answer_start_mono_ = ctx_->clock->NowMonotonicNanos();
  if (!ctx_->conversation.mode.empty()) {
    StartConversation();
    return;
  }
  if (variant_->target != nullptr) {
    variables_["prompt"] = record_.rendered_input;
    CallTarget();
    return;
  }
  CallModel();
}

void ItemTask::StartFromStored(const ItemRecord& stored, std::vector<ToolCallRecord> tool_calls) {
  record_ = stored;
  record_.id = 0;
  record_.run_id = ctx_->run_id;
  record_.variant_id = variant_->record.id;
  record_.assessments.clear();
  record_.spans.clear();
  record_.cache_entries.clear();
  record_.trace_id = trace_.trace_id().Hex();
  simdjson::dom::parser parser;
  simdjson::dom::object inputs;
  if (parser.parse(stored.inputs_json).get(inputs) == simdjson::SUCCESS) {
    for (auto field : inputs) {
      std::string_view value;
      if (field.value.get(value) == simdjson::SUCCESS) variables_[std::string(field.key)] = std::string(value);
    }
  }
  for (const auto& [name, value] : ctx_->fixed_variables) variables_[name] = value;
  output_ = stored.output.value_or("");
  tool_records_ = std::move(tool_calls);
  StartItemSpan(record_.row_index, record_.repeat);
  trace_.SetAttribute(root_, semconv::kInputValue, record_.rendered_input);
  if (stored.output.has_value()) trace_.SetAttribute(root_, semconv::kOutputValue, *stored.output);
  ScoreCode();
}

void ItemTask::StartItemSpan(int64_t row_index, int repeat) {
  const VariantRecord& v = variant_->record;
  root_ = trace_.StartSpan(std::string(semconv::kSpanEvalItem) + " " + v.prompt_name, SpanKind::kInternal);
  trace_.SetAttribute(root_, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeEvalItem));
  trace_.SetAttribute(root_, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindChain));
  trace_.SetAttribute(root_, semconv::kLlmevalRunId, std::to_string(ctx_->run_id));
  trace_.SetAttribute(root_, semconv::kLlmevalItemId, record_.item_key);
  trace_.SetAttribute(root_, semconv::kLlmevalItemIndex, row_index);
  trace_.SetAttribute(root_, semconv::kLlmevalPromptName, v.prompt_name);
  trace_.SetAttribute(root_, semconv::kLlmevalPromptVersion, std::to_string(v.prompt_version));
  trace_.SetAttribute(root_, semconv::kLlmevalRepeat, static_cast<int64_t>(repeat));
  trace_.SetAttribute(root_, semconv::kLlmevalModel, v.model);
}

void ItemTask::Call(ChatProvider* provider, const std::string& provider_key, const std::string& provider_name,
                    ChatRequest request, SpanHandle parent, const char* purpose, ReplyCallback done) {
  SpanHandle span = trace_.StartSpan(std::string(semconv::kSpanChat) + " " + request.model, SpanKind::kClient, parent);
  trace_.SetAttribute(span, semconv::kGenAiOperationName, std::string(semconv::kOperationChat));
  trace_.SetAttribute(span, semconv::kGenAiProviderName, provider_name);
  trace_.SetAttribute(span, semconv::kGenAiRequestModel, request.model);
  trace_.SetAttribute(span, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindLlm));
  trace_.SetAttribute(span, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeChat));
  trace_.SetAttribute(span, semconv::kLlmevalCallPurpose, std::string(purpose));
  if (request.temperature.has_value())
    trace_.SetAttribute(span, semconv::kGenAiRequestTemperature, *request.temperature);
  if (request.max_tokens.has_value()) trace_.SetAttribute(span, semconv::kGenAiRequestMaxTokens, *request.max_tokens);
  if (request.seed.has_value()) trace_.SetAttribute(span, semconv::kGenAiRequestSeed, *request.seed);
  trace_.SetAttribute(span, semconv::kGenAiInputMessages, MessagesJson(request.messages));

  // The response cache's key: a hash of everything that determines the answer. Only worth its CPU with a cache.
  std::string key;
  if (ctx_->cache != nullptr) {
    Sha256 hash;
    hash.Update(provider_key);
    hash.Update("\n");
    hash.Update(EncodeChatRequestJson(request));
    hash.Update("\nrepeat=" + std::to_string(repeat_));
    key = hash.HexDigest();
  }
  auto self = shared_from_this();
  auto finish = [this, self, span, key, done = std::move(done), model = request.model](ChatResult result,
                                                                                       bool cache_hit) {
    const ChatResponse& r = result.response;
    trace_.SetAttribute(span, semconv::kLlmevalCacheHit, cache_hit);
    for (size_t i = 1; i < result.attempts.size(); ++i) {
      const CallAttempt& a = result.attempts[i - 1];
      Attributes event;
      event.push_back({semconv::kLlmevalRetryAttempt, static_cast<int64_t>(i)});
      event.push_back({semconv::kHttpResponseStatusCode, static_cast<int64_t>(a.http_status)});
      event.push_back({semconv::kLlmevalWaitMs, result.attempts[i].wait_before_nanos / 1000000});
      if (!a.error.empty()) event.push_back({semconv::kErrorType, a.error});
      // At the end of the failed attempt, when the retry was decided, not when the whole call came back.
      trace_.AddEventAt(span, a.start_unix_nanos + a.duration_nanos, semconv::kEventRetry, std::move(event));
    }
    if (!result.attempts.empty()) {
      trace_.SetAttribute(span, semconv::kLlmevalRetryCount, static_cast<int64_t>(result.attempts.size() - 1));
    }
    if (!result.status.ok()) {
      if (r.http_status != 0)
        trace_.SetAttribute(span, semconv::kHttpResponseStatusCode, static_cast<int64_t>(r.http_status));
      trace_.EndWithError(span,
                          r.http_status != 0 ? std::to_string(r.http_status) : StatusCodeName(result.status.code()),
                          result.status.message());
      done(std::move(result), cache_hit);
      return;
    }
    trace_.SetAttribute(span, semconv::kGenAiResponseId, r.id);
    trace_.SetAttribute(span, semconv::kGenAiResponseModel, r.model);
    trace_.SetAttribute(span, semconv::kGenAiResponseFinishReasons, std::vector<std::string>{r.finish_reason});
    trace_.SetAttribute(span, semconv::kGenAiUsageInputTokens, r.usage.input_tokens);
    trace_.SetAttribute(span, semconv::kGenAiUsageOutputTokens, r.usage.output_tokens);
    if (r.usage.cached_tokens > 0)
      trace_.SetAttribute(span, semconv::kGenAiUsageCacheReadInputTokens, r.usage.cached_tokens);
    if (r.usage.reasoning_tokens > 0) {
      trace_.SetAttribute(span, semconv::kGenAiUsageReasoningOutputTokens, r.usage.reasoning_tokens);
    }
    std::optional<double> cost = ctx_->prices != nullptr ? ctx_->prices->CostUsd(model, r.usage) : std::nullopt;
    if (cost.has_value()) trace_.SetAttribute(span, semconv::kLlmevalCostUsd, *cost);
    trace_.SetAttribute(span, semconv::kGenAiOutputMessages, MessagesJson({r.message}));
    trace_.End(span);
    if (!cache_hit && ctx_->cache != nullptr) {
      // The body as the provider sent it decodes to this same response; encoding the parsed one costs more.
      std::string body = std::move(result.response.body_json);
      record_.cache_entries.push_back({key, body.empty() ? EncodeChatResponseJson(r) : std::move(body)});
    }
    done(std::move(result), cache_hit);
  };

  if (ctx_->cache != nullptr) {
    std::optional<std::string> hit = ctx_->cache->Get(key);
    if (hit.has_value()) {
      Result<ChatResponse> cached = DecodeChatResponseJson(*hit);
      if (cached.ok()) {
        ChatResult result;
        result.response = std::move(cached.value());
        result.response.from_cache = true;
        if (ctx_->cpu == nullptr) {
          finish(std::move(result), true);
        } else {
          // On a CPU worker like any reply, so a rerun answered from the cache still scores items in parallel
          // rather than each finished item starting, and finishing, the next on one thread.
          ctx_->cpu->Submit([finish, result = std::move(result)]() mutable { finish(std::move(result), true); });
        }
        return;
      }
    }
  }
  CpuExecutor* cpu = ctx_->cpu;
  request.gauge = std::string_view(purpose) == semconv::kPurposeJudge ? &ctx_->judge_calls : &ctx_->app_calls;
  provider->Chat(std::move(request), [finish, cpu](ChatResult result) mutable {
    if (cpu == nullptr) {
      finish(std::move(result), false);
      return;
    }
    // Hand the reply to a CPU thread: the IO thread goes back to moving bytes.
    cpu->Submit([finish, result = std::move(result)]() mutable { finish(std::move(result), false); });
  });
}

void ItemTask::CallModel() {
  ChatRequest request;
  request.model = variant_->api_model;
  request.messages = messages_;
  request.temperature = ctx_->temperature;
  request.max_tokens = ctx_->max_tokens;
  request.use_max_completion_tokens = ctx_->use_max_completion_tokens;
  request.seed = ctx_->seed;
  request.tools = ctx_->tool_specs;
  SpanHandle parent = turn_span_.valid() ? turn_span_ : agent_.valid() ? agent_ : root_;
  auto self = shared_from_this();
  Call(variant_->provider, variant_->provider_key, variant_->provider_name, std::move(request), parent,
       semconv::kPurposeSubject,
       [this, self](ChatResult result, bool cache_hit) { OnModelReply(std::move(result), cache_hit); });
}

void ItemTask::OnModelReply(ChatResult result, bool cache_hit) {
  ++record_.model_calls;
  if (!cache_hit) any_cache_miss_ = true;
  if (!result.status.ok()) {
    record_.error = result.status.message();
    record_.error_type = result.response.http_status != 0 ? "http_" + std::to_string(result.response.http_status)
                                                          : StatusCodeName(result.status.code());
    FinishAnswer("error");
    return;
  }
  const ChatResponse& r = result.response;
  record_.input_tokens += r.usage.input_tokens;
  record_.output_tokens += r.usage.output_tokens;
  record_.cached_tokens += r.usage.cached_tokens;
  record_.reasoning_tokens += r.usage.reasoning_tokens;
  std::optional<double> cost =
      ctx_->prices != nullptr ? ctx_->prices->CostUsd(variant_->api_model, r.usage) : std::nullopt;
  if (record_.model_calls == 1) {
    record_.cost_usd = cost;
    record_.ttfb_ms = static_cast<double>(r.time_to_first_byte_ns) / 1e6;
  } else if (record_.cost_usd.has_value()) {
    record_.cost_usd = cost.has_value() ? std::optional<double>(*record_.cost_usd + *cost) : std::nullopt;
  }
  record_.finish_reason = r.finish_reason;
  if (!r.message.tool_calls.empty() && !ctx_->tool_specs.empty()) {
    if (steps_ >= ctx_->max_steps) {
      output_ = r.message.content.value_or("");
      record_.finish_reason = "max_steps";
      FinishAnswer("max_steps");
      return;
    }
    messages_.push_back(r.message);
    RunTools(r.message.tool_calls);
    return;
  }
  output_ = r.message.content.has_value() ? *r.message.content : r.refusal;
  if (!ctx_->conversation.mode.empty()) {
    OnTurnAnswered();
    return;
  }
  FinishAnswer("final");
}

void ItemTask::RunTools(std::vector<ToolCall> calls) {
  ++steps_;
  struct Turn {
    std::vector<ToolCall> calls;
    std::vector<ToolOutcome> outcomes;
    size_t remaining;
  };
  auto turn = std::make_shared<Turn>(Turn{calls, std::vector<ToolOutcome>(calls.size()), calls.size()});
  auto self = shared_from_this();
  for (size_t i = 0; i < calls.size(); ++i) {
    SpanHandle span = trace_.StartSpan(std::string(semconv::kSpanExecuteTool) + " " + calls[i].name,
                                       SpanKind::kInternal, turn_span_.valid() ? turn_span_ : agent_);
    trace_.SetAttribute(span, semconv::kGenAiOperationName, std::string(semconv::kOperationExecuteTool));
    trace_.SetAttribute(span, semconv::kGenAiToolName, calls[i].name);
    trace_.SetAttribute(span, semconv::kGenAiToolCallId, calls[i].id);
    trace_.SetAttribute(span, semconv::kGenAiToolType, std::string(semconv::kToolTypeFunction));
    trace_.SetAttribute(span, semconv::kGenAiToolCallArguments, calls[i].arguments_json);
    trace_.SetAttribute(span, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindTool));
    trace_.SetAttribute(span, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeTool));
    ctx_->tool_pool->Submit([this, self, turn, i, span] {
      ToolOutcome outcome = ctx_->tools->Execute(turn->calls[i]);
      trace_.SetAttribute(span, semconv::kGenAiToolCallResult, outcome.text);
      if (outcome.failed) {
        trace_.EndWithError(span, outcome.error_type, outcome.text);
      } else {
        trace_.End(span);
      }
      bool last = false;
      {
        std::lock_guard<std::mutex> lock(tools_mu_);
        turn->outcomes[i] = std::move(outcome);
        last = --turn->remaining == 0;
      }
      if (!last) return;
      for (size_t k = 0; k < turn->calls.size(); ++k) {
        messages_.push_back(ChatMessage::Tool(turn->calls[k].id, turn->outcomes[k].text));
        tool_records_.push_back(
            {turn->calls[k].name, turn->calls[k].arguments_json, turn->outcomes[k].text, turn->outcomes[k].failed});
      }
      CallModel();
    });
  }
}

void ItemTask::FinishAnswer(const std::string& stop_reason) {
  latency_ns_ = static_cast<double>(ctx_->clock->NowMonotonicNanos() - answer_start_mono_);
  record_.latency_ms = latency_ns_ / 1e6;
  record_.from_cache = record_.model_calls > 0 && !any_cache_miss_;
  record_.tool_calls = static_cast<int>(tool_records_.size());
  if (!ctx_->conversation.mode.empty()) CloseConversation(stop_reason);
  if (agent_.valid()) {
    trace_.SetAttribute(agent_, semconv::kLlmevalAgentTurns, static_cast<int64_t>(steps_));
    trace_.SetAttribute(agent_, semconv::kLlmevalAgentStopReason, stop_reason);
    if (stop_reason == "error") {
      trace_.EndWithError(agent_, record_.error_type, record_.error);
    } else {
      trace_.End(agent_);
    }
  }
  if (record_.error.empty()) {
    record_.output = output_;
    trace_.SetAttribute(root_, semconv::kOutputValue, output_);
  }
  if (!AwaitAppSpans()) AfterAnswer();
}

void ItemTask::AfterAnswer() {
  if (ctx_->generate_only) {
    Finish();
    return;
  }
  ScoreCode();
}

void ItemTask::ScoreCode() {
  // The item's own copies are not read again after this point: the scorers' context takes them.
  scoring_.rendered_input = record_.rendered_input;
  scoring_.output = std::move(output_);
  scoring_.variables = std::move(variables_);
  scoring_.tool_calls = std::move(tool_records_);
  scoring_.finish_reason = record_.finish_reason;
  scoring_.errored = !record_.error.empty();
  scoring_.error = record_.error;
  scoring_.latency_ms = static_cast<int64_t>(record_.latency_ms);
  scoring_.cost_usd = record_.cost_usd;
  scoring_.input_tokens = record_.input_tokens;
  scoring_.output_tokens = record_.output_tokens;
  for (const ToolCallRecord& t : scoring_.tool_calls) {
    scoring_.trace_summary += "tool " + t.name + "(" + t.arguments_json + ") -> " + t.result.substr(0, 500) + "\n";
  }
  scoring_.trace_summary += app_summary_;  // A target's model calls, from its own spans.
  for (const auto& scorer : ctx_->scorers) {
    if (scorer->is_judge()) continue;
    SpanHandle span =
        trace_.StartSpan(std::string(semconv::kSpanScore) + " " + scorer->name(), SpanKind::kInternal, root_);
    trace_.SetAttribute(span, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindEvaluator));
    trace_.SetAttribute(span, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeScorer));
    trace_.SetAttribute(span, semconv::kLlmevalScorerName, scorer->name());
    Assessment a =
        ctx_->conversation.turn_scorers.count(scorer->name()) > 0 ? ScoreTurns(*scorer, span) : scorer->Score(scoring_);
    a.name = scorer->name();
    SetAssessmentAttributes(&trace_, span, a);
    assessments_.push_back(ToRow(a));
  }
  NextJudge();
}

void ItemTask::NextJudge() {
  while (judge_index_ < ctx_->scorers.size()) {
    const Scorer* scorer = ctx_->scorers[judge_index_].get();
    if (!scorer->is_judge()) {
      ++judge_index_;
      continue;
    }
    const auto* judge = static_cast<const JudgeScorer*>(scorer);
    std::optional<Assessment> early = judge->Precheck(scoring_);
    if (early.has_value()) {
      early->name = judge->name();
      assessments_.push_back(ToRow(*early));
      ++judge_index_;
      continue;
    }
    judge_span_ = trace_.StartSpan(std::string(semconv::kSpanScore) + " " + judge->name(), SpanKind::kInternal, root_);
    trace_.SetAttribute(judge_span_, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindEvaluator));
    trace_.SetAttribute(judge_span_, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeScorer));
    trace_.SetAttribute(judge_span_, semconv::kLlmevalScorerName, judge->name());
    trace_.SetAttribute(judge_span_, semconv::kLlmevalScorerType, std::string("llm_judge"));
    judge_samples_.clear();
    judge_sample_ = 0;
    judge_parent_ = judge_span_;
    judge_scoring_ = &scoring_;
    if (ctx_->conversation.turn_scorers.count(judge->name()) > 0 && !scoring_.transcript.empty()) {
      judge_turns_ = TurnContexts();
      judge_turn_ = 0;
      judge_turn_verdicts_.clear();
      if (AskJudgeTurn(judge)) return;
      Assessment none = judge_turns_.empty() ? ErrorAssessment(judge->name(), "the conversation has no assistant turn")
                                             : CombineTurns(judge->name(), judge_turn_verdicts_);
      judge_turns_.clear();
      OnJudgeVerdict(judge, std::move(none));
      return;
    }
    std::optional<ChatRequest> request = judge->BuildJudgeRequest(scoring_, 0);
    if (!request.has_value()) {
      Assessment a = SkippedAssessment(judge->name(), "the judge does not apply to this item");
      SetAssessmentAttributes(&trace_, judge_span_, a);
      assessments_.push_back(ToRow(a));
      ++judge_index_;
      continue;
    }
    AskJudge(judge, 0, false, std::move(*request));
    return;
  }
  Finish();
}

void ItemTask::AskJudge(const JudgeScorer* judge, int sample, bool reask, ChatRequest request) {
  ChatProvider* provider = ctx_->judge_provider;
  const std::string* provider_key = &ctx_->judge_provider_key;
  const std::string* provider_name = &ctx_->judge_provider_name;
  request.model = ctx_->judge_model;
  auto own = ctx_->judge_targets.find(judge->name());
  if (own != ctx_->judge_targets.end()) {
    provider = own->second.provider;
    provider_key = &own->second.provider_key;
    provider_name = &own->second.provider_name;
    request.model = own->second.model;
  }
  ChatRequest sent = request;
  auto self = shared_from_this();
  Call(provider, *provider_key, *provider_name, std::move(request), judge_parent_, semconv::kPurposeJudge,
       [this, self, judge, sample, reask, sent](ChatResult result, bool) {
         if (!reask) judge_samples_.push_back(JudgeSampleResult());
         JudgeSampleResult& out = judge_samples_.back();
         out.model = sent.model;
         if (!result.status.ok()) {
           out.error = "judge call failed: " + result.status.message();
         } else {
           const ChatResponse& r = result.response;
           out.input_tokens += r.usage.input_tokens;
           out.output_tokens += r.usage.output_tokens;
           std::optional<double> cost =
               ctx_->prices != nullptr ? ctx_->prices->CostUsd(sent.model, r.usage) : std::nullopt;
           if (cost.has_value()) out.cost_usd = out.cost_usd.value_or(0) + *cost;
           Result<JudgeVerdict> verdict = judge->ParseVerdict(r);
           if (verdict.ok()) {
             out.verdict = *verdict;
             out.error.clear();
           } else if (!reask) {
             AskJudge(judge, sample, true, judge->BuildReaskRequest(sent, r));
             return;
           } else {
             out.error = "unparseable verdict after one re-ask: " + verdict.status().message();
           }
         }
         int next = sample + 1;
         if (next < judge->samples()) {
           std::optional<ChatRequest> again = judge->BuildJudgeRequest(*judge_scoring_, next);
           if (again.has_value()) {
             AskJudge(judge, next, false, std::move(*again));
             return;
           }
         }
         OnJudgeVerdict(judge, judge->Combine(judge_samples_));
       });
}

void ItemTask::OnJudgeVerdict(const JudgeScorer* judge, Assessment verdict) {
  if (!judge_turns_.empty()) {
    if (judge_turn_ < judge_turns_.size()) {  // The verdict on turn judge_turn_.
      EndTurnSpan(judge_parent_, static_cast<int>(judge_turn_) + 1, judge->name(), verdict);
      judge_turn_verdicts_.push_back(std::move(verdict));
      ++judge_turn_;
      if (AskJudgeTurn(judge)) return;
      verdict = CombineTurns(judge->name(), judge_turn_verdicts_);
    }
    judge_turns_.clear();
    judge_scoring_ = &scoring_;
  }
  verdict.name = judge->name();
  SetAssessmentAttributes(&trace_, judge_span_, verdict);
  assessments_.push_back(ToRow(verdict));
  ++judge_index_;
  NextJudge();
}

void ItemTask::Finish() {
  bool all_passed = !assessments_.empty();
  for (const AssessmentRow& a : assessments_)
    all_passed = all_passed && (a.outcome == "pass" || a.outcome == "skipped");
  if (!ctx_->generate_only) trace_.SetAttribute(root_, semconv::kLlmevalPassed, all_passed);
  trace_.SetAttribute(root_, semconv::kLlmevalUsageInputTokens, record_.input_tokens);
  trace_.SetAttribute(root_, semconv::kLlmevalUsageOutputTokens, record_.output_tokens);
  if (record_.cost_usd.has_value()) trace_.SetAttribute(root_, semconv::kLlmevalCostUsd, *record_.cost_usd);
  if (!record_.error.empty()) {
    trace_.EndWithError(root_, record_.error_type, record_.error);
  } else {
    trace_.End(root_);
  }
  record_.assessments = std::move(assessments_);
  record_.ended_unix_ns = ctx_->clock->NowUnixNanos();
  // The observer sees the item without its spans and cache entries, which only the store needs: copy it before they
  // are added, and hand the record itself to the writer.
  std::vector<std::pair<std::string, std::string>> cache_entries = std::move(record_.cache_entries);
  record_.cache_entries.clear();
  ItemRecord summary = record_;
  record_.cache_entries = std::move(cache_entries);
  std::vector<Span> spans = trace_.Finish();
  record_.spans.reserve(spans.size());
  for (const Span& s : spans) record_.spans.push_back(SpanToRow(s));
  ctx_->writer->Push(std::move(record_));
  on_done_(summary);
}

}  // namespace llmeval
