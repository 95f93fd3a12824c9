#include "prompts/prompt_set.h"

#include <gtest/gtest.h>

#include <string>

namespace llmeval {
namespace {

TEST(ComposeSystemPromptTest, SeparatesWithOneBlankLine) {
  EXPECT_EQ(ComposeSystemPrompt("You are terse.", "Use tools."), "You are terse.\n\nUse tools.");
  EXPECT_EQ(ComposeSystemPrompt("You are terse.\n", "Use tools."), "You are terse.\n\nUse tools.");
  EXPECT_EQ(ComposeSystemPrompt("You are terse.\n\n\n", "\nUse tools.\n"), "You are terse.\n\nUse tools.\n");
  EXPECT_EQ(ComposeSystemPrompt("A\r\n", "B"), "A\n\nB");
}

TEST(ComposeSystemPromptTest, EmptySides) {
  EXPECT_EQ(ComposeSystemPrompt("", ""), "");
  EXPECT_EQ(ComposeSystemPrompt("System.\n", ""), "System.\n");
  EXPECT_EQ(ComposeSystemPrompt("System.", "\n\n"), "System.");
  EXPECT_EQ(ComposeSystemPrompt("", "Use tools."), "Use tools.");
  EXPECT_EQ(ComposeSystemPrompt("\n", "Use tools."), "Use tools.");
}

TEST(ComposeSystemPromptTest, UnicodeUntouched) {
  EXPECT_EQ(ComposeSystemPrompt("Sé breve. 🎯", "Usa la calculadora ✓"), "Sé breve. 🎯\n\nUsa la calculadora ✓");
}

TEST(PromptSetTest, AddendumOnlyWithTools) {
  PromptSet set;
  set.system = "Be brief.";
  set.tool_addendum = "Call calc for math.";
  EXPECT_EQ(set.SystemPrompt(false), "Be brief.");
  EXPECT_EQ(set.SystemPrompt(true), "Be brief.\n\nCall calc for math.");
  set.system.clear();
  EXPECT_EQ(set.SystemPrompt(false), "");
  EXPECT_EQ(set.SystemPrompt(true), "Call calc for math.");
}

}  // namespace
}  // namespace llmeval
