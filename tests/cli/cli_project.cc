#include "cli/cli_project.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace llmeval::testing {

bool CliProject::HasStore() const { return std::filesystem::exists(Path(".llmeval/llmeval.db")); }

void CliProject::ExpectRefused(const std::vector<std::string>& args, const std::string& message) const {
  std::string command;
  for (const std::string& a : args) command += " " + a;
  const bool had_store = HasStore();
  const std::string runs_before = had_store ? Run({"runs", "list"}).out : "";
  CommandResult r = Run(args);
  EXPECT_EQ(r.exit_code, 2) << "llmeval" << command << "\n" << r.out << r.err;
  EXPECT_THAT(r.err, ::testing::HasSubstr(message)) << "llmeval" << command;
  if (had_store) {
    EXPECT_EQ(Run({"runs", "list"}).out, runs_before) << "llmeval" << command << " recorded a run";
  } else {
    EXPECT_FALSE(HasStore()) << "llmeval" << command << " created the store";
  }
}

std::string SampleQuestionsCsv() {
  return "Category,Question,Weight\r\n"
         "Definition,What is an algorithm?,1\r\n"
         "Definition,What is computer science?,1\r\n"
         "Git,\"In the context of Git, what is the \"\"HEAD\"\" reference?\",2\r\n"
         "Git,What does `git stash` do?,2\r\n"
         "Testing,What is a unit test?,1\r\n"
         "Testing,\"What is the difference between a mock, a stub and a fake?\",3\r\n"
         "DDD,What is a bounded context?,3\r\n"
         "DDD,What is an aggregate root?,3\r\n"
         "Terminal,What does the `ls -la` command show?,1\r\n"
         "Terminal,What is a shell pipeline?,2\r\n"
         "Distributed Systems,What is the CAP theorem?,4\r\n"
         "Distributed Systems,What is eventual consistency?,3\r\n";
}

CliProject::CliProject() {
  Write("questions.csv", SampleQuestionsCsv());
  Write("prompts/system.txt", "You are a professor preparing model answers for a software engineering exam.\n");
  Write("prompts/basic.txt",
        "Category: {category}\nQuestion: {question}\nDifficulty: {weight} out of 4\n"
        "Write a clear, accurate answer suitable for an exam.\n");
  Write("llmeval.yaml",
        "experiment: test\n"
        "dataset: questions.csv\n"
        "system_prompt: system\n"
        "prompt: basic\n"
        "model: sim\n"
        "judge: sim\n"
        "concurrency: 4\n"
        "scorers:\n"
        "  - {name: enough_words, type: word_count, min: 10}\n"
        "  - {name: not_too_many_words, type: word_count, max: 1000}\n"
        "  - name: english\n"
        "    type: guidelines\n"
        "    guidelines: [\"The answer should be in English.\"]\n"
        "  - {name: relevance, type: relevance_to_query}\n");
}

}  // namespace llmeval::testing
