// ItemTask's target step (`--target`): the item's variables go to the user's application instead of a model call.
// The application's reply is the answer; the tool calls it reports become the item's tool calls (for tool_called and
// tool_args_match) and `execute_tool` spans under the item's `invoke_agent` target span, whose id travels to the app
// as the W3C traceparent.
#include <simdjson.h>

#include "core/hash.h"
#include "core/json_writer.h"
#include "engine/providers/openai_client_codec.h"
#include "engine/providers/openai_server_codec.h"
#include "engine/run/app_spans.h"
#include "engine/run/item_task.h"
#include "tracing/semconv.h"
#include "tracing/trace_items.h"

namespace llmeval {
namespace {

std::string CacheKey(const std::string& target, const std::map<std::string, std::string>& variables, int repeat) {
  Sha256 hash;
  hash.Update("target " + target + "\n");
  for (const auto& [k, v] : variables) {
    hash.Update(k);
    hash.Update("=");
    hash.Update(std::to_string(v.size()) + ":" + v + "\n");
  }
  hash.Update("repeat=" + std::to_string(repeat));
  return hash.HexDigest();
}

}  // namespace

void ItemTask::CallTarget() {
  const std::string& name = variant_->record.model;
  if (!agent_.valid()) {
    agent_ = trace_.StartSpan(std::string(semconv::kSpanInvokeAgent) + " " + name, SpanKind::kClient, root_);
    trace_.SetAttribute(agent_, semconv::kGenAiOperationName, std::string(semconv::kOperationInvokeAgent));
    trace_.SetAttribute(agent_, semconv::kGenAiAgentName, name);
    trace_.SetAttribute(agent_, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindAgent));
    trace_.SetAttribute(agent_, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeAgent));
  }
  TargetRequest request;
  request.variables = variables_;
  request.traceparent = "00-" + trace_.trace_id().Hex() + "-" + trace_.span_id(agent_).Hex() + "-01";
  std::string key = ctx_->cache != nullptr ? CacheKey(name, request.variables, repeat_) : "";
  auto self = shared_from_this();
  auto finish = [this, self, key](TargetResult result, bool cache_hit) {
    ++record_.model_calls;
    if (!cache_hit) any_cache_miss_ = true;
    trace_.SetAttribute(agent_, semconv::kLlmevalCacheHit, cache_hit);
    for (size_t i = 1; i < result.chat.attempts.size(); ++i) {
      const CallAttempt& a = result.chat.attempts[i - 1];
      Attributes event;
      event.push_back({semconv::kLlmevalRetryAttempt, static_cast<int64_t>(i)});
      event.push_back({semconv::kHttpResponseStatusCode, static_cast<int64_t>(a.http_status)});
      event.push_back({semconv::kLlmevalWaitMs, result.chat.attempts[i].wait_before_nanos / 1000000});
      if (!a.error.empty()) event.push_back({semconv::kErrorType, a.error});
      trace_.AddEventAt(agent_, a.start_unix_nanos + a.duration_nanos, semconv::kEventRetry, std::move(event));
    }
    if (!result.chat.attempts.empty()) {
      trace_.SetAttribute(agent_, semconv::kLlmevalRetryCount, static_cast<int64_t>(result.chat.attempts.size() - 1));
    }
    if (record_.rendered_input.empty()) record_.rendered_input = result.request_body;
    if (!record_.rendered_input.empty()) trace_.SetAttribute(root_, semconv::kInputValue, record_.rendered_input);
    const ChatResponse& r = result.chat.response;
    if (r.http_status != 0) {
      trace_.SetAttribute(agent_, semconv::kHttpResponseStatusCode, static_cast<int64_t>(r.http_status));
    }
    if (!result.chat.status.ok()) {
      record_.error = result.chat.status.message();
      record_.error_type =
          r.http_status >= 300 ? "http_" + std::to_string(r.http_status) : StatusCodeName(result.chat.status.code());
      FinishAnswer("error");
      return;
    }
    record_.input_tokens += r.usage.input_tokens;
    record_.output_tokens += r.usage.output_tokens;
    trace_.SetAttribute(agent_, semconv::kGenAiUsageInputTokens, r.usage.input_tokens);
    trace_.SetAttribute(agent_, semconv::kGenAiUsageOutputTokens, r.usage.output_tokens);
    record_.cost_usd = result.cost_usd;
    if (result.cost_usd.has_value()) trace_.SetAttribute(agent_, semconv::kLlmevalCostUsd, *result.cost_usd);
    record_.ttfb_ms = static_cast<double>(r.time_to_first_byte_ns) / 1e6;
    record_.finish_reason = r.finish_reason;
    // The app ran the tools itself. When its own spans already show them (with their results), the calls its reply
    // lists are not drawn a second time; otherwise each becomes an `execute_tool` span under the target span.
    const bool traced_tools =
        !cache_hit && ctx_->app_spans != nullptr && ctx_->app_spans->SawToolSpan(trace_.trace_id().Hex());
    for (const ToolCall& call : r.message.tool_calls) {
      tool_records_.push_back({call.name, call.arguments_json, "", false});
      if (traced_tools) continue;
      SpanHandle span =
          trace_.StartSpan(std::string(semconv::kSpanExecuteTool) + " " + call.name, SpanKind::kInternal, agent_);
      trace_.SetAttribute(span, semconv::kGenAiOperationName, std::string(semconv::kOperationExecuteTool));
      trace_.SetAttribute(span, semconv::kGenAiToolName, call.name);
      if (!call.id.empty()) trace_.SetAttribute(span, semconv::kGenAiToolCallId, call.id);
      trace_.SetAttribute(span, semconv::kGenAiToolCallArguments, call.arguments_json);
      trace_.SetAttribute(span, semconv::kOpenInferenceSpanKind, std::string(semconv::kKindTool));
      trace_.SetAttribute(span, semconv::kLlmevalSpanType, std::string(semconv::kSpanTypeTool));
      trace_.End(span);
    }
    ++steps_;
    if (!cache_hit && !key.empty()) {
      ChatResponse stored = r;
      stored.body_json.clear();
      record_.cache_entries.push_back({key, EncodeChatResponseJson(stored)});
    }
    output_ = r.message.content.value_or("");
    FinishAnswer("final");
  };
  if (!key.empty()) {
    if (std::optional<std::string> hit = ctx_->cache->Get(key)) {
      Result<ChatResponse> cached = DecodeChatResponseJson(*hit);
      if (cached.ok()) {
        TargetResult result;
        result.chat.response = std::move(cached.value());
        result.chat.response.from_cache = true;
        finish(std::move(result), true);
        return;
      }
    }
  }
  if (ctx_->app_spans != nullptr) {
    ctx_->app_spans->Expect(trace_.trace_id().Hex(), trace_.span_id(agent_).Hex());
    app_spans_expected_ = true;
  }
  CpuExecutor* cpu = ctx_->cpu;
  variant_->target->Invoke(std::move(request), [finish, cpu](TargetResult result) mutable {
    if (cpu == nullptr) {
      finish(std::move(result), false);
      return;
    }
    cpu->Submit([finish, result = std::move(result)]() mutable { finish(std::move(result), false); });
  });
}

