// Bad input through the binary: every rejected run exits 2 with a message naming the file and position, and writes
// nothing: no run, no prompt version, and in a new project no store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

bool StoreExists(const CliProject& project) { return std::filesystem::exists(project.Path(".llmeval/llmeval.db")); }

TEST(CliInputChecks, ABadTemplateCreatesNoStoreAndNamesThePromptFile) {
  CliProject project;
  project.Write("prompts/jsonish.txt", "Reply as {\"answer\": \"...\"} to: {question}\n");
  CommandResult r = project.Run({"run", "--quiet", "--prompt", "jsonish"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("prompts/jsonish.txt:1:10: "));
  EXPECT_FALSE(StoreExists(project));
}

TEST(CliInputChecks, AnUnboundPlaceholderCreatesNoStore) {
  CliProject project;
  project.Write("prompts/aud.txt", "{question} for {audience}\n");
  CommandResult r = project.Run({"run", "--quiet", "--prompt", "aud"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("prompts/aud.txt (aud) uses {audience}"));
  EXPECT_FALSE(StoreExists(project));
}

TEST(CliInputChecks, ABadDatasetCreatesNoStore) {
  CliProject project;
  project.Write("bad.csv", "Category,Question\nA\n");
  CommandResult r = project.Run({"run", "--quiet", "--dataset", "bad.csv"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("bad.csv:2"));
  EXPECT_FALSE(StoreExists(project));
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
  CommandResult r = project.Run({"run", "--quiet", "--resume", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no run 1 to resume"));
  EXPECT_FALSE(StoreExists(project));
}

TEST(CliInputChecks, TemperatureOutsideZeroToTwoIsRejected) {
  CliProject project;
  for (const char* t : {"9", "-1"}) {
    CommandResult r = project.Run({"run", "--quiet", "--temperature", t});
    EXPECT_EQ(r.exit_code, 2) << t;
    EXPECT_THAT(r.err, HasSubstr("--temperature expects a number between 0 and 2"));
  }
  project.Write("llmeval.yaml", "dataset: questions.csv\nprompt: basic\ntemperature: -5\n");
  CommandResult r = project.Run({"run", "--quiet"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("llmeval.yaml:3:14: temperature: expected a number between 0 and 2, got -5"));
  EXPECT_FALSE(StoreExists(project));
}

TEST(CliInputChecks, AVariableNamedLikeADatasetColumnIsRejected) {
  CliProject project;
  for (const char* var : {"question=foo", "Category=x"}) {
    CommandResult r = project.Run({"run", "--quiet", "--var", var});
    EXPECT_EQ(r.exit_code, 2) << var;
    EXPECT_THAT(r.err, HasSubstr("is a column of"));
    EXPECT_THAT(r.err, HasSubstr("questions.csv"));
  }
  project.Write("llmeval.yaml", "dataset: questions.csv\nprompt: basic\nvariables: {weight: heavy}\n");
  CommandResult config = project.Run({"run", "--quiet"});
  EXPECT_EQ(config.exit_code, 2);
  EXPECT_THAT(config.err, HasSubstr("llmeval.yaml: variables.weight: 'weight' is a column of"));
  EXPECT_FALSE(StoreExists(project));
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
  CommandResult guidelines = project.Run({"run", "--quiet"});
  EXPECT_EQ(guidelines.exit_code, 2);
  EXPECT_THAT(guidelines.err, HasSubstr("llmeval.yaml:6: scorer 'correctness' guidelines_column: "
                                        "'correctnes_criteria' is not a column of"));
  EXPECT_THAT(guidelines.err, HasSubstr("(did you mean 'correctness_criteria'?)"));
  project.Write("llmeval.yaml", head + "  - {name: right, type: correctness, column: expected}\n");
  CommandResult correctness = project.Run({"run", "--quiet"});
  EXPECT_EQ(correctness.exit_code, 2);
  EXPECT_THAT(correctness.err, HasSubstr("llmeval.yaml:4: scorer 'right' column: 'expected' is not a column of"));
  project.Write("llmeval.yaml", head + "  - {name: english, type: guidelines, guideline: x, human_label_column: ok}\n");
  CommandResult human = project.Run({"run", "--quiet"});
  EXPECT_EQ(human.exit_code, 2);
  EXPECT_THAT(human.err, HasSubstr("scorer 'english' human_label_column: 'ok' is not a column of"));
  EXPECT_FALSE(StoreExists(project));

  project.Write("llmeval.yaml", head +
                                    "  - name: correctness\n"
                                    "    type: guidelines\n"
                                    "    guidelines_column: correctness_criteria\n");
  CommandResult fixed = project.Run({"run", "--quiet"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
}

}  // namespace
}  // namespace llmeval::testing
