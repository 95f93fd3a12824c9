// Tests of the SSE parser (framing at every chunk boundary) and the chat stream accumulator.
#include "engine/providers/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace llmeval {
namespace {

std::vector<SseEvent> ParseInChunks(const std::string& bytes, const std::vector<size_t>& cuts) {
  SseParser parser;
  std::vector<SseEvent> events;
  size_t start = 0;
  for (size_t cut : cuts) {
    parser.Feed(std::string_view(bytes).substr(start, cut - start), &events);
    start = cut;
  }
  parser.Feed(std::string_view(bytes).substr(start), &events);
  parser.Finish(&events);
  return events;
}

std::vector<std::string> Datas(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const SseEvent& e : events) out.push_back(e.data);
  return out;
}

TEST(SseParserTest, FramingAtEveryChunkBoundary) {
  const std::string stream =
      ": OPENROUTER PROCESSING\r\n\r\n"
      "data: {\"a\":1}\r\n\r\n"
      "data:{\"b\":2}\n\n"  // No space after the colon.
      "event: note\ndata: line1\ndata: line2\nid: 7\n\n"
      ": ping\n\n"  // A lone comment is not an event.
      "data: cr-only\r\r"
      "data:  two spaces\n\n"
      "data: [DONE]\n\n";
  const std::vector<std::string> expected = {"{\"a\":1}", "{\"b\":2}",   "line1\nline2",
                                             "cr-only",   " two spaces", "[DONE]"};
  EXPECT_EQ(Datas(ParseInChunks(stream, {})), expected);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    ASSERT_EQ(Datas(ParseInChunks(stream, {cut})), expected) << "cut at " << cut;
  }
  for (size_t cut = 1; cut + 1 < stream.size(); ++cut) {  // Two cuts, also one byte apart (between CR and LF).
    ASSERT_EQ(Datas(ParseInChunks(stream, {cut, cut + 1})), expected) << "cuts at " << cut;
  }
  std::vector<size_t> every_byte;
  for (size_t i = 1; i < stream.size(); ++i) every_byte.push_back(i);
  std::vector<SseEvent> events = ParseInChunks(stream, every_byte);
  EXPECT_EQ(Datas(events), expected);
  EXPECT_EQ(events[2].event, "note");
  EXPECT_EQ(events[2].id, "7");
}

TEST(SseParserTest, FinishFlushesAnUnterminatedEvent) {
  EXPECT_EQ(Datas(ParseInChunks("data: tail", {})), std::vector<std::string>{"tail"});
  EXPECT_TRUE(ParseInChunks("", {}).empty());
  EXPECT_TRUE(ParseInChunks(": only a comment\n", {}).empty());
}

// Runs a stream body through the accumulator.
Result<ChatResponse> Accumulate(const std::string& body) { return DecodeChatStreamBody(body); }

TEST(ChatStreamAccumulatorTest, TextDeltasFinishReasonAndUsageChunk) {
  std::string body =
      "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"gpt-4o\","
      "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
      "\"finish_reason\":null}]}\n\n"
      "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}],"
      "\"usage\":null,\"obfuscation\":\"xyz\"}\n\n"
      "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}"
      "  \n\n"  // Azure leaves a trailing space.
      "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
      "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,"
      "\"prompt_tokens_details\":{\"cached_tokens\":3}}}\n\n"
      "data: [DONE]\n\n";
  Result<ChatResponse> r = Accumulate(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "chatcmpl-1");
  EXPECT_EQ(r->model, "gpt-4o");
  EXPECT_EQ(r->created, 5);
  EXPECT_EQ(*r->message.content, "Hello");
  EXPECT_EQ(r->finish_reason, "stop");
  EXPECT_TRUE(r->usage.reported);
  EXPECT_EQ(r->usage.input_tokens, 9);
  EXPECT_EQ(r->usage.output_tokens, 2);
  EXPECT_EQ(r->usage.cached_tokens, 3);
}

