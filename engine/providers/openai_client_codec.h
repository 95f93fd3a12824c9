// The client side of the OpenAI Chat Completions wire format: request bodies out, response and error bodies in.
//
// Encoding always yields valid JSON (core/json_writer.h repairs invalid UTF-8); raw-JSON fields of a ChatRequest that
// are not valid JSON are replaced by safe defaults, so check them first with ValidateChatRequest for a clear error.
// Decoding is tolerant of the many OpenAI-compatible servers (vLLM, llama.cpp, Ollama, OpenRouter, Azure, TGI): unknown
// fields are ignored, tool-call arguments may be a JSON string or an object, usage may be missing. Pure functions,
// thread-safe.
#ifndef LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_H_
#define LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_H_

#include <string>
#include <string_view>

#include "core/chat.h"
#include "core/status.h"

namespace llmeval {

// What a server said when it refused a request.
struct ProviderError {
  int http_status = 0;
  std::string message;  // Never empty: falls back to the body text or "HTTP <status> with an empty body".
  std::string type;     // "invalid_request_error", "insufficient_quota", ... or "".
  std::string code;     // As text: "rate_limit_exceeded", "429" (from a string or a number), or "" for null.
  std::string param;
};

// InvalidInput when a raw-JSON field (response_format_json, tool_choice_json, extra_params_json, a tool's
// parameters_schema_json) is not valid JSON of the right kind, or the model is empty; the message names the field.
Status ValidateChatRequest(const ChatRequest& request);

// The JSON body for POST /chat/completions.
std::string EncodeChatRequestJson(const ChatRequest& request);

// Decodes a non-streaming chat.completion body. Unavailable when the body is not JSON, has no choices, or carries an
// "error" object (some gateways answer errors with HTTP 200).
Result<ChatResponse> DecodeChatResponseJson(std::string_view body);

// Decodes an error body: {"error":{...}}, an unwrapped {"message":...}, {"error":"text"}, or plain text.
ProviderError DecodeErrorBody(int status, std::string_view body);

// At most `max_chars` of `text` (cut on a UTF-8 boundary, repaired), with "..." when cut; for error messages.
std::string BodyExcerpt(std::string_view text, size_t max_chars = 200);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_OPENAI_CLIENT_CODEC_H_
