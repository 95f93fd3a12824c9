// Tests of model reference parsing.
#include "engine/providers/model_ref.h"

#include <gtest/gtest.h>

namespace llmeval {
namespace {

TEST(ModelRefTest, Forms) {
  struct Case {
    const char* text;
    const char* provider;
    const char* model;
  };
  const Case cases[] = {
      {"gpt-4.1-mini", "", "gpt-4.1-mini"},
      {"openai:gpt-4.1-mini", "openai", "gpt-4.1-mini"},
      {"openai:/gpt-4.1-mini", "openai", "gpt-4.1-mini"},
      {"  sim : sim  ", "sim", "sim"},
      {"ollama:llama3:8b", "ollama", "llama3:8b"},
      {"openrouter:openai/gpt-4o", "openrouter", "openai/gpt-4o"},
  };
  for (const Case& c : cases) {
    Result<ModelRef> ref = ParseModelRef(c.text);
    ASSERT_TRUE(ref.ok()) << c.text << ": " << ref.status().ToString();
    EXPECT_EQ(ref->provider, c.provider) << c.text;
    EXPECT_EQ(ref->model, c.model) << c.text;
  }
  EXPECT_EQ(FormatModelRef({"openai", "gpt-4o"}), "openai:gpt-4o");
  EXPECT_EQ(FormatModelRef({"", "gpt-4o"}), "gpt-4o");
}

TEST(ModelRefTest, EmptyPartsAreInvalid) {
  for (const char* text : {"", "   ", ":gpt-4o", "openai:", "openai:/", " : "}) {
    Result<ModelRef> ref = ParseModelRef(text);
    ASSERT_FALSE(ref.ok()) << "'" << text << "'";
    EXPECT_EQ(ref.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(ref.status().message().find("expected"), std::string::npos);
  }
}

}  // namespace
}  // namespace llmeval