bool ItemTask::AwaitAppSpans() {
  if (!app_spans_expected_) return false;
  app_spans_expected_ = false;
  auto self = shared_from_this();
  CpuExecutor* cpu = ctx_->cpu;
  ctx_->app_spans->Answered(trace_.trace_id().Hex(), variant_->span_grace_ns, variant_->wait_for_spans,
                            [self, cpu](std::vector<Span> spans) {
                              auto go = [self, spans = std::move(spans)]() mutable {
                                self->UseAppSpans(std::move(spans));
                                self->AfterAnswer();
                              };
                              if (cpu == nullptr) {
                                go();
                              } else {
                                cpu->Submit(std::move(go));
                              }
                            });
  return true;
}

void ItemTask::UseAppSpans(std::vector<Span> spans) {
  if (spans.empty()) return;
  AppCalls calls = ExtractAppCalls(spans);
  // The app's spans say more than its reply (results, failures): their tool calls replace the reported ones.
  if (!calls.tools.empty()) {
    tool_records_.clear();
    for (const TraceItemTool& t : calls.tools) tool_records_.push_back({t.name, t.arguments, t.result, t.error});
    record_.tool_calls = static_cast<int>(tool_records_.size());
  }
  if (!calls.model_calls.empty() && record_.input_tokens == 0 && record_.output_tokens == 0) {
    record_.input_tokens = calls.input_tokens;
    record_.output_tokens = calls.output_tokens;
  }
  if (!record_.cost_usd.has_value() && calls.cost_usd.has_value()) record_.cost_usd = calls.cost_usd;
  for (const AppModelCall& m : calls.model_calls) {
    app_summary_ += "model call " + (m.model.empty() ? std::string("?") : m.model) + ": " +
                    std::to_string(m.input_tokens) + " in, " + std::to_string(m.output_tokens) + " out, " +
                    std::to_string(m.duration_ms) + " ms\n";
  }
}

}  // namespace llmeval
