#include "engine/gate/gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine/gate/baseline.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;

ItemRecord Item(const std::string& key, const std::string& question, const std::string& scorer,
                const std::string& outcome, int repeat = 0) {
  ItemRecord item;
  item.item_key = key;
  item.repeat = repeat;
  item.inputs_json = "{\"question\":\"" + question + "\"}";
  AssessmentRow a;
  a.name = scorer;
  a.outcome = outcome;
  a.rationale = outcome == "fail" ? "too short" : "";
  item.assessments.push_back(a);
  return item;
}

ScorerSummary Summary(const std::string& scorer, int passed, int failed, int errored) {
  ScorerSummary s;
  s.scorer = scorer;
  s.passed = passed;
  s.failed = failed;
  s.errored = errored;
  s.total = passed + failed + errored;
  s.pass_rate = s.decided() > 0 ? static_cast<double>(passed) / static_cast<double>(s.decided()) : 0;
  s.pass_rate_ci = WilsonInterval(passed, s.decided());
  s.error_rate = s.total > 0 ? static_cast<double>(errored) / static_cast<double>(s.total) : 0;
  return s;
}

// A target of n items whose first `failing` candidate answers fail `words`, against a baseline where all passed.
GateTarget Target(int n, int failing, bool with_baseline = true) {
  GateTarget t;
  t.label = "basic/2 x sim";
  Baseline b;
  b.source = "run 1";
  b.prompt = "basic/1";
  b.model = "sim";
  for (int i = 0; i < n; ++i) {
    std::string key = "item" + std::to_string(i);
    t.items.push_back(Item(key, "Question " + std::to_string(i) + "?", "words", i < failing ? "fail" : "pass"));
    BaselineItem bi;
    bi.item_key = key;
    bi.outcomes["words"] = "pass";
    b.items.push_back(bi);
  }
  t.summary.items = n;
  t.summary.scorers.push_back(Summary("words", n - failing, failing, 0));
  if (with_baseline) t.baseline = b;
  return t;
}

GateRule DropRule(double margin, bool strict = false) {
  GateRule r;
  r.scorer = "words";
  r.max_drop = margin;
  r.strict = strict;
  r.line = 7;
  return r;
}

TEST(Gate, AWorseCandidateFailsTheDropRuleAndNamesTheFlippedItems) {
  Result<GateReport> report = EvaluateGate({DropRule(0.05)}, {Target(12, 12)});
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->checks.size(), 1u);
  const GateCheck& c = report->checks[0];
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(report->passed());
  ASSERT_TRUE(c.comparison.has_value());
  EXPECT_EQ(c.comparison->flipped.size(), 12u);
  EXPECT_EQ(c.comparison->flipped[0].label, "Question 0?");
  EXPECT_EQ(c.comparison->flipped[0].rationale, "too short");
  EXPECT_NEAR(c.comparison->difference.estimate, -1, 1e-12);
  EXPECT_THAT(FormatGateTable(*report), HasSubstr("pass->fail item0  Question 0?"));
}

TEST(Gate, AnUnchangedCandidatePassesButReportsTheMinimumDetectableDrop) {
  Result<GateReport> report = EvaluateGate({DropRule(0.05)}, {Target(12, 0)});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->passed());
  EXPECT_NEAR(report->checks[0].comparison->minimum_detectable_drop, 0.395, 1e-3);
  EXPECT_THAT(report->checks[0].reason, HasSubstr("detects only drops of 0.40"));
}

TEST(Gate, StrictNonInferiorityNeedsEnoughEvidence) {
  // Twelve unchanged items cannot show that a drop is below 0.05.
  Result<GateReport> report = EvaluateGate({DropRule(0.05, true)}, {Target(12, 0)});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->passed());
  EXPECT_THAT(report->checks[0].reason, HasSubstr("non-inferiority not shown"));
  Result<GateReport> wide = EvaluateGate({DropRule(0.3, true)}, {Target(12, 0)});
  EXPECT_TRUE(wide->passed());
}

TEST(Gate, AFewFlipsWithinTheNoiseDoNotFailTheDefaultRule) {
  Result<GateReport> report = EvaluateGate({DropRule(0.05)}, {Target(12, 1)});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->passed()) << FormatGateTable(*report);
}

TEST(Gate, MinPassRateOnThePointEstimateOrTheLowerBound) {
  GateRule point;
  point.scorer = "words";
  point.min_pass_rate = 0.8;
  GateRule lower = point;
  lower.on_lower_bound = true;
  Result<GateReport> report = EvaluateGate({point, lower}, {Target(10, 1, false)});  // 9/10 pass.
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->checks.size(), 2u);
  EXPECT_TRUE(report->checks[0].passed);
  EXPECT_FALSE(report->checks[1].passed);  // Wilson lower bound of 9/10 is 0.596.
  EXPECT_NEAR(*report->checks[1].measured, 0.5958, 1e-4);
}

