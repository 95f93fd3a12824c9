// Bad input through the binary: every rejected run exits 2 with a message naming the file and position, and writes
// nothing: no run, no prompt version, and in a new project no store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliInputChecks, ABadTemplateCreatesNoStoreAndNamesThePromptFile) {
  CliProject project;
  project.Write("prompts/jsonish.txt", "Reply as {\"answer\": \"...\"} to: {question}\n");
  project.ExpectRefused({"run", "--quiet", "--prompt", "jsonish"}, "prompts/jsonish.txt:1:10: ");
}

TEST(CliInputChecks, AnUnboundPlaceholderCreatesNoStore) {
  CliProject project;
  project.Write("prompts/aud.txt", "{question} for {audience}\n");
  project.ExpectRefused({"run", "--quiet", "--prompt", "aud"}, "prompts/aud.txt (aud) uses {audience}");
}

TEST(CliInputChecks, ABadDatasetCreatesNoStore) {
  CliProject project;
  project.Write("bad.csv", "Category,Question\nA\n");
  project.ExpectRefused({"run", "--quiet", "--dataset", "bad.csv"}, "bad.csv:2");
}

TEST(CliInputChecks, RejectedRunsStoreNoPromptVersionInAnExistingStore) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "1"}).exit_code, 0);
  std::string prompts_before = project.Run({"prompts", "list"}).out;
  project.Write("prompts/jsonish.txt", "Reply as {\"answer\": \"...\"} to: {question}\n");
  project.Write("prompts/aud.txt", "{question} for {audience}\n");
  project.Write("prompts/fine.txt", "Answer: {question}\n");
  EXPECT_EQ(project.Run({"run", "--quiet", "--prompt", "jsonish"}).exit_code, 2);
  EXPECT_EQ(project.Run({"run", "--quiet", "--prompt", "aud"}).exit_code, 2);
  // A later check (the model) fails after the prompts were read: they are still not stored.
  CommandResult model = project.Run({"run", "--quiet", "--prompt", "fine", "--model", "nowhere:m1"});
  EXPECT_EQ(model.exit_code, 2) << model.err;
  EXPECT_EQ(project.Run({"prompts", "list"}).out, prompts_before);

  // The corrected file becomes version 1.
  project.Write("prompts/jsonish.txt", "Reply as {{\"answer\": \"...\"}} to: {question}\n");
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "1", "--prompt", "jsonish"}).exit_code, 0);
  CommandResult history = project.Run({"prompts", "show", "jsonish"});
  EXPECT_THAT(history.out, HasSubstr("# jsonish/1 "));
  EXPECT_THAT(project.Run({"prompts", "list"}).out, Not(HasSubstr("aud ")));
}

TEST(CliInputChecks, ResumingInAProjectWithoutAStoreCreatesNone) {
  CliProject project;
  project.ExpectRefused({"run", "--quiet", "--resume", "1"}, "no run 1 to resume");
}

TEST(CliInputChecks, TemperatureOutsideZeroToTwoIsRejected) {
  CliProject project;
  for (const char* t : {"9", "-1"}) {
    project.ExpectRefused({"run", "--quiet", "--temperature", t}, "--temperature expects a number between 0 and 2");
  }
  project.Write("llmeval.yaml", "dataset: questions.csv\nprompt: basic\ntemperature: -5\n");
  project.ExpectRefused({"run", "--quiet"},
                        "llmeval.yaml:3:14: temperature: expected a number between 0 and 2, got -5");
}

TEST(CliInputChecks, AVariableNamedLikeADatasetColumnIsRejected) {
  CliProject project;
  project.ExpectRefused({"run", "--quiet", "--var", "question=foo"}, "--var question: 'question' is a column of");
  project.ExpectRefused({"run", "--quiet", "--var", "Category=x"}, "--var Category: 'Category' is a column of");
  project.Write("llmeval.yaml", "dataset: questions.csv\nprompt: basic\nvariables: {weight: heavy}\n");
  project.ExpectRefused({"run", "--quiet"}, "llmeval.yaml: variables.weight: 'weight' is a column of");
}

TEST(CliInputChecks, AScorerColumnThatIsNotInTheDatasetIsRejected) {
  CliProject project;
  project.Write("questions.csv",
                "Category,Question,Correctness Criteria\nGit,What is HEAD?,Names the current commit\n");
  std::string head = "dataset: questions.csv\nprompt: basic_two\nscorers:\n";
  project.Write("prompts/basic_two.txt", "{category}: {question}\n");
  project.Write("llmeval.yaml", head +
                                    "  - name: correctness\n"
                                    "    type: guidelines\n"
                                    "    guidelines_column: correctnes_criteria\n");
  project.ExpectRefused(
      {"run", "--quiet"},
      "llmeval.yaml:6: scorer 'correctness' guidelines_column: 'correctnes_criteria' is not a column of");
  EXPECT_THAT(project.Run({"run", "--quiet"}).err, HasSubstr("(did you mean 'correctness_criteria'?)"));
  project.Write("llmeval.yaml", head + "  - {name: right, type: correctness, column: expected}\n");
  project.ExpectRefused({"run", "--quiet"}, "llmeval.yaml:4: scorer 'right' column: 'expected' is not a column of");
  project.Write("llmeval.yaml", head + "  - {name: english, type: guidelines, guideline: x, human_label_column: ok}\n");
  project.ExpectRefused({"run", "--quiet"}, "scorer 'english' human_label_column: 'ok' is not a column of");

  project.Write("llmeval.yaml", head +
                                    "  - name: correctness\n"
                                    "    type: guidelines\n"
                                    "    guidelines_column: correctness_criteria\n");
  CommandResult fixed = project.Run({"run", "--quiet"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

}  // namespace
}  // namespace llmeval::testing
