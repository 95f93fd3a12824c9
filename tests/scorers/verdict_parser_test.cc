#include "scorers/verdict_parser.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

struct ReplyCase {
  const char* reply;
  bool pass;
  const char* rationale;
};

class VerdictReplies : public ::testing::TestWithParam<ReplyCase> {};

TEST_P(VerdictReplies, Parses) {
  Result<JudgeVerdict> verdict = ParseJudgeVerdict(GetParam().reply);
  ASSERT_TRUE(verdict.ok()) << GetParam().reply << " -> " << verdict.status().ToString();
  EXPECT_EQ(verdict->pass, GetParam().pass) << GetParam().reply;
  EXPECT_EQ(verdict->rationale, GetParam().rationale) << GetParam().reply;
}

INSTANTIATE_TEST_SUITE_P(
    RealWorld, VerdictReplies,
    ::testing::Values(
        ReplyCase{R"({"verdict": "yes", "rationale": "Mentions Paris."})", true, "Mentions Paris."},
        ReplyCase{R"({"verdict":"no","rationale":"Wrong city."})", false, "Wrong city."},
        ReplyCase{"```json\n{\"verdict\": \"no\", \"rationale\": \"Too long.\"}\n```", false, "Too long."},
        ReplyCase{"```\n{\"verdict\": \"yes\"}\n```", true, ""},
        ReplyCase{"Sure! Here is my evaluation:\n{\"verdict\": \"yes\", \"rationale\": \"Concise.\"}\nHope this helps.",
                  true, "Concise."},
        ReplyCase{R"({"Verdict": "Yes", "Rationale": "Good."})", true, "Good."},
        ReplyCase{R"({"VERDICT": "NO", "REASON": "Off topic."})", false, "Off topic."},
        ReplyCase{R"({"verdict": "Yes.", "rationale": ""})", true, ""},
        ReplyCase{R"({"verdict": "pass", "explanation": "Meets all."})", true, "Meets all."},
        ReplyCase{R"({"verdict": "FAIL"})", false, ""},
        ReplyCase{R"({"verdict": true, "rationale": "ok"})", true, "ok"}, ReplyCase{R"({"verdict": false})", false, ""},
        ReplyCase{R"({"verdict": 1, "reasoning": "fine"})", true, "fine"}, ReplyCase{R"({"verdict": 0})", false, ""},
        ReplyCase{R"({"passed": false, "justification": "Missing the date."})", false, "Missing the date."},
        ReplyCase{R"({"result": {"verdict": "yes", "rationale": "nested"}})", true, "nested"},
        ReplyCase{R"({"rationale": "The answer {with braces} is right", "verdict": "yes"})", true,
                  "The answer {with braces} is right"},
        ReplyCase{"{'verdict': 'no', 'rationale': 'Python dict style'}", false, "Python dict style"},
        ReplyCase{"{\"verdict\": \"yes\", \"rationale\": \"trailing comma\",}", true, "trailing comma"},
        ReplyCase{"Verdict: yes\nRationale: It answers the question.", true, "It answers the question."},
        ReplyCase{"**Verdict:** **No**\n\n**Reason:** contradicts the expected facts", false,
                  "contradicts the expected facts"},
        ReplyCase{"After careful analysis the answer is weak.\n\nFinal verdict: NO", false, ""},
        ReplyCase{"Yes", true, ""}, ReplyCase{"yes.", true, ""},
        ReplyCase{"No, because the answer names Lyon instead of Paris.", false,
                  "because the answer names Lyon instead of Paris."},
        ReplyCase{"NO - it is rude.", false, "it is rude."},
        ReplyCase{"**Yes** The answer follows every guideline.", true, "The answer follows every guideline."},
        ReplyCase{"\"Yes\"", true, ""}, ReplyCase{"  \n PASS\n", true, ""},
        ReplyCase{"False. The answer is incorrect.", false, "The answer is incorrect."},
        ReplyCase{"{\"thoughts\": \"ignore me\"}\n{\"verdict\": \"no\"}", false, ""},
        ReplyCase{"{\"verdict\": \"yes\", \"rationale\": \"Unicode ✓ réponse 日本\"}", true,
                  "Unicode ✓ réponse 日本"}));

struct BadCase {
  const char* reply;
  const char* message;
};

class UnparseableReplies : public ::testing::TestWithParam<BadCase> {};

TEST_P(UnparseableReplies, InvalidInputWithExcerpt) {
  Result<JudgeVerdict> verdict = ParseJudgeVerdict(GetParam().reply);
  ASSERT_FALSE(verdict.ok()) << GetParam().reply;
  EXPECT_EQ(verdict.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(verdict.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, UnparseableReplies,
    ::testing::Values(
        BadCase{"", "the judge reply is empty"}, BadCase{"   \n ", "the judge reply is empty"},
        BadCase{"I think it is mostly fine but hard to say.",
                "could not find a yes/no verdict in the judge reply: \"I think it is mostly fine but hard to say.\""},
        BadCase{"{\"verdict\": \"maybe\"}",
                "could not find a yes/no verdict in the judge reply: \"{\"verdict\": \"maybe\"}\""},
        BadCase{"N/A", "could not find a yes/no verdict in the judge reply: \"N/A\""},
        BadCase{"1. The answer is relevant.",
                "could not find a yes/no verdict in the judge reply: \"1. The answer is relevant.\""},
        BadCase{"The quick brown fox jumps over the lazy dog and keeps running through the field until nightfall comes",
                "could not find a yes/no verdict in the judge reply: \"The quick brown fox jumps over the lazy dog and "
                "keeps running "
                "through the field ...\""},
        BadCase{"Notably, the answer is long.",
                "could not find a yes/no verdict in the judge reply: \"Notably, the answer is long.\""}));

TEST(ParseVerdictWord, Words) {
  EXPECT_EQ(ParseVerdictWord("Yes."), true);
  EXPECT_EQ(ParseVerdictWord("**NO**"), false);
  EXPECT_EQ(ParseVerdictWord("'pass'"), true);
  EXPECT_EQ(ParseVerdictWord("Yes, it does"), true);
  EXPECT_EQ(ParseVerdictWord("y"), true);
  EXPECT_EQ(ParseVerdictWord("0"), false);
  EXPECT_EQ(ParseVerdictWord("maybe"), std::nullopt);
  EXPECT_EQ(ParseVerdictWord("Y-axis"), std::nullopt);
  EXPECT_EQ(ParseVerdictWord(""), std::nullopt);
}

}  // namespace
}  // namespace llmeval
