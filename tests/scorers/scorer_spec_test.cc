#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using testing::MustMake;
using testing::Output;
using testing::SpecError;

struct SpecCase {
  const char* type;
  const char* params;
  const char* message;
};

class SpecErrors : public ::testing::TestWithParam<SpecCase> {};

TEST_P(SpecErrors, ExactMessage) { EXPECT_EQ(SpecError(GetParam().type, GetParam().params), GetParam().message); }

INSTANTIATE_TEST_SUITE_P(
    Messages, SpecErrors,
    ::testing::Values(
        SpecCase{"word_count", "{}", "scorer 's' (word_count): needs 'min', 'max' or both"},
        SpecCase{"word_count", R"({"min": "ten"})",
                 "scorer 's' (word_count): parameter 'min' must be an integer, got \"ten\""},
        SpecCase{"word_count", R"({"min": 1.5})",
                 "scorer 's' (word_count): parameter 'min' must be an integer, got 1.5"},
        SpecCase{"word_count", R"({"min": 5, "max": 2})",
                 "scorer 's' (word_count): 'min' (5) is greater than 'max' (2)"},
        SpecCase{"word_count", R"({"maxx": 5})",
                 "scorer 's' (word_count): unknown parameter 'maxx' (did you mean 'max'?); known parameters: min, max"},
        SpecCase{"word_count", "[1]", "scorer 's' (word_count): parameters must be a JSON object, got array"},
        SpecCase{"word_count", "{min: 1}", "scorer 's' (word_count): parameters are not valid JSON: {min: 1}"},
        SpecCase{"contains", "{}", "scorer 's' (contains): needs 'values' (a list of strings) or 'value'"},
        SpecCase{"contains", R"({"values": [["a"]]})",
                 "scorer 's' (contains): parameter 'values' must be a string or a list of strings, got [\"a\"]"},
        SpecCase{"contains", R"({"value": "a", "mode": "most"})",
                 "scorer 's' (contains): parameter 'mode' must be \"any\" or \"all\", got \"most\""},
        SpecCase{"not_contains", R"({"value": "a", "case_sensitive": "maybe"})",
                 "scorer 's' (not_contains): parameter 'case_sensitive' must be true or false, got \"maybe\""},
        SpecCase{"regex", "{}", "scorer 's' (regex): missing required parameter 'pattern'"},
        SpecCase{
            "regex", R"({"pattern": "a", "flags": "ix"})",
            "scorer 's' (regex): parameter 'flags' has unknown flag 'x'; known flags: i (ignore case), m (multiline)"},
        SpecCase{"equals", R"({"column": ""})", "scorer 's' (equals): parameter 'column' must not be empty"},
        SpecCase{"json_valid", R"({"strict": true})",
                 "scorer 's' (json_valid): unknown parameter 'strict'; this type takes no parameters"},
        SpecCase{"json_schema", "{}", "scorer 's' (json_schema): missing required parameter 'schema'"},
        SpecCase{"json_schema", R"({"schema": {"type": "strin"}})",
                 "scorer 's' (json_schema): parameter 'schema': schema at $: 'type' has unknown type \"strin\"; known "
                 "types: array, boolean, integer, null, number, object, string"},
        SpecCase{"latency_max", "{}", "scorer 's' (latency_max): missing required parameter 'ms'"},
        SpecCase{"latency_max", R"({"ms": -5})", "scorer 's' (latency_max): parameter 'ms' must not be negative"},
        SpecCase{"cost_max", R"({"usd": "cheap"})",
                 "scorer 's' (cost_max): parameter 'usd' must be a number, got \"cheap\""},
        SpecCase{
            "token_count_max", R"({"max": 5, "which": "both"})",
            "scorer 's' (token_count_max): parameter 'which' must be \"output\", \"input\" or \"total\", got \"both\""},
        SpecCase{"tool_called", R"({"min": 3, "max": 1})",
                 "scorer 's' (tool_called): 'min' (3) is greater than 'max' (1)"},
        SpecCase{"tool_args_match", R"({"name": "x"})",
                 "scorer 's' (tool_args_match): needs 'args' (an object of expected arguments), 'pattern' or "
                 "'schema'"},
        SpecCase{"tool_args_match", R"({"name": "x", "args": [1]})",
                 "scorer 's' (tool_args_match): parameter 'args' must be an object of expected arguments"},
        SpecCase{"guidelines", "{}",
                 "scorer 's' (guidelines): needs 'guidelines' (a list), 'guideline' or 'guidelines_column'"},
        SpecCase{"guidelines", R"({"guideline": "a", "guidelines_column": "c"})",
                 "scorer 's' (guidelines): give either fixed guidelines or 'guidelines_column', not both"},
        SpecCase{"guidelines", R"({"guideline": "a", "samples": 0})",
                 "scorer 's' (guidelines): parameter 'samples' must be between 1 and 15"},
        SpecCase{"safety", R"({"template": "judge this"})",
                 "scorer 's' (safety): parameter 'template' must contain the marker 'llmeval-judge'"},
        SpecCase{"correctness", R"({"judge": "gpt"})",
                 "scorer 's' (correctness): unknown parameter 'judge'; known parameters: column, judge_model, samples, "
                 "judge_samples, "
                 "include_trace, structured_output, temperature, template"}));

