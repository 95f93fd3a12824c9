#include "prompts/template.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace llmeval {
namespace {

struct RenderCase {
  const char* label;
  std::string text;
  std::map<std::string, std::string> vars;
  std::string expected;
  std::vector<std::string> placeholders;
};

class TemplateRenderTest : public ::testing::TestWithParam<RenderCase> {};

TEST_P(TemplateRenderTest, RendersExactly) {
  const RenderCase& c = GetParam();
  Result<Template> t = Template::Parse(c.text, "case.txt");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->text(), c.text);
  EXPECT_EQ(t->placeholders(), c.placeholders);
  Result<std::string> out = t->Render(c.vars);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TemplateRenderTest,
    ::testing::Values(
        RenderCase{"empty", "", {}, "", {}}, RenderCase{"plain", "no fields here", {{"x", "1"}}, "no fields here", {}},
        RenderCase{"one", "Q: {question}", {{"question", "2+2?"}}, "Q: 2+2?", {"question"}},
        RenderCase{"spec_example",
                   "Category: {category}\nQuestion: {question}\nDifficulty: {weight} out of 4",
                   {{"category", "math"}, {"question", "2+2?"}, {"weight", "1"}},
                   "Category: math\nQuestion: 2+2?\nDifficulty: 1 out of 4",
                   {"category", "question", "weight"}},
        RenderCase{"escaped_field", "{{x}}", {}, "{x}", {}},
        RenderCase{"escapes_around_field", "{{{x}}}", {{"x", "v"}}, "{v}", {"x"}},
        RenderCase{"json_literal", "{{\"a\": {n}}}", {{"n", "1"}}, "{\"a\": 1}", {"n"}},
        RenderCase{"lone_escapes", "a }} b {{ c", {}, "a } b { c", {}},
        RenderCase{"spaces_trimmed", "[{ name }][{\tname}]", {{"name", "N"}}, "[N][N]", {"name"}},
        RenderCase{"case_insensitive", "{Name} {NAME} {name}", {{"name", "x"}}, "x x x", {"name"}},
        RenderCase{"repeated_order", "{b}{a}{b}{c}{a}", {{"a", "1"}, {"b", "2"}, {"c", "3"}}, "21231", {"b", "a", "c"}},
        RenderCase{"underscores_digits",
                   "{_x1} {snake_case_2}",
                   {{"_x1", "A"}, {"snake_case_2", "B"}},
                   "A B",
                   {"_x1", "snake_case_2"}},
        RenderCase{"adjacent", "{a}{b}", {{"a", "x"}, {"b", "y"}}, "xy", {"a", "b"}},
        RenderCase{"unused_vars_fine", "{a}", {{"a", "1"}, {"unused", "2"}}, "1", {"a"}},
        RenderCase{"empty_value", "[{a}]", {{"a", ""}}, "[]", {"a"}},
        RenderCase{"value_not_reparsed", "{a}", {{"a", "{b} }{"}}, "{b} }{", {"a"}},
        RenderCase{"unicode_text", "Frage: {q} — ответ? 日本語 🎉", {{"q", "x"}}, "Frage: x — ответ? 日本語 🎉", {"q"}},
        RenderCase{"unicode_values",
                   "«{a}» {b}",
                   {{"a", "héllo wörld"}, {"b", "数学 🧮"}},
                   "«héllo wörld» 数学 🧮",
                   {"a", "b"}},
        RenderCase{"crlf_passthrough", "a\r\n{x}\r\n", {{"x", "1"}}, "a\r\n1\r\n", {"x"}}),
    [](const ::testing::TestParamInfo<RenderCase>& info) { return std::string(info.param.label); });

struct ErrorCase {
  const char* label;
  std::string text;
  std::string message;
};

class TemplateErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(TemplateErrorTest, ExactMessage) {
  const ErrorCase& c = GetParam();
  Result<Template> t = Template::Parse(c.text, "prompts/basic.txt");
  ASSERT_FALSE(t.ok()) << "parsed: " << c.text;
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(t.status().message(), c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TemplateErrorTest,
    ::testing::Values(
        ErrorCase{"unclosed_at_end", "Q: {question",
                  "prompts/basic.txt:1:4: unclosed '{': expected a placeholder name and '}' before the end of the "
                  "text (write '{{' and '}}' for literal braces)"},
        ErrorCase{"unclosed_at_line_end", "a\nQ: {question\n}",
                  "prompts/basic.txt:2:4: unclosed '{': expected a placeholder name and '}' before the end of the "
                  "line (write '{{' and '}}' for literal braces)"},
        ErrorCase{"lone_open_brace", "x { y",
                  "prompts/basic.txt:1:3: unclosed '{': expected a placeholder name and '}' before the end of the "
                  "text (write '{{' and '}}' for literal braces)"},
        ErrorCase{"nested_braces", "ok\n  {a{b}}",
                  "prompts/basic.txt:2:3: unclosed '{': expected a placeholder name and '}' but found '{' at 2:5 "
                  "(write '{{' and '}}' for literal braces)"},
        ErrorCase{"lone_close", "a } b",
                  "prompts/basic.txt:1:3: unmatched '}' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"close_after_field", "{x}}",
                  "prompts/basic.txt:1:4: unmatched '}' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"empty", "line1\nline2 {}",
                  "prompts/basic.txt:2:7: empty placeholder '{}': expected a name such as {question} (write '{{' "
                  "and '}}' for literal braces)"},
        ErrorCase{"only_spaces", "{   }",
                  "prompts/basic.txt:1:1: empty placeholder '{}': expected a name such as {question} (write '{{' "
                  "and '}}' for literal braces)"},
        ErrorCase{"name_with_space", "{first name}",
                  "prompts/basic.txt:1:1: invalid placeholder name 'first name': expected a letter or '_' followed "
                  "by letters, digits or '_' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"name_starts_with_digit", "x {1st}",
                  "prompts/basic.txt:1:3: invalid placeholder name '1st': expected a letter or '_' followed by "
                  "letters, digits or '_' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"name_with_dash", "{a-b}",
                  "prompts/basic.txt:1:1: invalid placeholder name 'a-b': expected a letter or '_' followed by "
                  "letters, digits or '_' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"json_unescaped", "{\"a\": 1}",
                  "prompts/basic.txt:1:1: invalid placeholder name '\"a\": 1': expected a letter or '_' followed by "
                  "letters, digits or '_' (write '{{' and '}}' for literal braces)"},
        // Columns count characters, not bytes: "é" and "日本" are one column each.
        ErrorCase{"unicode_column", "é日本 }",
                  "prompts/basic.txt:1:5: unmatched '}' (write '{{' and '}}' for literal braces)"},
        ErrorCase{"unicode_name", "{名前}",
                  "prompts/basic.txt:1:1: invalid placeholder name '名前': expected a letter or '_' followed by "
                  "letters, digits or '_' (write '{{' and '}}' for literal braces)"}),
    [](const ::testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.label); });

