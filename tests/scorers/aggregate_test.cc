#include "scorers/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace llmeval {
namespace {

Assessment Make(const std::string& name, AssessmentOutcome outcome, std::optional<double> score = std::nullopt) {
  Assessment a;
  a.name = name;
  a.outcome = outcome;
  a.score = score;
  return a;
}

Assessment Judged(AssessmentOutcome outcome, int64_t in, int64_t out, std::optional<double> cost) {
  Assessment a = Make("judge", outcome);
  a.source = AssessmentSource::kLlmJudge;
  a.judge_samples = 1;
  a.judge_input_tokens = in;
  a.judge_output_tokens = out;
  a.judge_cost_usd = cost;
  return a;
}

TEST(Aggregate, ErrorsAreNotFailures) {
  AssessmentAggregator agg;
  for (int i = 0; i < 8; ++i) agg.Add(Make("check", AssessmentOutcome::kPass));
  for (int i = 0; i < 2; ++i) agg.Add(Make("check", AssessmentOutcome::kFail));
  for (int i = 0; i < 5; ++i) agg.Add(Make("check", AssessmentOutcome::kError));
  agg.Add(Make("check", AssessmentOutcome::kSkipped));
  std::vector<ScorerSummary> overall = agg.Overall();
  ASSERT_EQ(overall.size(), 1u);
  const ScorerSummary& s = overall[0];
  EXPECT_EQ(s.scorer, "check");
  EXPECT_EQ(s.total, 16);
  EXPECT_EQ(s.passed, 8);
  EXPECT_EQ(s.failed, 2);
  EXPECT_EQ(s.errored, 5);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_EQ(s.decided(), 10);
  EXPECT_DOUBLE_EQ(s.pass_rate, 0.8);  // 8 of 10 decided, not 8 of 15.
  EXPECT_NEAR(s.pass_rate_ci.low, 0.4902, 5e-5);
  EXPECT_NEAR(s.pass_rate_ci.high, 0.9433, 5e-5);
  EXPECT_DOUBLE_EQ(s.error_rate, 5.0 / 16.0);
  EXPECT_FALSE(s.score.has_value());
  EXPECT_TRUE(agg.ByGroup().empty());
}

TEST(Aggregate, NothingDecided) {
  AssessmentAggregator agg;
  agg.Add(Make("x", AssessmentOutcome::kError));
  ScorerSummary s = agg.Overall()[0];
  EXPECT_EQ(s.pass_rate, 0);
  EXPECT_EQ(s.pass_rate_ci.low, 0);
  EXPECT_EQ(s.pass_rate_ci.high, 1);
  EXPECT_EQ(s.error_rate, 1);
}

TEST(Aggregate, RepeatsOfAnItemAreOneClusterInThePassRateInterval) {
  // 10 items x 2 identical repeats, 9 items pass: the interval is about 9/10's, not 18/20's.
  AssessmentAggregator clustered, unclustered;
  for (int item = 0; item < 10; ++item) {
    for (int repeat = 0; repeat < 2; ++repeat) {
      Assessment a = Make("check", item < 9 ? AssessmentOutcome::kPass : AssessmentOutcome::kFail);
      clustered.BeginItem(item);
      clustered.Add(a);
      clustered.Add(Make("other", AssessmentOutcome::kError));  // Undecided: not in any cluster.
      unclustered.Add(a);
    }
  }
  ScorerSummary s = clustered.Overall()[0];
  EXPECT_EQ(s.decided(), 20);
  EXPECT_DOUBLE_EQ(s.pass_rate, 0.9);
  EXPECT_NEAR(s.design_effect, 2 * 10.0 / 9.0, 1e-9);
  EXPECT_NEAR(s.pass_rate_ci.low, WilsonIntervalReal(8.1, 9).low, 1e-9);
  EXPECT_LT(s.pass_rate_ci.low, WilsonInterval(9, 10).low);
  // Without item boundaries every assessment is its own item: the plain Wilson interval of 18/20.
  ScorerSummary plain = unclustered.Overall()[0];
  EXPECT_EQ(plain.design_effect, 1);
  EXPECT_EQ(plain.pass_rate_ci.low, WilsonInterval(18, 20).low);
}

TEST(Aggregate, MeanScoreOverScoredDecidedItems) {
  AssessmentAggregator agg;
  agg.Add(Make("words", AssessmentOutcome::kPass, 10));
  agg.Add(Make("words", AssessmentOutcome::kFail, 20));
  agg.Add(Make("words", AssessmentOutcome::kPass, 30));
  agg.Add(Make("words", AssessmentOutcome::kError, 1000));  // Ignored.
  ScorerSummary s = agg.Overall()[0];
  ASSERT_TRUE(s.score.has_value());
  EXPECT_EQ(s.score->n, 3);
  EXPECT_DOUBLE_EQ(s.score->mean, 20);
  EXPECT_NEAR(s.score->ci95.low, 20 - 4.3027 * 10 / std::sqrt(3.0), 1e-3);
}

TEST(Aggregate, BreakdownByColumn) {
  AssessmentAggregator agg("category");
  std::map<std::string, std::string> math = {{"category", "math"}}, geo = {{"category", "geo"}}, none = {};
  agg.Add(Make("a", AssessmentOutcome::kPass), math);
  agg.Add(Make("a", AssessmentOutcome::kFail), math);
  agg.Add(Make("a", AssessmentOutcome::kPass), geo);
  agg.Add(Make("b", AssessmentOutcome::kError), geo);
  agg.Add(Make("a", AssessmentOutcome::kPass), none);
  EXPECT_EQ(agg.group_column(), "category");
  std::vector<ScorerSummary> overall = agg.Overall();
  ASSERT_EQ(overall.size(), 2u);
  EXPECT_EQ(overall[0].scorer, "a");
  EXPECT_EQ(overall[0].total, 4);
  EXPECT_EQ(overall[1].scorer, "b");
  std::vector<ScorerSummary> groups = agg.ByGroup();
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].scorer, "a");
  EXPECT_EQ(groups[0].group, "");
  EXPECT_EQ(groups[1].group, "geo");
  EXPECT_EQ(groups[1].pass_rate, 1.0);
  EXPECT_EQ(groups[2].group, "math");
  EXPECT_EQ(groups[2].pass_rate, 0.5);
  EXPECT_EQ(groups[2].total, 2);
  EXPECT_EQ(groups[3].scorer, "b");
  EXPECT_EQ(groups[3].group, "geo");
  EXPECT_EQ(groups[3].errored, 1);
}

