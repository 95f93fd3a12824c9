#include "engine/sim/sim_server_reply.h"

#include <algorithm>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/providers/openai_server_codec.h"
#include "engine/sim/sim_model.h"
#include "engine/sim/sim_text.h"

namespace llmeval {
namespace {

SimReply ErrorReply(int status, std::string_view message, std::string_view type, std::string_view code = "") {
  SimReply reply;
  reply.status = status;
  reply.body = EncodeErrorJson(message, type, code);
  return reply;
}

SimReply BadRequest(std::string_view message, std::string_view code = "") {
  SimReply reply = ErrorReply(400, message, "invalid_request_error", code);
  reply.bad_request = true;
  return reply;
}

std::string ModelsJson() {
  JsonWriter w;
  w.BeginObject();
  w.Field("object", "list");
  w.Key("data");
  w.BeginArray();
  w.BeginObject();
  w.Field("id", "sim");
  w.Field("object", "model");
  w.Field("created", int64_t{1'700'000'000});
  w.Field("owned_by", "llmeval");
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string EmptyChoicesJson(const ChatResponse& response, bool chunk) {
  JsonWriter w;
  w.BeginObject();
  w.Field("id", response.id);
  w.Field("object", chunk ? "chat.completion.chunk" : "chat.completion");
  w.Field("created", response.created);
  w.Field("model", response.model);
  w.Key("choices");
  w.BeginArray();
  w.EndArray();
  w.Key("usage");
  w.BeginObject();
  w.Field("prompt_tokens", response.usage.input_tokens);
  w.Field("completion_tokens", int64_t{0});
  w.Field("total_tokens", response.usage.input_tokens);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

// The reply to a decoded chat request under `fault`.
SimReply ChatReply(const ChatRequest& request, bool include_usage, FaultKind fault, const SimServerOptions& options) {
  switch (fault) {
    case FaultKind::kRateLimited: {
      SimReply reply = ErrorReply(429, "Rate limit reached for model sim (simulated fault). Please retry after 1s.",
                                  "requests", "rate_limit_exceeded");
      reply.headers = {{"Retry-After", "1"}, {"retry-after-ms", "1000"}};
      return reply;
    }
    case FaultKind::kServerError:
      return ErrorReply(500, "The server had an error while processing your request (simulated fault).",
                        "server_error");
    case FaultKind::kUnavailable:
      return ErrorReply(503, "The server is overloaded or not ready yet (simulated fault).", "server_error",
                        "overloaded");
    case FaultKind::kDrop: {
      SimReply reply;
      reply.kind = SimReply::Kind::kDrop;
      return reply;
    }
    default:
      break;
  }
  ChatResponse response = SimulateChat(request, options.seed);
  if (fault == FaultKind::kLength) TruncateSimResponse(&response, SimOutputTokens(response.message) / 2);
  SimReply reply;
  if (request.stream) {
    reply.kind = SimReply::Kind::kStream;
    reply.content_type = "text/event-stream";
    reply.headers = {{"Cache-Control", "no-cache"}};
    if (fault == FaultKind::kMalformed) {
      reply.events = {"data: {\"id\": \"chatcmpl-sim-malformed\", \"choices\": [{\"delta\": {\"content\": \n\n",
                      "data: [DONE]\n\n"};
    } else if (fault == FaultKind::kEmptyChoices) {
      reply.events = {"data: " + EmptyChoicesJson(response, true) + "\n\n", "data: [DONE]\n\n"};
    } else {
      reply.events = EncodeChatStreamEvents(response, include_usage);
      if (fault == FaultKind::kTruncated) reply.events.resize(std::max<size_t>(1, reply.events.size() / 2));
    }
    return reply;
  }
  if (fault == FaultKind::kMalformed) {
    reply.body =
        "{\"id\": \"chatcmpl-sim-malformed\", \"object\": \"chat.completion\", \"choices\": [{\"index\": 0, "
        "\"message\": {\"role\": \"assistant\", \"content\": \"unterminated";
  } else if (fault == FaultKind::kEmptyChoices) {
    reply.body = EmptyChoicesJson(response, false);
  } else {
    reply.body = EncodeChatResponseJson(response);
    if (fault == FaultKind::kTruncated) reply.body.resize(reply.body.size() / 2);
  }
  return reply;
}

}  // namespace

SimReply BuildSimReply(const SimHttpRequest& request, const SimServerOptions& options, const FaultSpec& faults,
                       uint64_t* chat_counter) {
  if (request.path == "/v1/models" || request.path == "/models") {
    if (request.method != "GET" && request.method != "HEAD") {
      return ErrorReply(
          405,
          "Method " + std::string(request.method) + " is not allowed for " + std::string(request.path) + "; use GET.",
          "invalid_request_error", "method_not_allowed");
    }
    SimReply reply;
    reply.body = ModelsJson();
    return reply;
  }
  if (request.path != "/v1/chat/completions" && request.path != "/chat/completions") {
    SimReply reply =
        ErrorReply(404,
                   "Unknown request URL: " + std::string(request.method) + " " + std::string(request.path) +
                       ". The sim serves POST /v1/chat/completions and "
                       "GET /v1/models.",
                   "invalid_request_error", "unknown_url");
    reply.bad_request = true;
    return reply;
  }
  if (request.method != "POST") {
    return ErrorReply(
        405,
        "Method " + std::string(request.method) + " is not allowed for " + std::string(request.path) + "; use POST.",
        "invalid_request_error", "method_not_allowed");
  }

  bool include_usage = false;
  Result<ChatRequest> chat = DecodeChatRequestJson(request.body, &include_usage);
  if (!chat.ok()) return BadRequest(chat.status().message());

  uint64_t number = ++*chat_counter;
  FaultKind fault = faults.Choose(number, options.seed);
  if (request.fault_header != nullptr) {
    Result<FaultKind> kind = ParseFaultKind(request.fault_header);
    if (!kind.ok()) return BadRequest("header X-Sim-Fault: " + kind.status().message());
    fault = *kind;
  }
  int delay_ms = options.latency_ms;
  if (options.jitter_ms > 0) {
    delay_ms +=
        static_cast<int>(SimMix(number, options.seed ^ 0x7177e7) % (static_cast<uint64_t>(options.jitter_ms) + 1));
  }
  if (request.latency_header != nullptr) {
    std::optional<int64_t> ms = ParseInt(request.latency_header);
    if (!ms || *ms < 0 || *ms > 3'600'000) {
      return BadRequest("header X-Sim-Latency-Ms must be a whole number of milliseconds from 0 to 3600000, got \"" +
                        std::string(request.latency_header) + "\"");
    }
    delay_ms = static_cast<int>(*ms);
  }
  if (fault == FaultKind::kSlow) delay_ms = options.slow_ms;

  SimReply reply = ChatReply(*chat, include_usage, fault, options);
  reply.fault = fault != FaultKind::kNone;
  reply.delay_ms = delay_ms;
  return reply;
}

}  // namespace llmeval
