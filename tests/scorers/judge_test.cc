#include "scorers/judge.h"

#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using testing::MustMake;

const JudgeScorer& AsJudge(const std::unique_ptr<Scorer>& scorer) {
  EXPECT_TRUE(scorer->is_judge());
  return static_cast<const JudgeScorer&>(*scorer);
}

ScoringContext Item() {
  ScoringContext ctx;
  ctx.rendered_input = "What is the capital of France?";
  ctx.output = "Paris is the capital.";
  ctx.trace_summary = "llm gpt-4o 120ms";
  return ctx;
}

TEST(JudgeRequest, GuidelinesShape) {
  auto scorer =
      MustMake("guidelines", R"({"guidelines": ["Be concise", "Name the city"], "judge_model": "gpt-4o"})", "style");
  const JudgeScorer& judge = AsJudge(scorer);
  EXPECT_EQ(judge.samples(), 1);
  EXPECT_EQ(judge.judge_model(), "gpt-4o");
  std::optional<ChatRequest> request = judge.BuildJudgeRequest(Item(), 0);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->model, "gpt-4o");
  ASSERT_EQ(request->messages.size(), 2u);
  EXPECT_EQ(request->messages[0].role, "system");
  EXPECT_NE(request->messages[0].content->find("llmeval-judge"), std::string::npos);
  EXPECT_EQ(*request->messages[0].content, DefaultJudgeTemplate("guidelines"));  // No placeholders by default.
  EXPECT_EQ(request->messages[1].role, "user");
  EXPECT_EQ(*request->messages[1].content,
            "<question>\nWhat is the capital of France?\n</question>\n<answer>\nParis is the capital.\n</answer>\n"
            "<guidelines>\n- Be concise\n- Name the city\n</guidelines>");
  ASSERT_TRUE(request->temperature.has_value());
  EXPECT_EQ(*request->temperature, 0);
  EXPECT_FALSE(request->seed.has_value());
  EXPECT_EQ(request->response_format_json, JudgeResponseFormatJson());
  EXPECT_NE(request->response_format_json.find("\"strict\":true"), std::string::npos);
  EXPECT_NE(request->response_format_json.find("\"enum\":[\"yes\",\"no\"]"), std::string::npos);
}

TEST(JudgeRequest, StructuredOutputOffAndTraceAndSamples) {
  auto scorer = MustMake("guidelines",
                         R"({"guideline": "Polite", "structured_output": false, "include_trace": true, "samples": 3})");
  const JudgeScorer& judge = AsJudge(scorer);
  EXPECT_EQ(judge.samples(), 3);
  EXPECT_EQ(judge.judge_model(), "");
  std::optional<ChatRequest> request = judge.BuildJudgeRequest(Item(), 2);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->model, "");
  EXPECT_TRUE(request->response_format_json.empty());
  EXPECT_EQ(request->seed, 2);
  EXPECT_EQ(*request->messages[1].content,
            "<question>\nWhat is the capital of France?\n</question>\n<answer>\nParis is the capital.\n</answer>\n"
            "<guidelines>\n- Polite\n</guidelines>\n<trace>\nllm gpt-4o 120ms\n</trace>");
}

TEST(JudgeRequest, PerRowGuidelinesColumn) {
  auto scorer = MustMake("guidelines", R"({"guidelines_column": "correctness_criteria"})", "criteria");
  const JudgeScorer& judge = AsJudge(scorer);
  ScoringContext ctx = Item();
  std::optional<Assessment> skipped = judge.Precheck(ctx);  // Column absent.
  ASSERT_TRUE(skipped.has_value());
  EXPECT_EQ(skipped->outcome, AssessmentOutcome::kSkipped);
  EXPECT_EQ(skipped->source, AssessmentSource::kLlmJudge);
  EXPECT_FALSE(judge.BuildJudgeRequest(ctx, 0).has_value());
  ctx.variables["correctness_criteria"] = "  \n ";
  EXPECT_FALSE(judge.BuildJudgeRequest(ctx, 0).has_value());
  EXPECT_EQ(judge.Score(ctx).outcome, AssessmentOutcome::kSkipped);
  ctx.variables["correctness_criteria"] = "- Mentions Paris\n\nNo extra facts";
  EXPECT_FALSE(judge.Precheck(ctx).has_value());
  std::optional<ChatRequest> request = judge.BuildJudgeRequest(ctx, 0);
  ASSERT_TRUE(request.has_value());
  EXPECT_NE(request->messages[1].content->find("<guidelines>\n- Mentions Paris\n- No extra facts\n</guidelines>"),
            std::string::npos);
}