TEST(Aggregate, JudgeUsageApartFromApplication) {
  AssessmentAggregator agg;
  agg.Add(Judged(AssessmentOutcome::kPass, 100, 10, 0.01));
  agg.Add(Judged(AssessmentOutcome::kFail, 200, 20, 0.02));
  agg.Add(Judged(AssessmentOutcome::kError, 50, 0, std::nullopt));
  agg.AddApplicationUsage(1000, 300, 0.5);
  agg.AddApplicationUsage(10, 3, std::nullopt);

  ScorerSummary s = agg.Overall()[0];
  EXPECT_EQ(s.judge_input_tokens, 350);
  EXPECT_EQ(s.judge_output_tokens, 30);
  EXPECT_NEAR(*s.judge_cost_usd, 0.03, 1e-12);

  UsageTotals judge = agg.judge_usage();
  EXPECT_EQ(judge.calls, 3);
  EXPECT_EQ(judge.input_tokens, 350);
  EXPECT_EQ(judge.output_tokens, 30);
  EXPECT_NEAR(*judge.cost_usd, 0.03, 1e-12);
  EXPECT_EQ(judge.calls_without_cost, 1);

  const UsageTotals& app = agg.application_usage();
  EXPECT_EQ(app.calls, 2);
  EXPECT_EQ(app.input_tokens, 1010);
  EXPECT_EQ(app.output_tokens, 303);
  EXPECT_NEAR(*app.cost_usd, 0.5, 1e-12);
  EXPECT_EQ(app.calls_without_cost, 1);
}

}  // namespace
}  // namespace llmeval
