// A small scratch project for end-to-end CLI tests: a question CSV, a system prompt, a user template, a config with
// code and judge scorers on the sim model, in a fresh directory with its own store.
#ifndef LLMEVAL_TESTS_CLI_CLI_PROJECT_H_
#define LLMEVAL_TESTS_CLI_CLI_PROJECT_H_

#include <string>
#include <vector>

#include "testing/test_util.h"

namespace llmeval::testing {

class CliProject {
 public:
  CliProject();
  const std::string& dir() const { return scratch_.path(); }
  std::string Path(const std::string& name) const { return scratch_.Path(name); }
  void Write(const std::string& name, const std::string& contents) const { WriteFile(Path(name), contents); }
  // Runs llmeval in the project directory.
  CommandResult Run(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) const {
    return RunLlmeval(args, dir(), env);
  }
  // Whether the project's store file exists.
  bool HasStore() const;
  // Runs llmeval expecting bad input refused: exit 2, `message` in stderr, and nothing written (no store created
  // where there was none, no run recorded where there was one).
  void ExpectRefused(const std::vector<std::string>& args, const std::string& message) const;

 private:
  ScratchDir scratch_;
};

// Twelve questions in the scenario's shape (Category, Question, Weight).
std::string SampleQuestionsCsv();

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_CLI_CLI_PROJECT_H_
