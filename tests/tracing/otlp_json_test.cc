#include "tracing/otlp_json.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "sample_trace.h"
#include "tracing/semconv.h"

namespace llmeval {
namespace {

using simdjson::dom::element;

bool IsLowerHex(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  bool nonzero = false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
    nonzero = nonzero || c != '0';
  }
  return nonzero;
}

bool IsDecimalString(element value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS || text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Checks the OTLP structural rules on a KeyValue list: unique keys and exactly one member per AnyValue.
void CheckKeyValues(element list) {
  std::set<std::string> keys;
  for (element kv : list.get_array()) {
    std::string_view key = kv["key"].get_string().value();
    EXPECT_TRUE(keys.insert(std::string(key)).second) << "duplicate key " << key;
    simdjson::dom::object value = kv["value"].get_object().value();
    EXPECT_EQ(value.size(), 1u) << key;
  }
}

// Returns the AnyValue of `key` in a KeyValue list.
element ValueOf(element list, std::string_view key) {
  for (element kv : list.get_array()) {
    if (kv["key"].get_string().value() == key) return kv["value"].value();
  }
  ADD_FAILURE() << "no attribute " << key;
  return element();
}

class OtlpJsonTest : public ::testing::Test {
 protected:
  element Parse(const std::string& json) {
    element root;
    EXPECT_EQ(parser_.parse(json).get(root), simdjson::SUCCESS) << json;
    return root;
  }
  simdjson::dom::parser parser_;
};

TEST_F(OtlpJsonTest, SampleTraceHasTheOtlpShape) {
  const std::vector<Span> spans = testing::SampleItemTrace();
  const std::string json = EncodeOtlpJson(spans, LlmevalResource("0.1.0", "weather-qa"), 0);
  element root = Parse(json);
  element resource_spans = root["resourceSpans"].at(0).value();
  CheckKeyValues(resource_spans["resource"]["attributes"].value());
  EXPECT_EQ(
      ValueOf(resource_spans["resource"]["attributes"].value(), "service.name")["stringValue"].get_string().value(),
      "llmeval");
  element scope_spans = resource_spans["scopeSpans"].at(0).value();
  EXPECT_EQ(scope_spans["scope"]["name"].get_string().value(), "llmeval");
  EXPECT_EQ(scope_spans["scope"]["version"].get_string().value(), "0.1.0");
  EXPECT_EQ(scope_spans["schemaUrl"].get_string().value(), semconv::kSchemaUrl);

  simdjson::dom::array out = scope_spans["spans"].get_array().value();
  ASSERT_EQ(out.size(), spans.size());
  std::set<std::string> span_ids;
  for (element span : out) span_ids.insert(std::string(span["spanId"].get_string().value()));
  size_t index = 0;
  for (element span : out) {
    const Span& in = spans[index++];
    SCOPED_TRACE(in.name);
    EXPECT_TRUE(IsLowerHex(span["traceId"].get_string().value(), 32));
    EXPECT_TRUE(IsLowerHex(span["spanId"].get_string().value(), 16));
    std::string_view parent;
    if (in.parent_span_id.IsZero()) {
      EXPECT_EQ(span["parentSpanId"].error(), simdjson::NO_SUCH_FIELD);  // Omitted for roots.
    } else {
      ASSERT_EQ(span["parentSpanId"].get_string().get(parent), simdjson::SUCCESS);
      EXPECT_TRUE(IsLowerHex(parent, 16));
      EXPECT_EQ(span_ids.count(std::string(parent)), 1u);
    }
    EXPECT_EQ(span["name"].get_string().value(), in.name);
    EXPECT_EQ(span["kind"].get_int64().value(), in.kind == SpanKind::kClient ? 3 : 1);
    ASSERT_TRUE(IsDecimalString(span["startTimeUnixNano"].value()));
    ASSERT_TRUE(IsDecimalString(span["endTimeUnixNano"].value()));
    EXPECT_EQ(span["startTimeUnixNano"].get_string().value(), std::to_string(in.start_unix_nanos));
    CheckKeyValues(span["attributes"].value());
    if (in.status == SpanStatus::kError) {
      EXPECT_EQ(span["status"]["code"].get_int64().value(), 2);
      EXPECT_EQ(span["status"]["message"].get_string().value(), in.status_message);
    } else {
      EXPECT_EQ(span["status"].error(), simdjson::NO_SUCH_FIELD);
    }
    simdjson::dom::array events;
    if (in.events.empty()) {
      EXPECT_EQ(span["events"].error(), simdjson::NO_SUCH_FIELD);
    } else {
      ASSERT_EQ(span["events"].get_array().get(events), simdjson::SUCCESS);
      EXPECT_EQ(events.size(), in.events.size());
      for (element event : events) {
        EXPECT_TRUE(IsDecimalString(event["timeUnixNano"].value()));
        CheckKeyValues(event["attributes"].value());
      }
    }
  }

  // Typed values, on the first chat span.
  element chat = out.at(2).value();
  element attributes = chat["attributes"].value();
  EXPECT_EQ(ValueOf(attributes, semconv::kGenAiUsageInputTokens)["intValue"].get_string().value(), "52");
  EXPECT_EQ(ValueOf(attributes, semconv::kServerPort)["intValue"].get_string().value(), "443");
  EXPECT_EQ(ValueOf(attributes, semconv::kGenAiRequestTemperature)["doubleValue"].get_double().value(), 0.0);
  EXPECT_EQ(ValueOf(attributes, semconv::kLlmevalCostUsd)["doubleValue"].get_double().value(), 0.0011);
  EXPECT_EQ(ValueOf(attributes, semconv::kGenAiResponseFinishReasons)["arrayValue"]["values"]
                .at(0)["stringValue"]
                .get_string()
                .value(),
            "tool_calls");
  EXPECT_EQ(ValueOf(out.at(0)["attributes"].value(), semconv::kLlmevalPassed)["boolValue"].get_bool().value(), false);
  EXPECT_EQ(chat["events"].at(0)["name"].get_string().value(), semconv::kEventRetry);
}

TEST_F(OtlpJsonTest, LongStringsAreCutAtCharacterBoundariesAndListed) {
  Span span = testing::SampleItemTrace()[3];                              // execute_tool get_weather
  const std::string result = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";  // "ééééé", 10 bytes.
  SetAttribute(&span.attributes, semconv::kGenAiToolCallResult, result);
  SetAttribute(&span.attributes, "tags", std::vector<std::string>{"short", "a much longer tag"});
  span.events.push_back(SpanEvent{"note", span.start_unix_nanos, {{"text", "0123456789abcdef"}}});
  const std::string json = EncodeOtlpJson({span}, Resource(), 7);
  element out = Parse(json)["resourceSpans"].at(0)["scopeSpans"].at(0)["spans"].at(0).value();
  element attributes = out["attributes"].value();
  CheckKeyValues(attributes);
  // 7 bytes would split the fourth "é": the cut keeps 6 bytes and removes 4.
  EXPECT_EQ(ValueOf(attributes, semconv::kGenAiToolCallResult)["stringValue"].get_string().value(),
            "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6[truncated 4 bytes]");
  EXPECT_EQ(ValueOf(attributes, semconv::kGenAiToolName)["stringValue"].get_string().value(),
            "get_wea"
            "\xE2\x80\xA6[truncated 4 bytes]");
  element tags = ValueOf(attributes, "tags")["arrayValue"]["values"].value();
  EXPECT_EQ(tags.at(0)["stringValue"].get_string().value(), "short");
  EXPECT_EQ(tags.at(1)["stringValue"].get_string().value(), "a much \xE2\x80\xA6[truncated 10 bytes]");
  EXPECT_EQ(ValueOf(out["events"].at(0)["attributes"].value(), "text")["stringValue"].get_string().value(),
            "0123456\xE2\x80\xA6[truncated 9 bytes]");
  // Every cut key is listed once, event keys as "<event>/<key>".
  std::set<std::string> listed;
  for (element key : ValueOf(attributes, semconv::kLlmevalTruncatedAttributes)["arrayValue"]["values"].get_array()) {
    listed.insert(std::string(key["stringValue"].get_string().value()));
  }
  const std::set<std::string> expected = {semconv::kGenAiToolName,
                                          semconv::kGenAiToolCallId,
                                          semconv::kGenAiToolType,
                                          semconv::kGenAiToolCallArguments,
                                          semconv::kGenAiToolCallResult,
                                          semconv::kOpenInferenceSpanKind,
                                          semconv::kLlmevalSpanType,
                                          semconv::kGenAiOperationName,
                                          "tags",
                                          "note/text"};
  std::set<std::string> expected_cut;
  for (const std::string& key : expected) {
    const std::string* value = FindString(span.attributes, key);
    if (value == nullptr || value->size() > 7) expected_cut.insert(key);
  }
  EXPECT_EQ(listed, expected_cut);
}

TEST_F(OtlpJsonTest, NoLimitKeepsEverythingAndNoBookkeeping) {
  const std::vector<Span> spans = testing::SampleItemTrace();
  const std::string json = EncodeOtlpJson(spans, Resource(), 0);
  EXPECT_EQ(json.find(semconv::kLlmevalTruncatedAttributes), std::string::npos);
  EXPECT_EQ(json.find("truncated"), std::string::npos);
  EXPECT_NE(json.find("Matches the reference: rain and 14 degrees."), std::string::npos);
}

TEST_F(OtlpJsonTest, NonFiniteDoublesAndEmptyInput) {
  Span span = testing::SampleItemTrace()[0];
  span.attributes = {{"nan", std::nan("")}, {"inf", -std::numeric_limits<double>::infinity()}};
  element out =
      Parse(EncodeOtlpJson({span}, Resource(), 0))["resourceSpans"].at(0)["scopeSpans"].at(0)["spans"].at(0).value();
  EXPECT_EQ(ValueOf(out["attributes"].value(), "nan")["doubleValue"].get_string().value(), "NaN");
  EXPECT_EQ(ValueOf(out["attributes"].value(), "inf")["doubleValue"].get_string().value(), "-Infinity");
  element empty = Parse(EncodeOtlpJson({}, Resource(), 0));
  EXPECT_EQ(empty["resourceSpans"].at(0)["scopeSpans"].at(0)["spans"].get_array().value().size(), 0u);
}

TEST(TruncateAttributeStringTest, Boundaries) {
  std::string text = "abcdef";
  EXPECT_FALSE(TruncateAttributeString(&text, 6));
  EXPECT_FALSE(TruncateAttributeString(&text, 0));
  EXPECT_EQ(text, "abcdef");
  EXPECT_TRUE(TruncateAttributeString(&text, 5));
  EXPECT_EQ(text, "abcde\xE2\x80\xA6[truncated 1 bytes]");
  std::string euro = "\xE2\x82\xAC\xE2\x82\xAC";  // "€€"
  EXPECT_TRUE(TruncateAttributeString(&euro, 2));
  EXPECT_EQ(euro, "\xE2\x80\xA6[truncated 6 bytes]");
}

}  // namespace
}  // namespace llmeval