TEST(Gate, TooManyErrorsFailAndNothingDecidedFailsThePassRate) {
  GateTarget t = Target(10, 0, false);
  t.summary.scorers[0] = Summary("words", 0, 0, 10);
  GateRule errors;
  errors.max_error_rate = 0.1;
  GateRule rate;
  rate.min_pass_rate = 0.5;
  Result<GateReport> report = EvaluateGate({errors, rate}, {t});
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->checks.size(), 2u);
  EXPECT_FALSE(report->checks[0].passed);
  EXPECT_THAT(report->checks[0].reason, HasSubstr("could not be scored"));
  EXPECT_FALSE(report->checks[1].passed);
  EXPECT_THAT(report->checks[1].reason, HasSubstr("no item was decided"));
}

TEST(Gate, CostAndLatency) {
  GateTarget t = Target(4, 0, false);
  GateRule cost;
  cost.max_cost_usd = 1.0;
  GateRule latency;
  latency.max_p95_latency_ms = 100;
  t.summary.latency_measured = 4;
  t.summary.latency_p95_ms = 250;
  Result<GateReport> report = EvaluateGate({cost, latency}, {t});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->checks[0].passed);  // Unknown cost fails.
  EXPECT_THAT(report->checks[0].reason, HasSubstr("unknown"));
  EXPECT_FALSE(report->checks[1].passed);
  EXPECT_THAT(report->checks[1].reason, HasSubstr("exceeds"));
  // Every answer from the cache: no latency was measured, and an unmeasured latency does not pass as 0 ms.
  t.summary.latency_measured = 0;
  t.summary.latency_p95_ms = 0;
  report = EvaluateGate({latency}, {t});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->checks[0].passed);
  EXPECT_EQ(report->checks[0].measured_text, "not measured");
  EXPECT_THAT(report->checks[0].reason, HasSubstr("--no-cache"));
  t.summary.cost_usd = 0.25;
  t.summary.judge_cost_usd = 0.5;
  report = EvaluateGate({cost}, {t});
  EXPECT_TRUE(report->checks[0].passed);
  EXPECT_NEAR(*report->checks[0].measured, 0.75, 1e-12);
}

TEST(Gate, AnUnknownApplicationCostFailsEvenWhenTheJudgeCostIsKnown) {
  GateTarget t = Target(4, 0, false);
  t.summary.variant.model = "sim-unpriced";
  t.summary.judge_cost_usd = 0.01;  // Only the judge has a price: its cost alone would understate the total.
  t.summary.judge_input_tokens = 400;
  GateRule cost;
  cost.max_cost_usd = 1.0;
  Result<GateReport> report = EvaluateGate({cost}, {t});
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->checks[0].passed);
  EXPECT_FALSE(report->checks[0].measured.has_value());
  EXPECT_THAT(report->checks[0].reason, HasSubstr("cost is unknown (no price for model 'sim-unpriced')"));
  // A priced application with a judge that has no price is unknown too; without judge calls there is no judge cost.
  t.summary.cost_usd = 0.2;
  t.summary.judge_cost_usd.reset();
  report = EvaluateGate({cost}, {t});
  EXPECT_FALSE(report->checks[0].passed);
  EXPECT_THAT(report->checks[0].reason, HasSubstr("judge's cost is unknown"));
  t.summary.judge_input_tokens = 0;
  report = EvaluateGate({cost}, {t});
  EXPECT_TRUE(report->checks[0].passed);
  EXPECT_NEAR(*report->checks[0].measured, 0.2, 1e-12);
}

