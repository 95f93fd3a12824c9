#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scorer_test_util.h"
#include "scorers/scorer.h"

namespace llmeval {
namespace {

using ::testing::HasSubstr;
using testing::MustMake;
using testing::Output;
constexpr auto kPass = AssessmentOutcome::kPass;
constexpr auto kFail = AssessmentOutcome::kFail;
constexpr auto kSkipped = AssessmentOutcome::kSkipped;

// An item whose agent called `names` in order (arguments {"q": name}), expecting `expected` in expected_tools.
ScoringContext Path(const std::vector<std::string>& names, const std::string& expected) {
  ScoringContext ctx = Output("done");
  for (const std::string& n : names) ctx.tool_calls.push_back({n, "{\"q\":\"" + n + "\"}", "ok", false});
  ctx.variables["expected_tools"] = expected;
  return ctx;
}

Assessment Sequence(const char* mode, const std::vector<std::string>& names, const std::string& expected) {
  return MustMake("tool_sequence", std::string(R"({"mode": ")") + mode + "\"}")->Score(Path(names, expected));
}

TEST(ToolSequence, ExactNeedsTheSameCallsInTheSameOrder) {
  EXPECT_EQ(Sequence("exact", {"search", "read"}, R"(["search", "read"])").outcome, kPass);
  Assessment a = Sequence("exact", {"search", "write"}, "search > read");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 2: called 'write', expected 'read'"));
  EXPECT_EQ(a.score, 0.5);
  a = Sequence("exact", {"search"}, "search, read");
  EXPECT_THAT(a.rationale, HasSubstr("step 2: expected 'read', but the agent stopped after 1 steps"));
  a = Sequence("exact", {"search", "read", "read"}, "search, read");
  EXPECT_THAT(a.rationale, HasSubstr("step 3: unexpected call 'read'"));
}

TEST(ToolSequence, InOrderAllowsOtherCallsBetween) {
  EXPECT_EQ(Sequence("in_order", {"search", "think", "read"}, "search, read").outcome, kPass);
  Assessment a = Sequence("in_order", {"read", "search"}, "search, read");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("after step 2: expected 'read' (expected call 2), but the agent made no further"));
  a = Sequence("in_order", {"read", "think", "search"}, "search, read, think");
  EXPECT_THAT(a.rationale, HasSubstr("after step 3: expected 'read' (expected call 2)"));
  EXPECT_THAT(a.rationale, HasSubstr("(path: read > think > search)"));
  a = Sequence("in_order", {"think", "read"}, "read, search");
  EXPECT_THAT(a.rationale, HasSubstr("after step 2: expected 'search'"));
}

TEST(ToolSequence, AnyOrderNeedsTheSameCallsAndNoOthers) {
  EXPECT_EQ(Sequence("any_order", {"read", "search"}, "search, read").outcome, kPass);
  Assessment a = Sequence("any_order", {"read", "search", "delete"}, "search, read");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 3: 'delete' is not an expected call"));
  a = Sequence("any_order", {"read"}, "search, read");
  EXPECT_THAT(a.rationale, HasSubstr("expected call 'search' was never made"));
}

TEST(ToolSequence, SubsetAllowsOnlyExpectedToolsSupersetNeedsAllOfThem) {
  EXPECT_EQ(Sequence("subset", {"search", "search"}, "search, read").outcome, kPass);
  EXPECT_EQ(Sequence("subset", {}, "search, read").outcome, kPass);
  Assessment a = Sequence("subset", {"search", "shell"}, "search, read");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 2: 'shell' is not one of the expected tools"));
  EXPECT_EQ(Sequence("superset", {"shell", "read", "search"}, "search, read").outcome, kPass);
  a = Sequence("superset", {"search", "shell"}, "search, read");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("expected call 'read' was never made"));
}

TEST(ToolSequence, ExpectedCallsCheckArgumentsBySubsetOrSchema) {
  EXPECT_EQ(Sequence("exact", {"search"}, R"([{"name": "search", "args": {"q": "search"}}])").outcome, kPass);
  Assessment a = Sequence("exact", {"search"}, R"([{"name": "search", "args": {"q": "git"}}])");
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 1: called 'search' with {\"q\":\"search\"}, expected arguments"));
  const std::string schema = R"([{"name": "search", "schema": {"type": "object", "required": ["q"],
      "properties": {"q": {"type": "string", "maxLength": 3}}}}])";
  a = Sequence("exact", {"search"}, schema);
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("break the schema"));
  EXPECT_EQ(Sequence("exact", {"abc"}, R"([{"name": "abc", "schema": {"type": "object"}}])").outcome, kPass);
}

TEST(ToolSequence, NoExpectedSequenceSkipsAndABadModeIsRefused) {
  EXPECT_EQ(Sequence("exact", {"search"}, "").outcome, kSkipped);
  EXPECT_FALSE(MakeScorer({"s", "tool_sequence", R"({"mode": "fuzzy"})"}).ok());
  auto scorer = MustMake("tool_sequence", R"({"column": "plan"})");
  ASSERT_EQ(scorer->DatasetColumns().size(), 1u);
  EXPECT_EQ(scorer->DatasetColumns()[0].second, "plan");
}

TEST(StepCountMax, NamesTheStepPastTheLimit) {
  auto scorer = MustMake("step_count_max", R"({"max": 2})");
  EXPECT_EQ(scorer->Score(Path({"a", "b"}, "")).outcome, kPass);
  Assessment a = scorer->Score(Path({"a", "b", "c"}, ""));
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 3 ('c') went past the limit: 3 steps, at most 2"));
}

TEST(NoRepeatedCalls, SameToolAndArgumentsTwiceFails) {
  auto scorer = MustMake("no_repeated_calls", "{}");
  ScoringContext ctx = Path({"a", "b"}, "");
  EXPECT_EQ(scorer->Score(ctx).outcome, kPass);
  ctx.tool_calls.push_back({"a", "{ \"q\" : \"a\" }", "ok", false});  // The same arguments, spaced differently.
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, kFail);
  EXPECT_THAT(a.rationale, HasSubstr("step 3 repeats step 1"));
}

TEST(ToolArgsMatch, SchemaChecksTheArguments) {
  auto scorer = MustMake("tool_args_match",
                         R"({"name": "a", "schema": {"type": "object", "properties": {"q": {"const": "a"}}}})");
  EXPECT_EQ(scorer->Score(Path({"a"}, "")).outcome, kPass);
  ScoringContext ctx = Output("x");
  ctx.tool_calls.push_back({"a", R"({"q":"b"})", "ok", false});
  EXPECT_EQ(scorer->Score(ctx).outcome, kFail);
}

}  // namespace
}  // namespace llmeval
