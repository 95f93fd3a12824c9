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

TEST(LatencyMax, ComparesAndScores) {
  auto scorer = MustMake("latency_max", R"({"ms": 1000})", "fast");
  ScoringContext ctx = Output("x");
  ctx.latency_ms = 1000;
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, kPass);
  EXPECT_EQ(a.score, 1000);
  EXPECT_EQ(a.rationale, "1000 ms (limit 1000 ms)");
  ctx.latency_ms = 1001;
  EXPECT_EQ(scorer->Score(ctx).outcome, kFail);
  EXPECT_EQ(scorer->Score(Errored("timeout")).outcome, kError);
}

TEST(CostMax, UnknownCostIsSkipped) {
  auto scorer = MustMake("cost_max", R"({"usd": 0.01})");
  ScoringContext ctx = Output("x");
  EXPECT_EQ(scorer->Score(ctx).outcome, kSkipped);
  ctx.cost_usd = 0.005;
  EXPECT_EQ(scorer->Score(ctx).outcome, kPass);
  ctx.cost_usd = 0.02;
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_EQ(a.rationale, "$0.02 (limit $0.01)");
}

TEST(TokenCountMax, WhichTokens) {
  ScoringContext ctx = Output("x");
  ctx.input_tokens = 100;
  ctx.output_tokens = 20;
  EXPECT_EQ(MustMake("token_count_max", R"({"max": 20})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("token_count_max", R"({"max": 50, "which": "input"})")->Score(ctx).outcome, kFail);
  EXPECT_EQ(MustMake("token_count_max", R"({"max": 120, "which": "total"})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("token_count_max", R"({"max": 119, "which": "TOTAL"})")->Score(ctx).outcome, kFail);
}

ScoringContext WithTools() {
  ScoringContext ctx = Output("done");
  ctx.tool_calls.push_back({"search", R"({"query": "weather Paris", "limit": 5})", "sunny", false});
  ctx.tool_calls.push_back({"search", R"({"query": "weather Lyon", "opts": {"units": "c", "lang": "fr"}})", "", false});
  ctx.tool_calls.push_back({"book", "not json", "", true});
  return ctx;
}

TEST(ToolCalled, CountsCalls) {
  ScoringContext ctx = WithTools();
  EXPECT_EQ(MustMake("tool_called", R"({"name": "search"})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("tool_called", R"({"name": "search", "max": 1})")->Score(ctx).outcome, kFail);
  EXPECT_EQ(MustMake("tool_called", R"({"name": "search", "min": 3})")->Score(ctx).outcome, kFail);
  EXPECT_EQ(MustMake("tool_called", R"({"name": "pay"})")->Score(ctx).outcome, kFail);
  EXPECT_EQ(MustMake("tool_called", R"({"name": "pay", "min": 0, "max": 0})")->Score(ctx).outcome, kPass);
  Assessment any = MustMake("tool_called", "{}")->Score(ctx);
  EXPECT_EQ(any.outcome, kPass);
  EXPECT_EQ(any.score, 3);
  Assessment none = MustMake("tool_called", R"({"name": "search"})")->Score(Output("no tools"));
  EXPECT_EQ(none.outcome, kFail);
  EXPECT_EQ(none.rationale, "'search' was called 0 times, expected at least 1");
}

TEST(ToolArgsMatch, SubsetAndPattern) {
  ScoringContext ctx = WithTools();
  EXPECT_EQ(
      MustMake("tool_args_match", R"({"name": "search", "args": {"query": "weather Paris"}})")->Score(ctx).outcome,
      kPass);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "search", "args": {"limit": 5.0}})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "search", "args": {"opts": {"units": "c"}}})")->Score(ctx).outcome,
            kPass);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "search", "args": {"query": "weather Rome"}})")->Score(ctx).outcome,
            kFail);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "search", "args": {"query": "weather Paris", "limit": 6}})")
                ->Score(ctx)
                .outcome,
            kFail);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "search", "pattern": "Ly[o]n"})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "book", "pattern": "^not"})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("tool_args_match", R"({"name": "book", "args": {}})")->Score(ctx).outcome, kFail);  // not JSON
  Assessment missing = MustMake("tool_args_match", R"({"name": "pay", "args": {}})")->Score(ctx);
  EXPECT_EQ(missing.outcome, kFail);
  EXPECT_EQ(missing.rationale, "'pay' was not called");
}

TEST(NoError, FailsOnErroredItems) {
  auto scorer = MustMake("no_error", "{}");
  EXPECT_EQ(scorer->Score(Output("")).outcome, kPass);
  Assessment a = scorer->Score(Errored("HTTP 429 rate limited"));
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_EQ(a.rationale, "HTTP 429 rate limited");
}

TEST(FinishReason, DefaultIsStop) {
  auto scorer = MustMake("finish_reason", "");
  ScoringContext ctx = Output("x");
  EXPECT_EQ(scorer->Score(ctx).outcome, kPass);
  ctx.finish_reason = "length";
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_EQ(a.rationale, "finish reason \"length\", expected \"stop\"");
  EXPECT_EQ(MustMake("finish_reason", R"({"expected": ["stop", "length"]})")->Score(ctx).outcome, kPass);
  EXPECT_EQ(MustMake("finish_reason", R"({"expected": "tool_calls"})")->Score(ctx).outcome, kFail);
}

}  // namespace
}  // namespace llmeval
