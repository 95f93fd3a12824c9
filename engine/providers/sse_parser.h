// Server-Sent Events for streamed chat completions.
//
// SseParser is an incremental parser fed arbitrary byte chunks (a chunk may end mid-line, even between CR and LF). It
// follows the WHATWG framing: lines end in LF, CRLF or CR; "field: value" or "field:value" (one leading space is
// dropped); lines starting with ':' are comments (keep-alives such as ": OPENROUTER PROCESSING"); several data lines
// join with "\n"; a blank line ends an event. Events without data are skipped.
//
// ChatStreamAccumulator folds the data of chat.completion.chunk events into one ChatResponse: content and refusal
// deltas, tool-call deltas by index (id and name first, then argument fragments), finish_reason, and the usage chunk
// with empty choices. An "error" object inside a 200 stream fails the call.
//
// Neither class is thread-safe; use one per stream.
#ifndef LLMEVAL_ENGINE_PROVIDERS_SSE_PARSER_H_
#define LLMEVAL_ENGINE_PROVIDERS_SSE_PARSER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat.h"
#include "core/status.h"

namespace llmeval {

struct SseEvent {
  std::string event;  // The "event:" field; empty for the default "message".
  std::string data;
  std::string id;
};

class SseParser {
 public:
  // Parses `bytes` and appends each completed event to *events.
  void Feed(std::string_view bytes, std::vector<SseEvent>* events);
  // Ends the stream: an event not yet closed by a blank line is appended if it has data.
  void Finish(std::vector<SseEvent>* events);

 private:
  void ProcessLine(std::string_view line, std::vector<SseEvent>* events);
  void Dispatch(std::vector<SseEvent>* events);

  std::string line_;           // The current, unfinished line.
  bool skip_next_lf_ = false;  // The previous chunk ended with CR; an LF at the start of this one belongs to it.
  SseEvent pending_;
  bool has_data_ = false;
};

class ChatStreamAccumulator {
 public:
  // Folds the data of one event. "[DONE]" marks the end. Unavailable for an error event or data that is not JSON.
  Status Add(std::string_view data);
  bool done() const { return done_; }
  // The folded response. Unavailable when the stream carried no chunk or ended without [DONE] or a finish_reason.
  Result<ChatResponse> Finish();

 private:
  struct PartialCall {
    std::string id;
    std::string name;
    std::string arguments;
  };

  ChatResponse response_;
  bool saw_chunk_ = false;
  bool saw_content_ = false;
  bool done_ = false;
  std::map<int64_t, PartialCall> calls_;  // By tool-call index.
};

// Parses a whole SSE body of a chat completion stream (what a non-incremental transport delivers).
Result<ChatResponse> DecodeChatStreamBody(std::string_view body);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_PROVIDERS_SSE_PARSER_H_
