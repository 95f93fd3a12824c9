// End-to-end: the se-exam example's user scorers (a Python command worker and a C++ plugin) agree item by item with
// the built-in word_count scorers they re-implement; a plugin that cannot be loaded stops the run with exit 2 before
// any model call; judge prompts are versioned prompts users can see and override.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <map>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;

// Outcome per (item, scorer) of an exported run.
std::map<std::string, std::map<std::string, std::string>> Outcomes(const std::string& jsonl) {
  std::map<std::string, std::map<std::string, std::string>> out;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(jsonl).get(docs) != simdjson::SUCCESS) return out;
  for (auto doc : docs) {
    simdjson::dom::element item;
    if (doc.get(item) != simdjson::SUCCESS) continue;
    std::string_view id, prompt;
    if (item["item_id"].get(id) != simdjson::SUCCESS || item["prompt"].get(prompt) != simdjson::SUCCESS) continue;
    simdjson::dom::array assessments;
    if (item["assessments"].get(assessments) != simdjson::SUCCESS) continue;
    for (auto a : assessments) {
      std::string_view name, outcome;
      if (a["name"].get(name) != simdjson::SUCCESS || a["outcome"].get(outcome) != simdjson::SUCCESS) continue;
      out[std::string(prompt) + " " + std::string(id)][std::string(name)] = std::string(outcome);
    }
  }
  return out;
}

class ExampleProject {
 public:
  ExampleProject() {
    std::filesystem::copy(SourceDir() + "/examples/se-exam", dir_.path(),
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove_all(dir_.Path(".llmeval"));
    std::filesystem::remove(dir_.Path("scorers/not_too_many_words.so"));
    // The example loads the plugin from the build tree; this copy builds its own beside the source.
    std::string config = ReadFile(dir_.Path("llmeval.yaml"));
    size_t at = config.find("path: ../../build/examples/not_too_many_words.so");
    EXPECT_NE(at, std::string::npos);
    if (at != std::string::npos) {
      config.replace(at, std::string("path: ../../build/examples/not_too_many_words.so").size(),
                     "path: scorers/not_too_many_words.so");
    }
    WriteFile(dir_.Path("llmeval.yaml"), config);
  }
  bool BuildPlugin() {
    CommandResult r =
        RunCommand({"/usr/bin/g++", "-shared", "-fPIC", "-O1", "-o", dir_.Path("scorers/not_too_many_words.so"),
                    dir_.Path("scorers/not_too_many_words.cc")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0;
  }
  CommandResult Run(std::vector<std::string> args) const {
    args.push_back("--db");
    args.push_back(dir_.Path("store.db"));
    return RunLlmeval(args, dir_.path());
  }
  const ScratchDir& dir() const { return dir_; }

 private:
  ScratchDir dir_;
};

TEST(CliUserScorers, ExampleUserScorersMatchTheBuiltInWordCounts) {
  ExampleProject project;
  ASSERT_TRUE(project.BuildPlugin());
  // A second prompt that makes the sim model answer in one word, so that enough_words fails on some items.
  WriteFile(project.dir().Path("prompts/oneword.txt"), "Question: {question}\nAnswer in one word only.\n");
  CommandResult r = project.Run({"run", "--quiet", "--prompt", "basic,oneword", "--limit", "12", "--scorers",
                                 "enough_words,not_too_many_words,enough_words_py,not_too_many_words_plugin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("enough_words_py"));
  EXPECT_THAT(r.out, HasSubstr("not_too_many_words_plugin"));

  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto outcomes = Outcomes(exported.out);
  ASSERT_EQ(outcomes.size(), 24u);
  int enough_failed = 0;
  for (const auto& [item, by_scorer] : outcomes) {
    EXPECT_EQ(by_scorer.at("enough_words_py"), by_scorer.at("enough_words")) << item;
    EXPECT_EQ(by_scorer.at("not_too_many_words_plugin"), by_scorer.at("not_too_many_words")) << item;
    enough_failed += by_scorer.at("enough_words") == "fail";
  }
  EXPECT_GT(enough_failed, 0);  // Both outcomes were exercised.
  EXPECT_LT(enough_failed, 24);
}

TEST(CliUserScorers, UnloadablePluginIsBadInputBeforeAnyModelCall) {
  ExampleProject project;  // The plugin is not built.
  CommandResult r = project.Run({"run", "--quiet", "--limit", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("llmeval.yaml:"));
  EXPECT_THAT(r.err, HasSubstr("scorer 'not_too_many_words_plugin'"));
  EXPECT_THAT(r.err, HasSubstr("scorers/not_too_many_words.so"));
  CommandResult runs = project.Run({"runs", "list"});
  ASSERT_EQ(runs.exit_code, 0) << runs.err;
  EXPECT_THAT(runs.out, ::testing::Not(HasSubstr("se-exam")));  // No run was created.
}

TEST(CliUserScorers, JudgePromptsAreVersionedAndOverridable) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "2"}).exit_code, 0);
  CommandResult shown = project.Run({"prompts", "show", "judge_guidelines@latest"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("llmeval-judge"));
  CommandResult relevance = project.Run({"prompts", "show", "judge_relevance_to_query/1"});
  EXPECT_EQ(relevance.exit_code, 0) << relevance.err;

  // An override without the marker is refused, naming the file.
  project.Write("prompts/judge_guidelines.txt", "Judge it.\n");
  CommandResult bad = project.Run({"run", "--quiet", "--limit", "2"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("judge_guidelines.txt"));
  EXPECT_THAT(bad.err, HasSubstr("llmeval-judge"));

  project.Write("prompts/judge_guidelines.txt",
                "You are a demanding grader (llmeval-judge). Check the answer to {question} against the guidelines. "
                "Reply with JSON {\"verdict\": \"yes\"|\"no\", \"rationale\": \"...\"}.\n");
  CommandResult second = project.Run({"run", "--quiet", "--limit", "2"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  CommandResult history = project.Run({"prompts", "history", "judge_guidelines"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("judge prompt override"));
  CommandResult latest = project.Run({"prompts", "show", "judge_guidelines@latest"});
  EXPECT_THAT(latest.out, HasSubstr("demanding grader"));
}

}  // namespace
}  // namespace llmeval::testing