TEST(ChatStreamAccumulatorTest, ToolCallDeltasByIndex) {
  std::string body =
      "data: {\"id\":\"\",\"model\":\"\",\"created\":0,\"choices\":[],\"prompt_filter_results\":[]}\n\n"  // Azure.
      "data: {\"id\":\"c2\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
      "\"content\":null}}]}\n\n"
      "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
      "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}]}\n\n"
      "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
      "{\"arguments\":\"{\\\"city\\\":\"}}]}}]}\n\n"
      "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\","
      "\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}]}}]}\n\n"
      "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
      "{\"name\":\"get_weather\",\"arguments\":\"\\\"Oslo\\\"}\"}}]}}]}\n\n"  // vLLM repeats the name.
      "data: {\"id\":\"c2\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
      "data: [DONE]\n\n";
  Result<ChatResponse> r = Accumulate(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "c2");  // Not the empty id of the Azure filter chunk.
  EXPECT_EQ(r->model, "m");
  EXPECT_FALSE(r->message.content.has_value());
  EXPECT_EQ(r->finish_reason, "tool_calls");
  ASSERT_EQ(r->message.tool_calls.size(), 2u);
  EXPECT_EQ(r->message.tool_calls[0].id, "call_a");
  EXPECT_EQ(r->message.tool_calls[0].name, "get_weather");
  EXPECT_EQ(r->message.tool_calls[0].arguments_json, "{\"city\":\"Oslo\"}");
  EXPECT_EQ(r->message.tool_calls[1].id, "call_b");
  EXPECT_EQ(r->message.tool_calls[1].name, "get_time");
  EXPECT_EQ(r->message.tool_calls[1].arguments_json, "{}");
}

TEST(ChatStreamAccumulatorTest, TgiObjectToolCallsAndMissingIds) {
  std::string body =
      "data: {\"id\":\"\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":"
      "{\"index\":0,\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"pay\",\"arguments\":"
      "{\"id\":\"T1\"}}}}}]}\n\n"
      "data: {\"id\":\"\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
  Result<ChatResponse> r = Accumulate(body);  // No [DONE], but a finish_reason arrived.
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].id, "call_0");
  EXPECT_EQ(r->message.tool_calls[0].arguments_json, "{\"id\":\"T1\"}");
  EXPECT_FALSE(r->usage.reported);
}

TEST(ChatStreamAccumulatorTest, RefusalAndOtherChoicesIgnored) {
  std::string body =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"refusal\":\"\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\" help.\"},\"finish_reason\":\"stop\"}]}\n\n"
      "data: [DONE]\n\n";
  Result<ChatResponse> r = Accumulate(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->refusal, "I can't help.");
  EXPECT_FALSE(r->message.content.has_value());
}

TEST(ChatStreamAccumulatorTest, ErrorsAndTruncation) {
  Result<ChatResponse> error = Accumulate(
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n"
      "data: {\"id\":\"x\",\"choices\":[],\"error\":{\"code\":502,\"message\":\"Provider disconnected\"}}\n\n");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(error.status().message().find("Provider disconnected"), std::string::npos);

  Result<ChatResponse> truncated = Accumulate("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n\n");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("ended before"), std::string::npos);

  Result<ChatResponse> garbage = Accumulate("data: {not json\n\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find("not valid JSON"), std::string::npos);

  EXPECT_FALSE(Accumulate("").ok());
  EXPECT_FALSE(Accumulate(": keep-alive\n\n").ok());
}

TEST(ChatStreamAccumulatorTest, ChunksWithoutBlankLinesBetweenThem) {
  // The blank lines between events were lost, so three chunks arrive as one multi-line event.
  Result<ChatResponse> r = Accumulate(
      "data: {\"id\":\"k1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\n"
      "data: {\"id\":\"k1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"}}]}\n"
      "data: {\"id\":\"k1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n"
      "data: [DONE]\n\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->message.content, "ab");
  EXPECT_EQ(r->finish_reason, "stop");
}

TEST(ChatStreamAccumulatorTest, EmptyEventsAreSkippedAndPlainJsonAccepted) {
  ChatStreamAccumulator acc;
  EXPECT_TRUE(acc.Add("").ok());
  EXPECT_TRUE(acc.Add("  ").ok());
  EXPECT_TRUE(acc.Add("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}").ok());
  EXPECT_FALSE(acc.done());
  EXPECT_TRUE(acc.Add("[DONE]").ok());
  EXPECT_TRUE(acc.done());
  Result<ChatResponse> r = acc.Finish();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->finish_reason, "length");

  // A server that ignored "stream": true and answered with a plain body.
  Result<ChatResponse> plain = Accumulate(
      "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain->message.content, "hi");
}

}  // namespace
}  // namespace llmeval
