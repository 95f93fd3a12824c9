#include "prompts/prompt_ref.h"

#include <gtest/gtest.h>

#include <string>

namespace llmeval {
namespace {

TEST(IsValidPromptNameTest, AcceptsAndRejects) {
  for (const char* ok : {"basic", "a", "7", "Basic_v2", "qa-system", "x_-_y", "A1"}) {
    EXPECT_TRUE(IsValidPromptName(ok)) << ok;
  }
  EXPECT_TRUE(IsValidPromptName(std::string(64, 'a')));
  for (const char* bad :
       {"", "_x", "-x", "a b", "a/b", "a.b", ".", "..", "../../etc/passwd", "a@b", "a:b", "café", "a\n", "a\\b"}) {
    EXPECT_FALSE(IsValidPromptName(bad)) << bad;
  }
  EXPECT_FALSE(IsValidPromptName(std::string(65, 'a')));
  EXPECT_FALSE(IsValidPromptName(std::string("a\0b", 3)));
}

struct RefCase {
  const char* text;
  PromptRef::Kind kind;
  const char* name;
  int version;
  const char* alias;
  const char* canonical;
};

class ParsePromptRefTest : public ::testing::TestWithParam<RefCase> {};

TEST_P(ParsePromptRefTest, Parses) {
  const RefCase& c = GetParam();
  Result<PromptRef> ref = ParsePromptRef(c.text);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  EXPECT_EQ(ref->kind, c.kind);
  EXPECT_EQ(ref->name, c.name);
  EXPECT_EQ(ref->version, c.version);
  EXPECT_EQ(ref->alias, c.alias);
  EXPECT_EQ(ref->ToString(), c.canonical);
  // The canonical form parses back to the same reference.
  Result<PromptRef> again = ParsePromptRef(ref->ToString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ToString(), c.canonical);
}

using Kind = PromptRef::Kind;
INSTANTIATE_TEST_SUITE_P(
    Forms, ParsePromptRefTest,
    ::testing::Values(RefCase{"basic", Kind::kWorkingFile, "basic", 0, "", "basic"},
                      RefCase{"basic@production", Kind::kAlias, "basic", 0, "production", "basic@production"},
                      RefCase{"basic/3", Kind::kVersion, "basic", 3, "", "basic/3"},
                      RefCase{"prompts:/basic/3", Kind::kVersion, "basic", 3, "", "basic/3"},
                      RefCase{"prompts:/basic@latest", Kind::kAlias, "basic", 0, "latest", "basic@latest"},
                      RefCase{"prompts:basic/3", Kind::kVersion, "basic", 3, "", "basic/3"},
                      RefCase{"prompts:basic@prod-2", Kind::kAlias, "basic", 0, "prod-2", "basic@prod-2"},
                      RefCase{"prompts:/basic", Kind::kWorkingFile, "basic", 0, "", "basic"},
                      RefCase{"qa-v2_x/1000", Kind::kVersion, "qa-v2_x", 1000, "", "qa-v2_x/1000"},
                      RefCase{"basic/007", Kind::kVersion, "basic", 7, "", "basic/7"},
                      RefCase{"9lives", Kind::kWorkingFile, "9lives", 0, "", "9lives"}));

struct BadRefCase {
  const char* text;
  const char* why;
};

class ParsePromptRefErrorTest : public ::testing::TestWithParam<BadRefCase> {};

constexpr char kForms[] =
    "; expected NAME (the working file NAME.txt), NAME/VERSION, NAME@ALIAS, or one of these after 'prompts:/', e.g. "
    "'basic', 'basic/3', 'basic@production', 'prompts:/basic/3'; NAME and ALIAS are 1-64 letters, digits, '_' or '-' "
    "starting with a letter or digit, VERSION is a whole number >= 1";

TEST_P(ParsePromptRefErrorTest, RejectsWithAcceptedForms) {
  const BadRefCase& c = GetParam();
  Result<PromptRef> ref = ParsePromptRef(c.text);
  ASSERT_FALSE(ref.ok()) << c.text;
  EXPECT_EQ(ref.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(ref.status().message(), "invalid prompt reference '" + std::string(c.text) + "': " + c.why + kForms);
}

INSTANTIATE_TEST_SUITE_P(
    Rejected, ParsePromptRefErrorTest,
    ::testing::Values(
        BadRefCase{"../../etc/passwd", "'..' is not a valid prompt name"}, BadRefCase{"basic/0", "versions start at 1"},
        BadRefCase{"basic@", "the alias after '@' is missing"},
        BadRefCase{"basic/x", "version 'x' is not a whole number"},
        BadRefCase{"basic/", "the version after '/' is missing"},
        BadRefCase{"basic/-1", "version '-1' is not a whole number"},
        BadRefCase{"basic/+1", "version '+1' is not a whole number"},
        BadRefCase{"basic/1.5", "version '1.5' is not a whole number"},
        BadRefCase{"basic/3/4", "version '3/4' is not a whole number"},
        BadRefCase{"basic/ 3", "version ' 3' is not a whole number"},
        BadRefCase{"basic/99999999999999999999", "version '99999999999999999999' is too large"},
        BadRefCase{"basic/1000000001", "version '1000000001' is too large"},
        BadRefCase{"basic@prod@x", "'prod@x' is not a valid alias name"},
        BadRefCase{"basic@prod/3", "'prod/3' is not a valid alias name"},
        BadRefCase{"basic@-x", "'-x' is not a valid alias name"}, BadRefCase{"", "the prompt name is missing"},
        BadRefCase{"prompts:/", "the prompt name is missing"}, BadRefCase{"prompts:", "the prompt name is missing"},
        BadRefCase{"/3", "the prompt name is missing"}, BadRefCase{"@prod", "the prompt name is missing"},
        BadRefCase{"prompts://basic/3", "the prompt name is missing"},
        BadRefCase{"my prompt", "'my prompt' is not a valid prompt name"},
        BadRefCase{"basic.txt", "'basic.txt' is not a valid prompt name"},
        BadRefCase{"runs:/basic/3", "'runs:' is not a valid prompt name"}));

TEST(ParsePromptRefTest, LongInputIsShortenedInMessage) {
  Result<PromptRef> ref = ParsePromptRef(std::string(500, '.'));
  ASSERT_FALSE(ref.ok());
  EXPECT_LT(ref.status().message().size(), 600u);
}

}  // namespace
}  // namespace llmeval
