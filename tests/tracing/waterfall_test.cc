#include "tracing/waterfall.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/strings.h"
#include "sample_trace.h"
#include "testing/test_util.h"
#include "tracing/semconv.h"
#include "tracing/waterfall_text.h"

namespace llmeval {
namespace {

constexpr int64_t kMs = 1'000'000;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = SplitString(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The line that shows span `name` (names are unique in these tests).
std::string LineOf(const std::string& text, const std::string& name) {
  for (const std::string& line : Lines(text)) {
    if (line.find(name) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no line with " << name << " in\n" << text;
  return "";
}

// Golden test: the rendering of a fixed trace at width 100 without colour. To accept a deliberate change, run the
// test with LLMEVAL_UPDATE_GOLDEN=1 and review the diff of the golden file.
TEST(WaterfallTest, MatchesGoldenFile) {
  const std::string path = std::string(LLMEVAL_TEST_DATA) + "/tracing/waterfall_golden.txt";
  const std::string rendered = RenderWaterfall(testing::SampleItemTrace(), WaterfallOptions());
  if (std::getenv("LLMEVAL_UPDATE_GOLDEN") != nullptr) testing::WriteFile(path, rendered);
  EXPECT_EQ(rendered, testing::ReadFile(path)) << "rendered:\n" << rendered;
}

TEST(WaterfallTest, RowsFitTheWidthAndFollowTheTree) {
  for (int width : {60, 100, 160}) {
    WaterfallOptions options;
    options.width = width;
    const std::string text = RenderWaterfall(testing::SampleItemTrace(), options);
    const std::vector<std::string> lines = Lines(text);
    for (size_t i = 1; i < lines.size(); ++i) {  // The header may be longer.
      EXPECT_LE(waterfall_text::Columns(lines[i]), static_cast<size_t>(width)) << lines[i];
    }
    if (width < 100) continue;  // Names are cut short in narrow rows.
    // Tree order: children in start order under their parent.
    const std::vector<std::string> order = {"eval_item",    "invoke_agent", "chat gpt-4o-mini",
                                            "get_weather",  "get_time",     "score correctness",
                                            "chat gpt-4o ", "exact_match",  "tone"};
    size_t previous = 0;
    for (const std::string& name : order) {
      size_t at = text.find(name, previous);
      ASSERT_NE(at, std::string::npos) << name << " out of order in\n" << text;
      previous = at;
    }
  }
}

TEST(WaterfallTest, HeaderCriticalPathErrorsAndDetails) {
  const std::string text = RenderWaterfall(testing::SampleItemTrace(), WaterfallOptions());
  const std::vector<std::string> lines = Lines(text);
  ASSERT_FALSE(lines.empty());
  // Totals count model calls only (not the item's own totals): 52+88+240 in, 17+9+30 out, 0.0031 USD.
  EXPECT_EQ(lines[0], "trace 5b8efff798038103d269b633813fc60c  2.60s  10 spans  1 error  tokens 380\u219256  $0.0031");
  // Critical path: the item, its last-ending child (the correctness scorer), and that scorer's judge call.
  EXPECT_EQ(LineOf(text, "eval_item").rfind("* ", 0), 0u);
  EXPECT_EQ(LineOf(text, "score correctness").rfind("* ", 0), 0u);
  EXPECT_EQ(LineOf(text, "chat gpt-4o ").rfind("* ", 0), 0u);
  EXPECT_EQ(LineOf(text, "invoke_agent").rfind("  ", 0), 0u);
  EXPECT_NE(LineOf(text, "score tone").find("\u2717"), std::string::npos);
  EXPECT_NE(LineOf(text, "get_weather").find("105ms"), std::string::npos);
  EXPECT_NE(LineOf(text, "execute_tool get_time").find("\u251C\u2500 "), std::string::npos);  // Not last.
  EXPECT_NE(text.find("args: {\"location\":\"Paris\"}"), std::string::npos);
  EXPECT_NE(text.find("result: {\"temp_c\":14,\"sky\":\"rain\"}"), std::string::npos);
  EXPECT_NE(text.find("verdict: fail (score 0): expected \"rain\", got a sentence"), std::string::npos);
  EXPECT_NE(text.find("error: judge_parse_error: judge reply is not JSON"), std::string::npos);
  EXPECT_NE(text.find("events: llmeval.retry"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);  // No colour unless asked.

  WaterfallOptions terse;
  terse.details = false;
  const std::string short_text = RenderWaterfall(testing::SampleItemTrace(), terse);
  EXPECT_EQ(short_text.find("args:"), std::string::npos);
  EXPECT_EQ(Lines(short_text).size(), 2u + 10u);  // Header, axis, one row per span.
}

TEST(WaterfallTest, BarsAreProportional) {
  std::vector<Span> spans = testing::SampleItemTrace();
  WaterfallOptions options;
  options.details = false;
  const std::string text = RenderWaterfall(spans, options);
  auto bar_of = [&](const std::string& name) {
    const std::string line = LineOf(text, name);
    size_t start = line.find("\u2588");
    return std::make_pair(waterfall_text::Columns(line.substr(0, start)), waterfall_text::Columns(line.substr(start)));
  };
  auto [root_start, root_length] = bar_of("eval_item");
  auto [agent_start, agent_length] = bar_of("invoke_agent");
  auto [judge_start, judge_length] = bar_of("chat gpt-4o ");
  EXPECT_EQ(agent_start, root_start);  // Starts 5 ms in: same cell.
  EXPECT_NEAR(agent_length * 2600.0 / 1895, root_length, 1.5);
  EXPECT_GT(judge_start, root_start + root_length * 7 / 10);  // Starts at 73% of the trace.
  EXPECT_NEAR(judge_length * 2600.0 / 660, root_length, 4.5);
}

TEST(WaterfallTest, ColourOnlyWhenAsked) {
  WaterfallOptions options;
  options.color = true;
  const std::string text = RenderWaterfall(testing::SampleItemTrace(), options);
  EXPECT_NE(text.find("\x1b[31m\u2717"), std::string::npos);  // Red error marker.
  EXPECT_NE(text.find("\x1b[0m"), std::string::npos);
}

TEST(WaterfallTest, HostileTextIsMadeSafe) {
  std::vector<Span> spans = testing::SampleItemTrace();
  spans[0].name = "eval_item \x1b[2Jevil\nname\xff";
  SetAttribute(&spans[3].attributes, semconv::kGenAiToolCallResult, std::string(500, 'x') + "\nsecond line");
  const std::string text = RenderWaterfall(spans, WaterfallOptions());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find("eval_item ?[2Jevil name\xEF\xBF\xBD"), std::string::npos) << text;
  for (const std::string& line : Lines(text)) {
    if (line.find("result: xxx") != std::string::npos) {
      EXPECT_EQ(waterfall_text::Columns(line), 100u);
      EXPECT_TRUE(EndsWith(line, "\u2026"));
    }
  }
}

TEST(WaterfallTest, ManySiblingsCollapse) {
  std::vector<Span> spans;
  Span root;
  root.trace_id = *TraceId::FromHex("0123456789abcdef0123456789abcdef");
  root.span_id = *SpanId::FromHex("00000000000000ff");
  root.name = "eval_item big";
  root.start_unix_nanos = testing::kSampleT0;
  root.end_unix_nanos = testing::kSampleT0 + 10'001 * kMs;
  spans.push_back(root);
  constexpr int kChildren = 10'000;
  for (int i = 0; i < kChildren; ++i) {
    Span child = root;
    child.span_id.bytes[0] = static_cast<uint8_t>(i >> 8);
    child.span_id.bytes[1] = static_cast<uint8_t>(i);
    child.span_id.bytes[7] = 1;
    child.parent_span_id = root.span_id;
    child.name = "execute_tool t" + std::to_string(i);
    child.start_unix_nanos = root.start_unix_nanos + i * kMs;
    child.end_unix_nanos = child.start_unix_nanos + 2 * kMs;
    if (i % 100 == 0) child.status = SpanStatus::kError;
    spans.push_back(child);
  }
  const std::string text = RenderWaterfall(spans, WaterfallOptions());
  const std::vector<std::string> lines = Lines(text);
  EXPECT_LT(lines.size(), 40u) << text;
  // First five and last five are shown; the 9,990 between are summarised (errors at 100, 200, ..., 9900).
  EXPECT_NE(text.find("execute_tool t4 "), std::string::npos);
  EXPECT_EQ(text.find("execute_tool t5 "), std::string::npos);
  EXPECT_NE(text.find("execute_tool t9995"), std::string::npos);
  EXPECT_NE(text.find("\u2026 9990 more spans (99 errors) \u2026"), std::string::npos) << text;
  EXPECT_NE(LineOf(text, "execute_tool t9999").find("\u2514\u2500"), std::string::npos);

  WaterfallOptions never;
  never.max_children_before_collapse = 0;
  never.details = false;
  EXPECT_EQ(Lines(RenderWaterfall(spans, never)).size(), 2u + 1u + kChildren);
}

TEST(WaterfallTest, DeepChainsOrphansAndCycles) {
  std::vector<Span> spans;
  constexpr int kDepth = 5'000;
  for (int i = 0; i < kDepth; ++i) {
    Span span;
    span.trace_id = *TraceId::FromHex("0123456789abcdef0123456789abcdef");
    span.span_id.bytes[0] = static_cast<uint8_t>(i >> 8);
    span.span_id.bytes[1] = static_cast<uint8_t>(i);
    span.span_id.bytes[7] = 1;
    if (i > 0) span.parent_span_id = spans.back().span_id;
    span.name = "level " + std::to_string(i);
    span.start_unix_nanos = testing::kSampleT0 + i;
    span.end_unix_nanos = testing::kSampleT0 + 2 * kDepth - i;
    spans.push_back(span);
  }
  Span orphan = spans[1];
  orphan.span_id = *SpanId::FromHex("aaaaaaaaaaaaaaaa");
  orphan.parent_span_id = *SpanId::FromHex("bbbbbbbbbbbbbbbb");  // Not in the list: drawn as a root.
  orphan.name = "orphan";
  spans.push_back(orphan);
  Span a = orphan;
  Span b = orphan;
  a.span_id = *SpanId::FromHex("cccccccccccccccc");
  b.span_id = *SpanId::FromHex("dddddddddddddddd");
  a.parent_span_id = b.span_id;
  b.parent_span_id = a.span_id;  // A cycle: still drawn, once each.
  a.name = "cycle a";
  b.name = "cycle b";
  spans.push_back(a);
  spans.push_back(b);
  WaterfallOptions options;
  options.details = false;
  const std::string text = RenderWaterfall(spans, options);
  EXPECT_EQ(Lines(text).size(), 2u + spans.size());
  EXPECT_NE(LineOf(text, "orphan").rfind("* orphan", 0), std::string::npos);
  EXPECT_NE(text.find("cycle a"), std::string::npos);
  EXPECT_NE(text.find("cycle b"), std::string::npos);

  // With details, the deepest rows still fit the width.
  spans[kDepth - 1].status = SpanStatus::kError;
  spans[kDepth - 1].status_message = "deep failure";
  const std::string detailed = RenderWaterfall(spans, WaterfallOptions());
  for (const std::string& line : Lines(detailed)) EXPECT_LE(waterfall_text::Columns(line), 100u);
  EXPECT_EQ(Lines(detailed).size(), 2u + spans.size() + 1u);  // One error line.
}

TEST(WaterfallTest, EmptyInput) { EXPECT_EQ(RenderWaterfall({}, WaterfallOptions()), "(no spans)\n"); }

TEST(WaterfallTextTest, Formats) {
  using namespace waterfall_text;  // NOLINT: test brevity.
  const std::pair<int64_t, const char*> durations[] = {
      {0, "0.0ms"},           {450'000, "0.5ms"},     {12 * kMs, "12ms"},      {890 * kMs, "890ms"},
      {999'600'000, "1.00s"}, {2'600 * kMs, "2.60s"}, {95'300 * kMs, "95.3s"}, {725'000 * kMs, "12m05s"}};
  for (const auto& [nanos, text] : durations) EXPECT_EQ(FormatDuration(nanos), text) << nanos;
  EXPECT_EQ(FormatCount(950), "950");
  EXPECT_EQ(FormatCount(12'345), "12.3k");
  EXPECT_EQ(FormatCount(4'100'000), "4.1M");
  EXPECT_EQ(FormatCost(0.00314), "$0.0031");
  EXPECT_EQ(FormatCost(1.254), "$1.25");
  EXPECT_EQ(FormatScore(1.0), "1");
  EXPECT_EQ(FormatScore(0.75), "0.75");
  std::string out;
  AppendFitted("h\u00E9llo world", 6, true, &out);
  EXPECT_EQ(out, "h\u00E9llo\u2026");
  out.clear();
  AppendFitted("ab", 4, true, &out);
  EXPECT_EQ(out, "ab  ");
}

// A span received from the evaluated application carries its service.name: the row is marked with it.
TEST(WaterfallTest, AppSpansAreMarkedByTheirService) {
  std::vector<Span> spans = testing::SampleItemTrace();
  Span app = spans.back();
  app.span_id.bytes[0] ^= 0x5a;
  app.parent_span_id = spans.front().span_id;
  app.name = "lookup_orders";
  app.attributes = {{"service.name", "shop-agent"}};
  spans.push_back(app);
  WaterfallOptions options;
  options.width = 160;
  const std::string text = RenderWaterfall(spans, options);
  EXPECT_NE(text.find("[shop-agent] lookup_orders"), std::string::npos) << text;
  EXPECT_EQ(RenderWaterfall(testing::SampleItemTrace(), options).find("[shop-agent]"), std::string::npos);
}

}  // namespace
}  // namespace llmeval
