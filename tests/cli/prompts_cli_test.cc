// End-to-end: prompt versions through the CLI. Editing a prompt file creates version 2 and the run records it; diffs
// show the change; an alias pins a version that `run --prompt NAME@ALIAS` uses instead of the working file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliPrompts, EditAliasDiffAndRunWithAlias) {
  CliProject project;
  CommandResult first = project.Run({"run", "--quiet", "--limit", "2"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("basic/1 x sim"));

  project.Write("prompts/basic.txt",
                "Category: {category}\nQuestion: {question}\nDifficulty: {weight} out of 4\n"
                "Answer in one word only.\n");
  CommandResult second = project.Run({"run", "--quiet", "--limit", "2"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("basic/2 x sim"));

  CommandResult unchanged = project.Run({"prompts", "register", "basic"});
  EXPECT_EQ(unchanged.exit_code, 0);
  EXPECT_THAT(unchanged.out, HasSubstr("version 2 (unchanged)"));

  CommandResult history = project.Run({"prompts", "history", "basic"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("latest"));

  CommandResult diff = project.Run({"prompts", "diff", "basic/1", "basic/2"});
  ASSERT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_THAT(diff.out, HasSubstr("--- basic/1"));
  EXPECT_THAT(diff.out, HasSubstr("+++ basic/2"));
  EXPECT_THAT(diff.out, HasSubstr("-Write a clear, accurate answer suitable for an exam."));
  EXPECT_THAT(diff.out, HasSubstr("+Answer in one word only."));

  ASSERT_EQ(project.Run({"prompts", "alias", "basic", "production", "1"}).exit_code, 0);
  CommandResult pinned = project.Run({"run", "--quiet", "--limit", "2", "--prompt", "basic@production"});
  ASSERT_EQ(pinned.exit_code, 0) << pinned.err;
  EXPECT_THAT(pinned.out, HasSubstr("basic/1 x sim"));
  CommandResult shown = project.Run({"prompts", "show", "prompts:/basic@production"});
  EXPECT_THAT(shown.out, HasSubstr("Write a clear, accurate answer"));

  CommandResult list = project.Run({"prompts", "list"});
  EXPECT_THAT(list.out, HasSubstr("production=1"));
  EXPECT_THAT(list.out, HasSubstr("system"));

  EXPECT_EQ(project.Run({"prompts", "alias", "basic", "latest", "1"}).exit_code, 2);
  EXPECT_EQ(project.Run({"prompts", "alias", "basic", "production", "9"}).exit_code, 2);
  EXPECT_EQ(project.Run({"prompts", "show", "basic/9"}).exit_code, 2);
  EXPECT_EQ(project.Run({"prompts", "show", "../etc/passwd"}).exit_code, 2);
}

TEST(CliPrompts, HistoryAliasAndRegisterRefuseAReferenceWhereANameBelongs) {
  CliProject project;
  ASSERT_EQ(project.Run({"prompts", "register", "basic"}).exit_code, 0);
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"prompts", "history", "basic/999"}, "history takes a prompt NAME, got the version reference 'basic/999'"},
      {{"prompts", "history", "basic@nope"}, "history takes a prompt NAME, got the alias reference 'basic@nope'"},
      {{"prompts", "history", "basic/1"}, "got the version reference 'basic/1'; use 'basic'"},
      {{"prompts", "history", "prompts:/basic"}, "got the reference 'prompts:/basic'; use 'basic'"},
      {{"prompts", "alias", "basic@x", "production", "1"}, "alias takes a prompt NAME, got the alias reference"},
      {{"prompts", "alias", "basic/1", "production", "1"}, "alias takes a prompt NAME, got the version reference"},
      {{"prompts", "register", "basic/1"}, "register takes a prompt NAME, got the version reference"},
  };
  for (const Case& c : cases) {
    CommandResult r = project.Run(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[2] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
  CommandResult list = project.Run({"prompts", "list"});
  EXPECT_THAT(list.out, Not(HasSubstr("production")));  // No alias was set.
}

TEST(CliPrompts, OneWordInstructionFailsTheWordCountScorer) {
  CliProject project;
  project.Write("prompts/basic.txt", "Question: {question}\nAnswer in one word only.\n");
  CommandResult r = project.Run({"run", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("enough_words                        0     12"));
}

}  // namespace
}  // namespace llmeval::testing
