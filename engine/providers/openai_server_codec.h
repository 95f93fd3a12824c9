// The server side of the OpenAI Chat Completions wire format, used by the simulated server (engine/sim/sim_server.h):
// decode a request body into a ChatRequest, encode a ChatResponse as a "chat.completion" object or as the sequence of
// server-sent events of a streamed reply. (The client side lives in engine/providers/openai_client_codec.h.)
//
// Decoding is tolerant like the real API: unknown fields are ignored, message content may be a string, null or an
// array of {"type":"text","text":...} parts, tool-call arguments may be a JSON string or an object. It fails with
// InvalidInput and a message naming the offending field when the body is not JSON, or "model" or "messages" is
// missing or of the wrong type. Encoding always produces valid JSON. Pure functions; thread-safe.
#ifndef LLMEVAL_ENGINE_PROVIDERS_OPENAI_SERVER_CODEC_H_
#define LLMEVAL_ENGINE_PROVIDERS_OPENAI_SERVER_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"
#include "core/status.h"

namespace llmeval {

// Decodes a POST /v1/chat/completions body. `stream` lands in ChatRequest::stream; when `include_usage` is given it
// receives whether "stream_options": {"include_usage": true} was set.
Result<ChatRequest> DecodeChatRequestJson(std::string_view body, bool* include_usage = nullptr);

// The non-streamed reply: {"id", "object": "chat.completion", "created", "model", "choices": [{"index": 0,
// "message": {"role", "content", "tool_calls"?, "refusal"}, "logprobs": null, "finish_reason"}], "usage"?}.
// The usage block is present when response.usage.reported.
std::string EncodeChatResponseJson(const ChatResponse& response);

// The streamed reply as OpenAI sends it, one "data: {...}\n\n" string per event: a role chunk, the content in several
// delta chunks, for each tool call a chunk with index/id/name then chunks of argument fragments, a finish chunk, a
// usage chunk with empty choices when `include_usage`, then "data: [DONE]\n\n".
std::vector<std::string> EncodeChatStreamEvents(const ChatResponse& response, bool include_usage);

// An OpenAI-style error body: {"error": {"message", "type", "param": null, "code": <code or null>}}.
std::string EncodeErrorJson(std::string_view message, std::string_view type, std::string_view code = "");

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_OPENAI_SERVER_CODEC_H_
