#include "tracing/span_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sample_trace.h"

namespace llmeval {
namespace {

TEST(SpanCodecTest, AttributesKeepTheirTypes) {
  Attributes attributes = {
      {"s", "gpt-4o \"quoted\" \xC2\xB0"},
      {"i", int64_t{52}},
      {"big", std::numeric_limits<int64_t>::min()},
      {"d_integral", 0.0},
      {"d_fraction", 0.7},
      {"d_huge", 1e300},
      {"b", false},
      {"a", std::vector<std::string>{"stop", "length"}},
      {"empty_array", std::vector<std::string>{}},
      {"empty_string", ""},
  };
  const std::string json = AttributesToJson(attributes);
  EXPECT_NE(json.find("\"d_integral\":0.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"i\":52,"), std::string::npos) << json;
  Result<Attributes> decoded = AttributesFromJson(json);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, attributes);
  EXPECT_TRUE(std::holds_alternative<double>(
      FindAttribute(*decoded, "d_integral") == nullptr ? AttributeValue() : *FindAttribute(*decoded, "d_integral")));
  EXPECT_TRUE(std::holds_alternative<int64_t>(*FindAttribute(*decoded, "i")));
}

TEST(SpanCodecTest, EmptyAndNonFinite) {
  EXPECT_EQ(AttributesToJson({}), "{}");
  EXPECT_EQ(EventsToJson({}), "[]");
  ASSERT_TRUE(AttributesFromJson("{}").ok());
  EXPECT_TRUE(AttributesFromJson("{}")->empty());
  Result<Attributes> nan = AttributesFromJson(AttributesToJson({{"x", std::numeric_limits<double>::infinity()}}));
  ASSERT_TRUE(nan.ok());
  EXPECT_TRUE(std::isnan(std::get<double>(nan->at(0).second)));
}

TEST(SpanCodecTest, SampleTraceRoundTrips) {
  for (const Span& span : testing::SampleItemTrace()) {
    Result<Attributes> attributes = AttributesFromJson(SpanAttributesToJson(span));
    ASSERT_TRUE(attributes.ok()) << attributes.status().ToString();
    EXPECT_EQ(*attributes, span.attributes) << span.name;
    Result<std::vector<SpanEvent>> events = EventsFromJson(SpanEventsToJson(span));
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    EXPECT_EQ(*events, span.events) << span.name;
  }
}

TEST(SpanCodecTest, RejectsMalformedInputWithAReason) {
  struct Case {
    const char* json;
    const char* expected_in_message;
  };
  const Case attribute_cases[] = {
      {"[1]", "expected an object"},
      {"{\"a\":", "not valid JSON"},
      {"{\"a\":{\"b\":1}}", "\"a\" is an object"},
      {"{\"a\":[1,2]}", "array of strings"},
      {"{\"a\":18446744073709551615}", "int64 range"},
  };
  for (const Case& c : attribute_cases) {
    Result<Attributes> result = AttributesFromJson(c.json);
    ASSERT_FALSE(result.ok()) << c.json;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(result.status().message().find(c.expected_in_message), std::string::npos)
        << c.json << " -> " << result.status().message();
  }
  const Case event_cases[] = {
      {"{}", "expected an array"},
      {"[{\"time_unix_nanos\":1}]", "event 0: expected a string \"name\""},
      {"[{\"name\":\"x\",\"time_unix_nanos\":1},{\"name\":\"y\"}]", "event 1: expected an integer"},
      {"[{\"name\":\"x\",\"time_unix_nanos\":1,\"attributes\":[]}]", "event 0"},
  };
  for (const Case& c : event_cases) {
    Result<std::vector<SpanEvent>> result = EventsFromJson(c.json);
    ASSERT_FALSE(result.ok()) << c.json;
    EXPECT_NE(result.status().message().find(c.expected_in_message), std::string::npos)
        << c.json << " -> " << result.status().message();
  }
}

}  // namespace
}  // namespace llmeval
