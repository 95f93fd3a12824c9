// `llmeval run --target` end to end through the real binary: `llmeval sim-server` plays the user's application behind
// an HTTP target (body template, response pointers, ${ENV} header), items that fail on a missing mapped field are
// recorded as errors naming the pointer while the run goes on, and config errors in a target are refused with
// file:line:column before anything is written.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AppProcess {
 public:
  AppProcess() {
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{LLMEVAL_BINARY, "sim-server", "--port", "0", "--exit-after", "120"});
    port_ = child_->ReadLine();
  }
  const std::string& port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> child_;
  std::string port_;
};

std::string TargetConfig(const std::string& port, const std::string& answer_pointer,
                         const std::string& body = "{model: sim, messages: [{role: user, content: \"{question}\"}]}") {
  return "dataset: questions.csv\n"
         "targets:\n"
         "  sim_app:\n"
         "    kind: http\n"
         "    url: http://127.0.0.1:" +
         port +
         "/v1/chat/completions\n"
         "    headers: {Authorization: \"Bearer ${TARGET_TEST_KEY}\"}\n"
         "    body: " +
         body +
         "\n"
         "    response:\n"
         "      answer: " +
         answer_pointer +
         "\n"
         "      input_tokens: /usage/prompt_tokens\n"
         "      output_tokens: /usage/completion_tokens\n";
}

TEST(TargetsCli, HttpTargetAnswersEveryItemAndKeepsTheKeyOutOfTheStore) {
  AppProcess app;
  CliProject project;
  project.Write("questions.csv", SampleQuestionsCsv());
  project.Write("llmeval.yaml", TargetConfig(app.port(), "/choices/0/message/content"));
  CommandResult r =
      project.Run({"run", "--target", "sim_app", "--limit", "3"}, {"TARGET_TEST_KEY=sk-planted-secret-123"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("x sim_app"));
  EXPECT_THAT(r.out, HasSubstr("items 3   errors 0"));
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("\"output\":\""));
  EXPECT_THAT(ReadFile(project.Path(".llmeval/llmeval.db")), Not(HasSubstr("sk-planted-secret-123")));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("sk-planted-secret-123")));
}

TEST(TargetsCli, MissingMappedFieldIsAnItemErrorNamingThePointer) {
  AppProcess app;
  CliProject project;
  project.Write("questions.csv", SampleQuestionsCsv());
  project.Write("llmeval.yaml", TargetConfig(app.port(), "/choices/0/answer"));
  CommandResult r = project.Run({"run", "--target", "sim_app", "--limit", "2"});
  EXPECT_THAT(r.out, HasSubstr("errors 2")) << r.out << r.err;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  EXPECT_THAT(exported.out, HasSubstr("/choices/0/answer"));
}

TEST(TargetsCli, CommandTargetWorkerCrashingMidRunFailsOnlyThatItem) {
  CliProject project;
  project.Write("q.csv", "question\none\ncrash\nthree\nfour\n");
  project.Write("app.py",
                "import json, os, sys\n"
                "for line in sys.stdin:\n"
                "    q = json.loads(line)['vars']['question']\n"
                "    if q == 'crash': os._exit(1)\n"
                "    print(json.dumps({'output': 'said ' + q, 'tool_calls': [{'name': 'web_search', "
                "'arguments': {'query': q}}]}), flush=True)\n");
  project.Write("llmeval.yaml",
                "dataset: q.csv\nconcurrency: 1\ntargets:\n  app:\n    kind: command\n"
                "    command: [python3, app.py]\n    workers: 1\n");
  CommandResult r = project.Run({"run", "--target", "app"});
  EXPECT_THAT(r.out, HasSubstr("items 4   errors 1")) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("tool calls 3"));
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  EXPECT_THAT(exported.out, HasSubstr("said four"));
  EXPECT_THAT(exported.out, HasSubstr("exited with code 1"));
}

TEST(TargetsCli, ConfigErrorsInATargetAreRefusedWithTheirPosition) {
  CliProject project;
  project.Write("questions.csv", SampleQuestionsCsv());
  project.Write("llmeval.yaml", "dataset: questions.csv\ntargets:\n  app:\n    kind: grpc\n    url: http://x\n");
  project.ExpectRefused({"run", "--target", "app"}, "llmeval.yaml:4:11: targets.app.kind: expected http or command");
  project.Write("llmeval.yaml", TargetConfig("1", "choices/0"));
  project.ExpectRefused({"run", "--target", "sim_app"},
                        "llmeval.yaml:9:15: targets.sim_app.response.answer: "
                        "expected a JSON pointer");
  project.Write("llmeval.yaml", TargetConfig("1", "/a", "{q: \"{no_such_column}\"}"));
  project.ExpectRefused({"run", "--target", "sim_app"},
                        "llmeval.yaml:7:11: targets.sim_app.body: {no_such_column} binds to nothing");
  project.ExpectRefused({"run", "--target", "nope"}, "--target nope: no such target");
}

}  // namespace
}  // namespace llmeval::testing