TEST(MakeScorer, InvalidRegexIsInvalidInput) {
  std::string message = SpecError("regex", R"({"pattern": "(unclosed"})");
  EXPECT_EQ(
      message.rfind("scorer 's' (regex): parameter 'pattern' is not a valid regular expression: /(unclosed/: ", 0), 0u)
      << message;
}

TEST(MakeScorer, UnknownTypeListsKnownTypes) {
  Result<std::unique_ptr<Scorer>> scorer = MakeScorer({"brief", "wordcount", "{}"});
  ASSERT_FALSE(scorer.ok());
  EXPECT_EQ(scorer.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(scorer.status().message().rfind(
                "scorer 'brief': unknown type 'wordcount' (did you mean 'word_count'?); known types: contains, "
                "correctness, cost_max, equals, finish_reason, goal_achieved, guidelines, json_schema, json_valid, "
                "knowledge_retention, latency_max, no_error, no_repeated_calls, not_contains, regex, "
                "relevance_to_query, safety, step_count_max, token_count_max, tool_args_match, tool_called, "
                "tool_sequence, trajectory, turns_to_goal, word_count",
                0),
            0u)
      << scorer.status().message();
  EXPECT_EQ(MakeScorer({"x", "", "{}"}).status().message(), "scorer 'x': missing 'type'");
}

TEST(MakeScorer, NameDefaultsToTypeAndSameTypeUnderManyNames) {
  auto unnamed = MustMake("no_error", "");
  ASSERT_NE(unnamed, nullptr);
  EXPECT_EQ(unnamed->name(), "no_error");
  auto short_answer = MustMake("word_count", R"({"max": 3})", "short_answer");
  auto long_answer = MustMake("word_count", R"({"min": 3})", "long_answer");
  EXPECT_EQ(short_answer->name(), "short_answer");
  EXPECT_EQ(long_answer->name(), "long_answer");
  EXPECT_EQ(short_answer->Score(Output("a b c d")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(long_answer->Score(Output("a b c d")).outcome, AssessmentOutcome::kPass);
  EXPECT_FALSE(short_answer->is_judge());
}

class StartsWithScorer : public Scorer {
 public:
  StartsWithScorer(std::string name, std::string prefix) : name_(std::move(name)), prefix_(std::move(prefix)) {}
  const std::string& name() const override { return name_; }
  Assessment Score(const ScoringContext& ctx) const override {
    return ctx.output.rfind(prefix_, 0) == 0 ? PassAssessment(name_) : FailAssessment(name_, "wrong start");
  }

 private:
  std::string name_, prefix_;
};

TEST(RegisterScorerType, CustomTypesCanBeBuilt) {
  RegisterScorerType("zz_starts_with", [](const ScorerSpec& spec) -> Result<std::unique_ptr<Scorer>> {
    if (spec.params_json.empty()) return Status::InvalidInput("needs a prefix");
    return std::unique_ptr<Scorer>(new StartsWithScorer(spec.name, spec.params_json));
  });
  auto scorer = MustMake("zz_starts_with", "Hello", "greets");
  ASSERT_NE(scorer, nullptr);
  EXPECT_EQ(scorer->Score(Output("Hello there")).outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(scorer->Score(Output("Hi")).outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(SpecError("zz_starts_with", ""), "needs a prefix");
  std::vector<std::string> types = KnownScorerTypes();
  EXPECT_NE(std::find(types.begin(), types.end(), "zz_starts_with"), types.end());
}

}  // namespace
}  // namespace llmeval
