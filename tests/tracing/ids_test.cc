#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tracing/id_generator.h"
#include "tracing/span.h"

namespace llmeval {
namespace {

TEST(TraceIdTest, HexRoundTrip) {
  auto id = TraceId::FromHex("5B8EFFF798038103d269b633813fc60c");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->bytes[0], 0x5b);
  EXPECT_EQ(id->bytes[15], 0x0c);
  EXPECT_EQ(id->Hex(), "5b8efff798038103d269b633813fc60c");  // Lowercase on the way out.
  EXPECT_FALSE(id->IsZero());
  EXPECT_TRUE(TraceId().IsZero());
  EXPECT_EQ(TraceId().Hex(), std::string(32, '0'));
}

TEST(SpanIdTest, HexRoundTrip) {
  auto id = SpanId::FromHex("eee19b7ec3c1b174");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->Hex(), "eee19b7ec3c1b174");
  EXPECT_EQ(*SpanId::FromHex(id->Hex()), *id);
  EXPECT_TRUE(SpanId::FromHex("0000000000000000")->IsZero());
}

TEST(IdHexTest, RejectsMalformed) {
  const char* bad_trace[] = {"", "5b8efff798038103d269b633813fc60", "5b8efff798038103d269b633813fc60c0",
                             "5b8efff798038103d269b633813fc60g", " b8efff798038103d269b633813fc60c"};
  for (const char* hex : bad_trace) EXPECT_FALSE(TraceId::FromHex(hex).has_value()) << hex;
  const char* bad_span[] = {"", "eee19b7ec3c1b17", "eee19b7ec3c1b1744", "eee19b7ec3c1b17x", "-ee19b7ec3c1b174"};
  for (const char* hex : bad_span) EXPECT_FALSE(SpanId::FromHex(hex).has_value()) << hex;
}

TEST(IdGeneratorTest, IdsAreNonZeroAndDistinct) {
  IdGenerator ids(0);  // Even a zero seed gives a working generator.
  std::set<std::string> traces;
  std::set<std::string> spans;
  for (int i = 0; i < 10000; ++i) {
    TraceId trace = ids.NewTraceId(0);  // Even at time 0 the random part keeps ids apart and non-zero.
    SpanId span = ids.NewSpanId();
    ASSERT_FALSE(trace.IsZero());
    ASSERT_FALSE(span.IsZero());
    traces.insert(trace.Hex());
    spans.insert(span.Hex());
  }
  EXPECT_EQ(traces.size(), 10000u);
  EXPECT_EQ(spans.size(), 10000u);
}

TEST(IdGeneratorTest, TraceIdsStartWithTheTimeSoLaterTracesSortAfter) {
  IdGenerator ids(7);
  const int64_t t = 1795397534562;  // 2026-11-22, in Unix milliseconds.
  TraceId first = ids.NewTraceId(t);
  EXPECT_EQ(first.Hex().substr(0, 12), "01a206084362");
  std::string previous = first.Hex();
  for (int i = 1; i <= 1000; ++i) {
    std::string next = ids.NewTraceId(t + i).Hex();
    EXPECT_LT(previous, next);  // Hex order is byte order, as the store's index sorts it.
    previous = next;
  }
  // The random part differs between two traces started in the same millisecond.
  EXPECT_NE(ids.NewTraceId(t).Hex(), ids.NewTraceId(t).Hex());
  EXPECT_EQ(ids.NewTraceId(-5).Hex().substr(0, 12), "000000000000");
}

TEST(IdGeneratorTest, SameSeedSameIdsOtherSeedOtherIds) {
  IdGenerator a(42);
  IdGenerator b(42);
  IdGenerator c(43);
  for (int i = 0; i < 100; ++i) {
    SpanId from_a = a.NewSpanId();
    EXPECT_EQ(from_a, b.NewSpanId());
    EXPECT_FALSE(from_a == c.NewSpanId());
  }
}

TEST(SpanEnumsTest, OtlpNumbers) {
  EXPECT_EQ(OtlpSpanKind(SpanKind::kInternal), 1);
  EXPECT_EQ(OtlpSpanKind(SpanKind::kClient), 3);
  EXPECT_EQ(SpanKindFromOtlp(3), SpanKind::kClient);
  EXPECT_FALSE(SpanKindFromOtlp(2).has_value());
  EXPECT_EQ(OtlpStatusCode(SpanStatus::kError), 2);
  EXPECT_EQ(SpanStatusFromOtlp(0), SpanStatus::kUnset);
  EXPECT_FALSE(SpanStatusFromOtlp(3).has_value());
}

TEST(AttributesTest, TypedLookupsAndUniqueKeys) {
  Attributes attributes;
  SetAttribute(&attributes, "s", "text");
  SetAttribute(&attributes, "i", 7);
  SetAttribute(&attributes, "d", 0.5);
  SetAttribute(&attributes, "b", true);
  SetAttribute(&attributes, "a", std::vector<std::string>{"stop"});
  SetAttribute(&attributes, "i", 8);  // Replaces in place.
  ASSERT_EQ(attributes.size(), 5u);
  EXPECT_EQ(*FindString(attributes, "s"), "text");
  EXPECT_EQ(FindInt(attributes, "i"), 8);
  EXPECT_EQ(FindNumber(attributes, "i"), 8.0);
  EXPECT_EQ(FindNumber(attributes, "d"), 0.5);
  EXPECT_FALSE(FindInt(attributes, "d").has_value());
  EXPECT_EQ(FindBool(attributes, "b"), true);
  EXPECT_EQ(FindStringArray(attributes, "a")->at(0), "stop");
  EXPECT_EQ(FindString(attributes, "i"), nullptr);
  EXPECT_EQ(FindAttribute(attributes, "missing"), nullptr);
}

}  // namespace
}  // namespace llmeval
