#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/json_schema.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using testing::Errored;
using testing::MustMake;
using testing::Output;

TEST(JsonValid, AcceptsJsonRejectsOther) {
  auto scorer = MustMake("json_valid", "", "json");
  ASSERT_NE(scorer, nullptr);
  EXPECT_EQ(scorer->Score(Output(R"({"a": [1, 2, {"b": null}]})")).outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(scorer->Score(Output("  [1, \"ü\"]  \n")).outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(scorer->Score(Output("42")).outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(scorer->Score(Output("")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(scorer->Score(Output("{\"a\": 1,}")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(scorer->Score(Output("```json\n{\"a\": 1}\n```")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(scorer->Score(Output("{\"a\": 1} trailing")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(scorer->Score(Errored("boom")).outcome, AssessmentOutcome::kError);
  EXPECT_EQ(scorer->Score(Output(R"({"a":1})")).rationale, "valid JSON object");
}

constexpr const char* kPersonSchema = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 5},
    "age": {"type": "integer", "minimum": 0, "maximum": 150},
    "tags": {"type": "array", "items": {"enum": ["a", "b"]}, "maxItems": 2},
    "kind": {"const": "person"},
    "code": {"type": "string", "pattern": "^[A-Z]{2}$"}
  },
  "required": ["name", "age"],
  "additionalProperties": false
})";

struct SchemaCase {
  const char* json;
  const char* first_problem;  // "" when valid
};

class JsonSchemaTable : public ::testing::TestWithParam<SchemaCase> {};

TEST_P(JsonSchemaTable, Validates) {
  Result<JsonSchema> schema = JsonSchema::Compile(kPersonSchema);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::vector<std::string> problems = schema->Validate(GetParam().json);
  if (std::string(GetParam().first_problem).empty()) {
    EXPECT_TRUE(problems.empty()) << problems[0];
  } else {
    ASSERT_FALSE(problems.empty()) << GetParam().json;
    EXPECT_EQ(problems[0], GetParam().first_problem);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Subset, JsonSchemaTable,
    ::testing::Values(
        SchemaCase{R"({"name": "Ann", "age": 30})", ""},
        SchemaCase{R"({"name": "Zoë", "age": 30.0, "tags": ["a", "b"], "kind": "person", "code": "FR"})", ""},
        SchemaCase{R"({"name": "日本語です", "age": 1})", ""},  // 5 code points, 15 bytes
        SchemaCase{R"({"age": 30})", "$: missing required property \"name\""},
        SchemaCase{R"({"name": "Ann", "age": "30"})", "$.age: expected integer, got string"},
        SchemaCase{R"({"name": "Ann", "age": 30.5})", "$.age: expected integer, got number"},
        SchemaCase{R"({"name": "Ann", "age": -1})", "$.age: -1 is less than the minimum 0"},
        SchemaCase{R"({"name": "Ann", "age": 151})", "$.age: 151 is greater than the maximum 150"},
        SchemaCase{R"({"name": "", "age": 1})", "$.name: string of 0 characters is shorter than minLength 1"},
        SchemaCase{R"({"name": "Annabel", "age": 1})", "$.name: string of 7 characters is longer than maxLength 5"},
        SchemaCase{R"({"name": "A", "age": 1, "tags": ["c"]})", "$.tags[0]: expected one of \"a\", \"b\", got \"c\""},
        SchemaCase{R"({"name": "A", "age": 1, "tags": ["a", "a", "b"]})",
                   "$.tags: array of 3 items has more than maxItems 2"},
        SchemaCase{R"({"name": "A", "age": 1, "kind": "robot"})", "$.kind: expected \"person\", got \"robot\""},
        SchemaCase{R"({"name": "A", "age": 1, "code": "fr"})", "$.code: \"fr\" does not match pattern /^[A-Z]{2}$/"},
        SchemaCase{R"({"name": "A", "age": 1, "extra": true})",
                   "$: property \"extra\" is not allowed (additionalProperties is false)"},
        SchemaCase{R"([1, 2])", "$: expected object, got array"}));

TEST(JsonSchema, NotJsonIsOneProblem) {
  Result<JsonSchema> schema = JsonSchema::Compile(kPersonSchema);
  ASSERT_TRUE(schema.ok());
  std::vector<std::string> problems = schema->Validate("not json");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("not valid JSON (", 0), 0u) << problems[0];
  EXPECT_TRUE(problems[0].size() > 11 && problems[0].substr(problems[0].size() - 11) == "): not json") << problems[0];
}

TEST(JsonSchema, ReportsSeveralProblemsUpToTheLimit) {
  Result<JsonSchema> schema = JsonSchema::Compile(kPersonSchema);
  ASSERT_TRUE(schema.ok());
  std::vector<std::string> problems = schema->Validate(R"({"x": 1, "y": 2, "z": 3})", 2);
  EXPECT_EQ(problems.size(), 2u);
  EXPECT_EQ(schema->Validate(R"({"x": 1, "y": 2, "z": 3})", 10).size(), 5u);  // 2 required + 3 extra
}

TEST(JsonSchema, TypeListsAndNestedAdditionalSchemas) {
  Result<JsonSchema> schema = JsonSchema::Compile(
      R"({"type": "object", "additionalProperties": {"type": ["number", "null"], "exclusiveMinimum": 0}})");
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->Validate(R"({"a": 1.5, "b": null})").empty());
  std::vector<std::string> problems = schema->Validate(R"({"a": 0, "weird key": "x"})");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "$.a: 0 is not greater than 0");
  EXPECT_EQ(problems[1], "$[\"weird key\"]: expected null or number, got string");
}

TEST(JsonSchema, CompileErrorsNameThePlace) {
  EXPECT_EQ(JsonSchema::Compile(R"({"properties": {"age": {"type": "int"}}})").status().message(),
            "schema at $.properties.age: 'type' has unknown type \"int\"; known types: array, boolean, integer, null, "
            "number, object, string");
  EXPECT_EQ(JsonSchema::Compile(R"({"minLength": -1})").status().message(),
            "schema at $: 'minLength' must be a non-negative integer");
  EXPECT_EQ(JsonSchema::Compile(R"({"required": "name"})").status().message(),
            "schema at $: 'required' must be a list of property names");
  EXPECT_EQ(JsonSchema::Compile("[1]").status().message(), "schema must be a JSON object, got array");
  EXPECT_FALSE(JsonSchema::Compile(R"({"pattern": "("})").ok());
}

TEST(JsonSchemaScorer, PassesFailsAndExplains) {
  auto scorer = MustMake("json_schema", std::string(R"({"schema": )") + kPersonSchema + "}", "shape");
  ASSERT_NE(scorer, nullptr);
  EXPECT_EQ(scorer->Score(Output(R"({"name": "Ann", "age": 3})")).outcome, AssessmentOutcome::kPass);
  Assessment bad = scorer->Score(Output(R"({"name": "Ann"})"));
  EXPECT_EQ(bad.outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(bad.rationale, "$: missing required property \"age\"");
  EXPECT_EQ(scorer->Score(Output("")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(scorer->Score(Errored("x")).outcome, AssessmentOutcome::kError);

  // The schema may also be given as a JSON text.
  auto from_text = MustMake("json_schema", R"({"schema": "{\"type\": \"array\"}"})");
  ASSERT_NE(from_text, nullptr);
  EXPECT_EQ(from_text->Score(Output("[]")).outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(from_text->Score(Output("{}")).outcome, AssessmentOutcome::kFail);
}

}  // namespace
}  // namespace llmeval