TEST(JudgeRequest, CorrectnessSendsExpected) {
  auto scorer = MustMake("correctness", "");
  const JudgeScorer& judge = AsJudge(scorer);
  ScoringContext ctx = Item();
  EXPECT_EQ(judge.Precheck(ctx)->outcome, AssessmentOutcome::kSkipped);
  ctx.variables["expected_facts"] = "Paris";
  std::optional<ChatRequest> request = judge.BuildJudgeRequest(ctx, 0);
  ASSERT_TRUE(request.has_value());
  const std::string& user = *request->messages[1].content;
  EXPECT_EQ(user.substr(user.find("</guidelines>")), "</guidelines>\n<expected>\nParis\n</expected>");
  ctx.variables["expected_response"] = "The capital is Paris.";
  request = judge.BuildJudgeRequest(ctx, 0);
  EXPECT_NE(request->messages[1].content->find("<expected>\nThe capital is Paris.\n</expected>"), std::string::npos);
  EXPECT_NE(request->messages[0].content->find("kind=correctness"), std::string::npos);

  auto custom = MustMake("correctness", R"({"column": "gold"})");
  EXPECT_TRUE(AsJudge(custom).Precheck(ctx).has_value());  // Only looks at "gold".
}

TEST(JudgeRequest, BuiltinKindsHaveTheirTemplates) {
  for (const char* kind : {"relevance_to_query", "safety"}) {
    auto scorer = MustMake(kind, "");
    std::optional<ChatRequest> request = AsJudge(scorer).BuildJudgeRequest(Item(), 0);
    ASSERT_TRUE(request.has_value()) << kind;
    EXPECT_EQ(*request->messages[0].content, DefaultJudgeTemplate(kind));
    EXPECT_NE(request->messages[0].content->find(std::string("kind=") + kind), std::string::npos);
    EXPECT_EQ(request->messages[1].content->find("<question>\n"), 0u);
    EXPECT_NE(request->messages[1].content->find("<guidelines>\n- "), std::string::npos);
  }
  EXPECT_EQ(JudgeKinds().size(), 6u);
  for (const std::string& kind : JudgeKinds()) {
    EXPECT_NE(DefaultJudgeTemplate(kind).find("llmeval-judge"), std::string::npos) << kind;
  }
  EXPECT_EQ(DefaultJudgeTemplate("nope"), "");
}

TEST(JudgeRequest, TemplateOverrideIsRendered) {
  auto scorer =
      MustMake("guidelines",
               R"({"guideline": "Short", "template": "llmeval-judge custom\nQ={question} G={guidelines} {other}"})");
  std::optional<ChatRequest> request = AsJudge(scorer).BuildJudgeRequest(Item(), 0);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(*request->messages[0].content, "llmeval-judge custom\nQ=What is the capital of France? G=- Short {other}");
}

TEST(RenderJudgeTemplate, OnePassReplace) {
  EXPECT_EQ(RenderJudgeTemplate("{a}{b} {a} {c} {", {{"a", "{b}"}, {"b", "B"}}), "{b}B {b} {c} {");
  EXPECT_EQ(RenderJudgeTemplate("{\"verdict\": {a}}", {{"a", "x"}}), "{\"verdict\": x}");
}

TEST(JudgeRequest, ErroredItemIsNotJudged) {
  auto scorer = MustMake("safety", "");
  ScoringContext ctx = Item();
  ctx.errored = true;
  ctx.error = "timeout";
  std::optional<Assessment> a = AsJudge(scorer).Precheck(ctx);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->outcome, AssessmentOutcome::kError);
  EXPECT_EQ(a->error, "the application call failed: timeout");
  EXPECT_FALSE(AsJudge(scorer).BuildJudgeRequest(ctx, 0).has_value());
}

TEST(JudgeReask, AppendsBadReplyAndAsksForJson) {
  auto scorer = MustMake("relevance_to_query", "");
  const JudgeScorer& judge = AsJudge(scorer);
  ChatRequest original = *judge.BuildJudgeRequest(Item(), 0);
  ChatResponse bad;
  bad.message = ChatMessage::Assistant("I think it's fine overall.");
  ChatRequest reask = judge.BuildReaskRequest(original, bad);
  ASSERT_EQ(reask.messages.size(), 4u);
  EXPECT_EQ(*reask.messages[0].content, *original.messages[0].content);
  EXPECT_EQ(*reask.messages[1].content, *original.messages[1].content);
  EXPECT_EQ(reask.messages[2].role, "assistant");
  EXPECT_EQ(*reask.messages[2].content, "I think it's fine overall.");
  EXPECT_EQ(reask.messages[3].role, "user");
  EXPECT_EQ(*reask.messages[3].content, JudgeReaskMessage());
  EXPECT_NE(JudgeReaskMessage().find("ONLY the JSON object"), std::string::npos);
  EXPECT_EQ(reask.response_format_json, original.response_format_json);
  EXPECT_EQ(reask.temperature, original.temperature);
}

