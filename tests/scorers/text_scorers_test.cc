#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using testing::Errored;
using testing::MustMake;
using testing::Output;
constexpr auto kPass = AssessmentOutcome::kPass;
constexpr auto kFail = AssessmentOutcome::kFail;
constexpr auto kError = AssessmentOutcome::kError;
constexpr auto kSkipped = AssessmentOutcome::kSkipped;

struct Case {
  const char* type;
  const char* params;
  const char* output;
  AssessmentOutcome expected;
};

class TextScorerTable : public ::testing::TestWithParam<Case> {};

TEST_P(TextScorerTable, Scores) {
  const Case& c = GetParam();
  auto scorer = MustMake(c.type, c.params, "t");
  ASSERT_NE(scorer, nullptr);
  Assessment a = scorer->Score(Output(c.output));
  EXPECT_EQ(a.outcome, c.expected) << c.type << " " << c.params << " on \"" << c.output << "\": " << a.rationale
                                   << a.error;
  EXPECT_EQ(a.name, "t");
  EXPECT_EQ(a.source, AssessmentSource::kCode);
}

INSTANTIATE_TEST_SUITE_P(
    Builtins, TextScorerTable,
    ::testing::Values(
        // word_count
        Case{"word_count", R"({"min": 2, "max": 4})", "one two three", kPass},
        Case{"word_count", R"({"min": 2, "max": 4})", "one", kFail},
        Case{"word_count", R"({"min": 2, "max": 4})", "a b c d e", kFail},
        Case{"word_count", R"({"max": 4})", "", kPass}, Case{"word_count", R"({"min": 1})", "", kFail},
        Case{"word_count", R"({"min": 1})", "   \n\t  ", kFail},
        Case{"word_count", R"({"max": 3})", "héllo wörld 日本語", kPass},
        Case{"word_count", R"({"min": "2"})", "two words", kPass},  // numbers as strings
        // contains
        Case{"contains", R"({"value": "Paris"})", "The capital is paris.", kPass},
        Case{"contains", R"({"value": "Paris", "case_sensitive": true})", "The capital is paris.", kFail},
        Case{"contains", R"({"values": ["cat", "dog"]})", "a dog", kPass},
        Case{"contains", R"({"values": ["cat", "dog"], "mode": "all"})", "a dog", kFail},
        Case{"contains", R"({"values": ["cat", "dog"], "mode": "all"})", "a dog and a CAT", kPass},
        Case{"contains", R"({"value": "日本"})", "I live in 日本語", kPass},
        Case{"contains", R"({"value": "x"})", "", kFail},
        Case{"contains", R"({"value": 42})", "the answer is 42", kPass},
        // not_contains
        Case{"not_contains", R"({"values": ["sorry", "as an ai"]})", "Here you go.", kPass},
        Case{"not_contains", R"({"values": ["sorry", "as an ai"]})", "As an AI, I cannot", kFail},
        Case{"not_contains", R"({"values": ["a", "b"], "mode": "all"})", "only a here", kPass},
        Case{"not_contains", R"({"values": ["a", "b"], "mode": "all"})", "a and b", kFail},
        Case{"not_contains", R"({"value": "x"})", "", kPass},
        // regex
        Case{"regex", R"({"pattern": "^\\d{3}-\\d{4}$"})", "555-1234", kPass},
        Case{"regex", R"({"pattern": "^\\d{3}-\\d{4}$"})", "call 555-1234", kFail},
        Case{"regex", R"({"pattern": "hello", "flags": "i"})", "HeLLo there", kPass},
        Case{"regex", R"({"pattern": "hello"})", "HeLLo there", kFail},
        Case{"regex", R"({"pattern": "^second$", "flags": "m"})", "first\nsecond\nthird", kPass},
        Case{"regex", R"({"pattern": "^second$"})", "first\nsecond\nthird", kFail},
        Case{"regex", R"({"pattern": ".*"})", "", kPass}, Case{"regex", R"({"pattern": "ü+"})", "grüüün", kPass}));

TEST(EqualsScorer, ComparesWithColumn) {
  auto scorer = MustMake("equals", "{}", "eq");
  ASSERT_NE(scorer, nullptr);
  ScoringContext ctx = Output("  Paris \n");
  ctx.variables["expected_response"] = "Paris";
  EXPECT_EQ(scorer->Score(ctx).outcome, kPass);
  ctx.output = "paris";
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_EQ(a.rationale, "expected \"Paris\", got \"paris\"");

  auto insensitive = MustMake("equals", R"({"case_sensitive": false, "column": "gold"})");
  ctx.variables["gold"] = "PARIS";
  EXPECT_EQ(insensitive->Score(ctx).outcome, kPass);

  auto no_trim = MustMake("equals", R"({"trim": false})");
  ctx.output = "Paris ";
  EXPECT_EQ(no_trim->Score(ctx).outcome, kFail);
}

TEST(EqualsScorer, MissingOrEmptyColumn) {
  auto scorer = MustMake("equals", R"({"column": "gold"})", "eq");
  ScoringContext ctx = Output("x");
  ctx.variables["question"] = "q";
  Assessment missing = scorer->Score(ctx);
  EXPECT_EQ(missing.outcome, kError);
  EXPECT_EQ(missing.error, "the row has no column 'gold' (columns: question)");
  ctx.variables["gold"] = "  ";
  Assessment empty = scorer->Score(ctx);
  EXPECT_EQ(empty.outcome, kSkipped);
  EXPECT_EQ(empty.rationale, "column 'gold' is empty in this row");
}

TEST(TextScorers, WordCountScoreAndRationale) {
  auto scorer = MustMake("word_count", R"({"max": 2})", "short");
  Assessment a = scorer->Score(Output("one two three"));
  EXPECT_EQ(a.outcome, kFail);
  ASSERT_TRUE(a.score.has_value());
  EXPECT_EQ(*a.score, 3);
  EXPECT_EQ(a.rationale, "3 words, more than the maximum of 2");
}

TEST(TextScorers, ContainsRationaleNamesFoundAndMissing) {
  auto scorer = MustMake("contains", R"({"values": ["cat", "dog"], "mode": "all"})");
  Assessment a = scorer->Score(Output("a cat"));
  EXPECT_EQ(a.rationale, "found \"cat\"; missing \"dog\"");
}

TEST(TextScorers, ErroredItemIsAnErrorNotAFailure) {
  for (const char* type : {"word_count", "contains", "not_contains", "regex", "equals"}) {
    std::string params = std::string(type) == "word_count" ? R"({"max": 5})"
                         : std::string(type) == "regex"    ? R"({"pattern": "x"})"
                         : std::string(type) == "equals"   ? "{}"
                                                           : R"({"value": "x"})";
    auto scorer = MustMake(type, params);
    ASSERT_NE(scorer, nullptr) << type;
    Assessment a = scorer->Score(Errored("HTTP 500: upstream failed"));
    EXPECT_EQ(a.outcome, kError) << type;
    EXPECT_EQ(a.error, "the application call failed: HTTP 500: upstream failed") << type;
  }
}

}  // namespace
}  // namespace llmeval
