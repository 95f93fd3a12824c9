// End-to-end: the two-step workflow (generate, then evaluate) and `runs compare`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliEvaluate, GenerateThenEvaluateScoresStoredAnswersWithoutTheModel) {
  CliProject project;
  CommandResult generated = project.Run({"generate", "--quiet"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  CommandResult scored_run = project.Run({"run", "--quiet"});
  ASSERT_EQ(scored_run.exit_code, 0) << scored_run.err;

  CommandResult evaluated = project.Run({"evaluate", "--run", "1", "--quiet"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_THAT(evaluated.out, HasSubstr("Scored run 1's answers into run 3"));
  // The application model was not called: no chat span with the subject purpose in the new traces.
  CommandResult traces = project.Run({"traces", "export", "--run", "3", "--format", "otlp-json"});
  ASSERT_EQ(traces.exit_code, 0) << traces.err;
  EXPECT_THAT(traces.out, Not(HasSubstr("\"stringValue\":\"subject\"")));
  EXPECT_THAT(traces.out, HasSubstr("\"stringValue\":\"judge\""));

  // Same answers (sim is deterministic), same scorers: evaluate agrees with a direct run item by item.
  CommandResult cmp = project.Run({"runs", "compare", "2", "3"});
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  EXPECT_THAT(cmp.out, HasSubstr("12 paired items"));
  EXPECT_THAT(cmp.out, Not(HasSubstr("flipped items")));
  // The generate run has no scores: nothing is paired, which is n/a, not a difference of 0 with a [0, 0] interval.
  CommandResult unscored = project.Run({"runs", "compare", "1", "3"});
  ASSERT_EQ(unscored.exit_code, 0) << unscored.err;
  EXPECT_THAT(unscored.out, HasSubstr("n/a (no pairs)"));
  EXPECT_THAT(unscored.out, Not(HasSubstr("+0.0%")));

  CommandResult only = project.Run({"evaluate", "--run", "1", "--scorers", "enough_words", "--quiet"});
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_THAT(only.out, HasSubstr("enough_words"));
  EXPECT_THAT(only.out, Not(HasSubstr("relevance")));

  EXPECT_EQ(project.Run({"evaluate", "--run", "99"}).exit_code, 2);
  EXPECT_EQ(project.Run({"evaluate"}).exit_code, 2);
  EXPECT_EQ(project.Run({"evaluate", "--run", "1", "--scorers", "nope"}).exit_code, 2);
}

TEST(CliCompare, AWorsePromptShowsNegativeDeltasAndFlippedItems) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  project.Write("prompts/basic.txt", "Question: {question}\nAnswer in one word only.\n");
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  CommandResult cmp = project.Run({"runs", "compare", "1", "2"});
  ASSERT_EQ(cmp.exit_code, 0) << cmp.err;
  EXPECT_THAT(cmp.out, HasSubstr("run 1 basic/1 x sim  vs  run 2 basic/2 x sim"));
  EXPECT_THAT(cmp.out, HasSubstr("flipped items:"));
  EXPECT_THAT(cmp.out, HasSubstr("- enough_words"));
  EXPECT_EQ(project.Run({"runs", "compare", "1"}).exit_code, 2);
  EXPECT_EQ(project.Run({"runs", "compare", "1", "7"}).exit_code, 2);
  CommandResult same = project.Run({"runs", "compare", "2", "2"});
  EXPECT_EQ(same.exit_code, 2);
  EXPECT_THAT(same.err, HasSubstr("the same run"));
}

}  // namespace
}  // namespace llmeval::testing