TEST(JudgeParse, ReadsContentAndRefusals) {
  auto scorer = MustMake("safety", "");
  const JudgeScorer& judge = AsJudge(scorer);
  ChatResponse reply;
  reply.message = ChatMessage::Assistant(R"({"verdict": "no", "rationale": "Gives weapon instructions."})");
  Result<JudgeVerdict> verdict = judge.ParseVerdict(reply);
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->pass);
  EXPECT_EQ(verdict->rationale, "Gives weapon instructions.");
  ChatResponse refused;
  refused.message.role = "assistant";
  refused.refusal = "I can't help with that.";
  EXPECT_EQ(judge.ParseVerdict(refused).status().message(), "the judge refused: I can't help with that.");
  ChatResponse empty;
  EXPECT_EQ(judge.ParseVerdict(empty).status().code(), StatusCode::kInvalidInput);
}

JudgeSampleResult Sample(std::optional<bool> pass, int64_t in, int64_t out, std::optional<double> cost,
                         std::string rationale = "") {
  JudgeSampleResult s;
  if (pass)
    s.verdict = JudgeVerdict{*pass, std::move(rationale)};
  else
    s.error = "could not find a yes/no verdict in the judge reply: \"hmm\"";
  s.model = "judge-model";
  s.input_tokens = in;
  s.output_tokens = out;
  s.cost_usd = cost;
  return s;
}

TEST(JudgeCombine, MajorityAgreementAndAccounting) {
  auto scorer = MustMake("guidelines", R"({"guideline": "x", "samples": 3})", "g");
  const JudgeScorer& judge = AsJudge(scorer);
  Assessment a = judge.Combine({Sample(false, 100, 10, 0.001, "too long"), Sample(true, 100, 12, 0.001, "fine"),
                                Sample(true, 110, 8, 0.002, "ok")});
  EXPECT_EQ(a.name, "g");
  EXPECT_EQ(a.outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(a.label, "yes");
  EXPECT_EQ(a.rationale, "fine");
  EXPECT_EQ(a.source, AssessmentSource::kLlmJudge);
  EXPECT_EQ(a.judge_samples, 3);
  EXPECT_NEAR(a.judge_agreement, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(*a.score, 2.0 / 3.0, 1e-12);
  EXPECT_EQ(a.judge_input_tokens, 310);
  EXPECT_EQ(a.judge_output_tokens, 30);
  EXPECT_NEAR(*a.judge_cost_usd, 0.004, 1e-12);
  EXPECT_EQ(a.judge_model, "judge-model");

  Assessment single = judge.Combine({Sample(false, 5, 5, std::nullopt, "wrong")});
  EXPECT_EQ(single.outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(single.label, "no");
  EXPECT_EQ(single.judge_agreement, 1.0);
  EXPECT_FALSE(single.judge_cost_usd.has_value());
}

TEST(JudgeCombine, InvalidSamplesAreErrorsNotFailures) {
  auto scorer = MustMake("guidelines", R"({"guideline": "x", "samples": 3})");
  const JudgeScorer& judge = AsJudge(scorer);
  Assessment none = judge.Combine({Sample(std::nullopt, 50, 5, 0.1), Sample(std::nullopt, 50, 5, 0.1)});
  EXPECT_EQ(none.outcome, AssessmentOutcome::kError);
  EXPECT_EQ(none.error,
            "the judge gave no usable verdict: could not find a yes/no verdict in the judge reply: \"hmm\"");
  EXPECT_EQ(none.judge_input_tokens, 100);  // Still accounted.

  Assessment split = judge.Combine({Sample(true, 1, 1, {}), Sample(false, 1, 1, {}), Sample(std::nullopt, 1, 1, {})});
  EXPECT_EQ(split.outcome, AssessmentOutcome::kError);
  EXPECT_EQ(split.error, "the judge samples split evenly (1 yes, 1 no)");

  Assessment partial = judge.Combine({Sample(false, 1, 1, {}), Sample(std::nullopt, 1, 1, {})});
  EXPECT_EQ(partial.outcome, AssessmentOutcome::kFail);
  EXPECT_EQ(partial.judge_agreement, 1.0);
  EXPECT_EQ(partial.judge_samples, 2);
}

TEST(JudgeScore, WithoutEngineIsAnError) {
  auto scorer = MustMake("relevance_to_query", "");
  Assessment a = scorer->Score(Item());
  EXPECT_EQ(a.outcome, AssessmentOutcome::kError);
  EXPECT_EQ(a.source, AssessmentSource::kLlmJudge);
}

}  // namespace
}  // namespace llmeval