TEST(Gate, BadRulesAreInvalidInput) {
  GateRule unknown;
  unknown.scorer = "nope";
  unknown.min_pass_rate = 0.5;
  unknown.line = 12;
  Result<GateReport> r = EvaluateGate({unknown}, {Target(3, 0)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_THAT(r.status().message(), HasSubstr("line 12"));
  EXPECT_THAT(r.status().message(), HasSubstr("words"));
  Result<GateReport> no_baseline = EvaluateGate({DropRule(0.1)}, {Target(3, 0, false)});
  ASSERT_FALSE(no_baseline.ok());
  EXPECT_THAT(no_baseline.status().message(), HasSubstr("--baseline"));
}

TEST(Gate, RepeatsArePairedByRepeatAndClusteredByItem) {
  GateTarget t = Target(0, 0);
  for (int i = 0; i < 6; ++i) {
    for (int r = 0; r < 3; ++r) {
      std::string key = "k" + std::to_string(i);
      t.items.push_back(Item(key, "Q", "words", i < 3 ? "fail" : "pass", r));
      BaselineItem bi;
      bi.item_key = key;
      bi.repeat = r;
      bi.outcomes["words"] = "pass";
      t.baseline->items.push_back(bi);
    }
  }
  t.summary.scorers.push_back(Summary("words", 9, 9, 0));
  PairedComparison p = ComparePaired(t.items, *t.baseline, "words");
  EXPECT_EQ(p.items, 6);
  EXPECT_EQ(p.pairs, 18);
  EXPECT_EQ(p.flipped.size(), 3u);
  EXPECT_EQ(p.flipped[0].regressions, 3);
  EXPECT_GT(p.difference.design_effect, 1.5);
}

TEST(Gate, UndecidedPairsAreLeftOutAndCounted) {
  GateTarget t = Target(4, 0);
  t.items[0].assessments[0].outcome = "error";
  t.baseline->items[1].outcomes["words"] = "skipped";
  PairedComparison p = ComparePaired(t.items, *t.baseline, "words");
  EXPECT_EQ(p.pairs, 2);
  EXPECT_EQ(p.unpaired, 2);
}

TEST(Gate, ReportFormats) {
  GateTarget t = Target(3, 2);
  t.items[2].assessments[0].outcome = "error";
  t.items[2].assessments[0].error = "judge <timeout> & more";
  std::vector<GateTarget> targets = {t};
  Result<GateReport> report = EvaluateGate({DropRule(0.05)}, targets);
  ASSERT_TRUE(report.ok());
  std::string junit = FormatGateJunit(*report, targets);
  EXPECT_THAT(junit,
              HasSubstr("<testcase classname=\"basic/2 x sim\" name=\"words item0\"><failure message=\"too short\">"));
  EXPECT_THAT(junit, HasSubstr("<error message=\"judge &lt;timeout&gt; &amp; more\">"));
  EXPECT_THAT(junit, HasSubstr("<testsuite name=\"gate\" tests=\"1\""));
  std::string md = FormatGateMarkdown(*report, targets);
  EXPECT_THAT(md, HasSubstr("| target | rule | scorer | measured | limit |"));
  EXPECT_THAT(md, HasSubstr("baseline basic/1 x sim (run 1)"));
  std::string json = FormatGateJson(*report, targets);
  EXPECT_THAT(json, HasSubstr("\"minimum_detectable_drop\":"));
  EXPECT_THAT(json, HasSubstr("\"flipped\":[{\"id\":\"item0\""));
}

TEST(Baseline, RoundTripsThroughJson) {
  Baseline b;
  b.source = "run 4";
  b.prompt = "basic/2";
  b.model = "sim";
  b.dataset_sha256 = "abc";
  BaselineItem item;
  item.item_key = "k1";
  item.repeat = 2;
  item.label = "What is \"HEAD\"?";
  item.outcomes = {{"relevance", "pass"}, {"words", "error"}};
  b.items.push_back(item);
  std::string json = BaselineToJson(b);
  Result<Baseline> back = ParseBaselineJson(json, "b.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->prompt, "basic/2");
  EXPECT_EQ(back->dataset_sha256, "abc");
  ASSERT_EQ(back->items.size(), 1u);
  EXPECT_EQ(back->items[0].repeat, 2);
  EXPECT_EQ(back->items[0].label, item.label);
  EXPECT_EQ(back->items[0].outcomes, item.outcomes);
  EXPECT_EQ(BaselineToJson(*back), json);
}

TEST(Baseline, BadFilesNameTheProblem) {
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "expected a JSON object"},
           {"{}", "llmeval_baseline"},
           {"{\"llmeval_baseline\":2,\"items\":[]}", "unsupported version 2"},
           {"{\"llmeval_baseline\":1}", "\"items\""},
           {"{\"llmeval_baseline\":1,\"items\":[{\"repeat\":0,\"outcomes\":{}}]}", "items[0].id"},
           {"{\"llmeval_baseline\":1,\"items\":[{\"id\":\"a\",\"repeat\":0,\"outcomes\":{\"x\":\"maybe\"}}]}",
            "items[0].outcomes.x"},
       }) {
    Result<Baseline> b = ParseBaselineJson(text, "b.json");
    ASSERT_FALSE(b.ok()) << text;
    EXPECT_EQ(b.status().code(), StatusCode::kInvalidInput);
    EXPECT_THAT(b.status().message(), HasSubstr("b.json"));
    EXPECT_THAT(b.status().message(), HasSubstr(expected)) << text;
  }
}

}  // namespace
}  // namespace llmeval