TEST(TemplateTest, MissingVariablesAreAllListed) {
  Result<Template> t = Template::Parse("{a} {B} {c} {a} {d}", "basic.txt");
  ASSERT_TRUE(t.ok());
  Result<std::string> out = t->Render(std::map<std::string, std::string>{{"c", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(out.status().message(), "basic.txt: no values for placeholders {a}, {b}, {d}");
}

TEST(TemplateTest, OneMissingVariable) {
  Result<Template> t = Template::Parse("{a} {b}", "basic.txt");
  ASSERT_TRUE(t.ok());
  Result<std::string> out = t->Render(std::map<std::string, std::string>{{"a", "x"}});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "basic.txt: no value for placeholder {b}");
}

TEST(TemplateTest, MapKeysAreLowercase) {
  Result<Template> t = Template::Parse("{Question}", "basic.txt");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->Render(std::map<std::string, std::string>{{"question", "q"}}).ok());
  EXPECT_FALSE(t->Render(std::map<std::string, std::string>{{"Question", "q"}}).ok());
}

TEST(TemplateTest, LookupGetsLowercaseNamesOncePerDistinctName) {
  Result<Template> t = Template::Parse("{Alpha} {BETA} {alpha} {beta}", "basic.txt");
  ASSERT_TRUE(t.ok());
  std::vector<std::string> asked;
  const std::string value = "v";
  Result<std::string> out = t->Render([&](std::string_view name) -> const std::string* {
    asked.emplace_back(name);
    return &value;
  });
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "v v v v");
  EXPECT_EQ(asked, (std::vector<std::string>{"alpha", "beta"}));
}

TEST(TemplateTest, EmptyLookupFunctionMeansEverythingUnbound) {
  Result<Template> t = Template::Parse("{a}", "basic.txt");
  ASSERT_TRUE(t.ok());
  Result<std::string> out = t->Render(std::function<const std::string*(std::string_view)>());
  EXPECT_FALSE(out.ok());
}

TEST(TemplateTest, InvalidUtf8PassesThroughUntouched) {
  const std::string text = "a\xff\xfe {x} \xc3";
  Result<Template> t = Template::Parse(text, "basic.txt");
  ASSERT_TRUE(t.ok());
  Result<std::string> out = t->Render(std::map<std::string, std::string>{{"x", "\x80"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "a\xff\xfe \x80 \xc3");
}

TEST(TemplateTest, CopiesRenderIndependently) {
  Result<Template> parsed = Template::Parse("<{x}>", "basic.txt");
  ASSERT_TRUE(parsed.ok());
  Template copy = *parsed;
  parsed = Template::Parse("other", "other.txt");
  Result<std::string> out = copy.Render(std::map<std::string, std::string>{{"x", "1"}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "<1>");
  EXPECT_EQ(copy.source_name(), "basic.txt");
}

TEST(TemplateTest, LongInvalidNameIsShortenedInMessage) {
  const std::string name(200, '-');
  Result<Template> t = Template::Parse("{" + name + "}", "basic.txt");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("'" + std::string(60, '-') + "...'"), std::string::npos);
  EXPECT_LT(t.status().message().size(), 220u);
}

TEST(TemplateTest, ManyPlaceholdersRenderInOrder) {
  std::string text;
  std::string expected;
  std::map<std::string, std::string> vars;
  for (int i = 0; i < 1000; ++i) {
    const std::string name = "v" + std::to_string(i % 250);
    text += "{" + name + "},";
    expected += std::to_string(i % 250) + ",";
    vars[name] = std::to_string(i % 250);
  }
  Result<Template> t = Template::Parse(text, "big.txt");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->placeholders().size(), 250u);
  Result<std::string> out = t->Render(vars);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, expected);
}

TEST(UnboundPlaceholdersTest, ComparesIgnoringCase) {
  Result<Template> t = Template::Parse("{question} {Category} {weight} {extra}", "basic.txt");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(UnboundPlaceholders(*t, {"Question", "CATEGORY", "id"}), (std::vector<std::string>{"weight", "extra"}));
  EXPECT_TRUE(UnboundPlaceholders(*t, {"question", "category", "weight", "extra"}).empty());
  Result<Template> none = Template::Parse("no fields", "x.txt");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(UnboundPlaceholders(*none, {}).empty());
}

}  // namespace
}  // namespace llmeval
