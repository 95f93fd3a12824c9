#include "scorers/assessment.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

TEST(Assessment, NamesRoundTrip) {
  for (AssessmentOutcome o :
       {AssessmentOutcome::kPass, AssessmentOutcome::kFail, AssessmentOutcome::kError, AssessmentOutcome::kSkipped}) {
    EXPECT_EQ(ParseAssessmentOutcome(AssessmentOutcomeName(o)), o);
  }
  for (AssessmentSource s : {AssessmentSource::kCode, AssessmentSource::kLlmJudge, AssessmentSource::kHuman}) {
    EXPECT_EQ(ParseAssessmentSource(AssessmentSourceName(s)), s);
  }
  EXPECT_EQ(ParseAssessmentOutcome("passed"), std::nullopt);
  EXPECT_STREQ(AssessmentSourceName(AssessmentSource::kLlmJudge), "llm_judge");
}

TEST(Assessment, Builders) {
  EXPECT_TRUE(PassAssessment("a").passed());
  EXPECT_TRUE(FailAssessment("a", "why").decided());
  Assessment e = ErrorAssessment("a", "broke");
  EXPECT_FALSE(e.decided());
  EXPECT_EQ(e.error, "broke");
  EXPECT_EQ(SkippedAssessment("a", "n/a").outcome, AssessmentOutcome::kSkipped);
}

TEST(Assessment, ToJson) {
  Assessment a = FailAssessment("short", "12 words \"too\" many");
  a.score = 12;
  EXPECT_EQ(AssessmentToJson(a),
            R"({"name":"short","outcome":"fail","score":12,"rationale":"12 words \"too\" many","source":"code"})");
  Assessment j;
  j.name = "judge";
  j.outcome = AssessmentOutcome::kPass;
  j.label = "yes";
  j.source = AssessmentSource::kLlmJudge;
  j.judge_model = "m";
  j.judge_input_tokens = 10;
  j.judge_output_tokens = 2;
  j.judge_samples = 1;
  j.judge_agreement = 1;
  EXPECT_EQ(AssessmentToJson(j),
            R"({"name":"judge","outcome":"pass","label":"yes","source":"llm_judge","judge":{"model":"m",)"
            R"("input_tokens":10,"output_tokens":2,"samples":1,"agreement":1}})");
}

TEST(Assessment, ParseUserScorerJson) {
  Result<Assessment> a = ParseAssessmentJson(R"({"pass": true, "score": 0.9, "rationale": "good"})", "mine");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->name, "mine");
  EXPECT_EQ(a->outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(a->score, 0.9);
  EXPECT_EQ(a->rationale, "good");

  EXPECT_EQ(ParseAssessmentJson(R"({"outcome": "fail", "reason": "bad"})", "m")->rationale, "bad");
  EXPECT_EQ(ParseAssessmentJson(R"({"outcome": "SKIPPED"})", "m")->outcome, AssessmentOutcome::kSkipped);
  EXPECT_EQ(ParseAssessmentJson(R"({"score": 3})", "m")->outcome, AssessmentOutcome::kPass);
  Result<Assessment> err = ParseAssessmentJson(R"({"error": "worker crashed"})", "m");
  EXPECT_EQ(err->outcome, AssessmentOutcome::kError);
  EXPECT_EQ(err->error, "worker crashed");

  EXPECT_EQ(ParseAssessmentJson("ok", "m").status().message(),
            "scorer 'm': expected a JSON object like {\"pass\": true, \"score\": 0.9, \"rationale\": \"...\"}: ok");
  EXPECT_EQ(ParseAssessmentJson(R"({"pass": "yes"})", "m").status().message(),
            "scorer 'm': \"pass\" must be true or false: {\"pass\": \"yes\"}");
  EXPECT_EQ(ParseAssessmentJson(R"({"label": "x"})", "m").status().message(),
            "scorer 'm': expected \"outcome\", \"pass\" or \"score\": {\"label\": \"x\"}");
}

}  // namespace
}  // namespace llmeval
