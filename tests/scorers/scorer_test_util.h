// Helpers shared by the scorers tests.
#ifndef LLMEVAL_TESTS_SCORERS_SCORER_TEST_UTIL_H_
#define LLMEVAL_TESTS_SCORERS_SCORER_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "scorers/scorer.h"

namespace llmeval::testing {

// Builds a scorer that must be valid; fails the test (and returns null) otherwise.
inline std::unique_ptr<Scorer> MustMake(const std::string& type, const std::string& params_json,
                                        const std::string& name = "") {
  Result<std::unique_ptr<Scorer>> scorer = MakeScorer({name, type, params_json});
  EXPECT_TRUE(scorer.ok()) << scorer.status().ToString();
  if (!scorer.ok()) return nullptr;
  return std::move(scorer).value();
}

// The error message MakeScorer gives for an invalid spec ("" when it unexpectedly succeeds).
inline std::string SpecError(const std::string& type, const std::string& params_json, const std::string& name = "s") {
  Result<std::unique_ptr<Scorer>> scorer = MakeScorer({name, type, params_json});
  if (scorer.ok()) return "";
  EXPECT_EQ(scorer.status().code(), StatusCode::kInvalidInput);
  return scorer.status().message();
}

inline ScoringContext Output(const std::string& output) {
  ScoringContext ctx;
  ctx.rendered_input = "question";
  ctx.output = output;
  ctx.finish_reason = "stop";
  return ctx;
}

inline ScoringContext Errored(const std::string& error) {
  ScoringContext ctx;
  ctx.errored = true;
  ctx.error = error;
  return ctx;
}

inline AssessmentOutcome OutcomeOf(const Scorer& scorer, const ScoringContext& ctx) {
  return scorer.Score(ctx).outcome;
}

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_SCORERS_SCORER_TEST_UTIL_H_
