// End-to-end: `llmeval gate` and `llmeval baseline export` on the sim model. A prompt edit that makes answers worse
// fails the gate (exit 1) and names the flipped items; a neutral edit passes; too many judge errors fail; a baseline
// file round-trips; --changed-since picks exactly the changed prompts of a git repository; bad config exits 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

const char kBasic[] =
    "Category: {category}\nQuestion: {question}\nDifficulty: {weight} out of 4\n"
    "Write a clear, accurate answer suitable for an exam.\n";
const char kOneWord[] =
    "Category: {category}\nQuestion: {question}\nDifficulty: {weight} out of 4\nAnswer in one word only.\n";

const char kGate[] =
    "gate:\n"
    "  rules:\n"
    "    - {scorer: enough_words, max_drop: 0.05}\n"
    "    - {scorer: relevance, max_drop: 0.05}\n"
    "    - {max_error_rate: 0.1}\n"
    "    - {max_cost_usd: 5.0}\n";

void AddGate(const CliProject& project, const std::string& gate = kGate) {
  std::string config = ReadFile(project.Path("llmeval.yaml"));
  project.Write("llmeval.yaml", config + gate);
}

TEST(CliGate, AWorseningEditFailsAndNamesTheFlippedItems) {
  CliProject project;
  AddGate(project);
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);  // basic/1, run 1
  project.Write("prompts/basic.txt", kOneWord);
  CommandResult gate = project.Run({"gate", "--quiet", "--baseline", "prompts:/basic/1", "--markdown", "gate.md",
                                    "--junit", "gate.xml", "--json", "gate.json"});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_THAT(gate.out, ContainsRegex("FAIL +basic/2 x sim +max_drop +enough_words"));
  EXPECT_THAT(gate.out, HasSubstr("pass->fail"));
  EXPECT_THAT(gate.out, HasSubstr("What is an algorithm?"));
  EXPECT_THAT(gate.out, HasSubstr("Gate FAILED"));
  EXPECT_THAT(ReadFile(project.Path("gate.md")), HasSubstr("flipped items"));
  EXPECT_THAT(ReadFile(project.Path("gate.xml")), HasSubstr("<failure message="));
  EXPECT_THAT(ReadFile(project.Path("gate.json")), HasSubstr("\"passed\":false"));
}

TEST(CliGate, ANeutralEditPasses) {
  CliProject project;
  AddGate(project);
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  project.Write("prompts/basic.txt", std::string(kBasic) + "\n");
  CommandResult gate = project.Run({"gate", "--quiet", "--baseline", "basic/1"});
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("Gate PASSED"));
  EXPECT_THAT(gate.out, Not(HasSubstr("FAIL")));
}

TEST(CliGate, ABaselineFileRoundTrips) {
  CliProject project;
  AddGate(project);
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  CommandResult exported = project.Run({"baseline", "export", "--run", "1", "-o", "baseline.json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string json = ReadFile(project.Path("baseline.json"));
  EXPECT_THAT(json, HasSubstr("\"llmeval_baseline\":1"));
  EXPECT_THAT(json, HasSubstr("\"prompt\":\"basic/1\""));
  // The same file exported again is byte-identical (stable order), and gating the unchanged prompt passes.
  ASSERT_EQ(project.Run({"baseline", "export", "--run", "1", "-o", "again.json"}).exit_code, 0);
  EXPECT_EQ(ReadFile(project.Path("again.json")), json);
  CommandResult same = project.Run({"gate", "--quiet", "--baseline", "baseline.json"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  project.Write("prompts/basic.txt", kOneWord);
  CommandResult worse = project.Run({"gate", "--quiet", "--baseline", "baseline.json"});
  EXPECT_EQ(worse.exit_code, 1) << worse.out << worse.err;
  // A stored run id works the same way.
  CommandResult by_run = project.Run({"gate", "--quiet", "--baseline", "1"});
  EXPECT_EQ(by_run.exit_code, 1) << by_run.out << by_run.err;
}

TEST(CliGate, AnUnpricedModelFailsMaxCost) {
  CliProject project;
  std::string config = ReadFile(project.Path("llmeval.yaml"));
  size_t model = config.find("model: sim\n");
  ASSERT_NE(model, std::string::npos);
  project.Write("llmeval.yaml",
                config.replace(model, 11, "model: sim-unpriced\n") + "gate:\n  rules:\n    - {max_cost_usd: 5.0}\n");
  CommandResult gate = project.Run({"gate", "--quiet", "--limit", "3"});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_THAT(gate.out, ContainsRegex("FAIL +basic/1 x sim-unpriced +max_cost_usd"));
  EXPECT_THAT(gate.out, HasSubstr("cost is unknown (no price for model 'sim-unpriced')"));
}

TEST(CliGate, RepeatingADeterministicAnswerDoesNotEarnAPassRateLowerBound) {
  // The sim answers every repeat alike: 12 items x 6 repeats are 12 observations, not 72. The lower bound of 12/12 is
  // 0.76 (fails 0.8); counted as 72/72 it would be 0.95 and pass.
  CliProject project;
  AddGate(project, "gate:\n  rules:\n    - {scorer: enough_words, min_pass_rate: 0.8, on: lower_bound}\n");
  CommandResult once = project.Run({"gate", "--quiet", "--repeat", "1"});
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;
  EXPECT_THAT(once.out, HasSubstr("0.76 (rate 1.00, 12/12)"));
  CommandResult six = project.Run({"gate", "--quiet", "--repeat", "6"});
  EXPECT_EQ(six.exit_code, 1) << six.out << six.err;
  EXPECT_THAT(six.out, HasSubstr("0.76 (rate 1.00, 72/72, design effect 6.00)"));
  // `runs show` reports the same clustered interval.
  CommandResult show = project.Run({"runs", "show", "2"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, ContainsRegex("enough_words .*\\[76%, 100%\\]"));
}

TEST(CliGate, BadConfigOrInputExitsTwo) {
  CliProject project;
  AddGate(project, "gate:\n  rules:\n    - {scorer: relevance, max_drip: 0.05}\n");
  CommandResult bad = project.Run({"gate", "--quiet"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, ContainsRegex("llmeval.yaml:[0-9]+:[0-9]+: unknown key .max_drip."));
  EXPECT_THAT(bad.err, HasSubstr("max_drop"));

  CliProject other;
  AddGate(other, "gate:\n  rules:\n    - {scorer: nope, min_pass_rate: 0.5}\n");
  CommandResult unknown = other.Run({"gate", "--quiet", "--limit", "1"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
  EXPECT_THAT(unknown.err, HasSubstr("scorer 'nope'"));

  CliProject third;
  AddGate(third);
  third.Write("broken.json", "{\"llmeval_baseline\": 1}");
  CommandResult broken = third.Run({"gate", "--quiet", "--baseline", "broken.json"});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_THAT(broken.err, HasSubstr("broken.json"));
  EXPECT_FALSE(std::ifstream(third.Path(".llmeval/llmeval.db")).good()) << "nothing evaluated on bad input";
}

class SimServer {
 public:
  explicit SimServer(std::vector<std::string> extra) {
    std::vector<std::string> argv = {LLMEVAL_BINARY, "sim-server", "--port", "0", "--exit-after", "120"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    child_ = std::make_unique<ChildProcess>(argv);
    port_ = child_->ReadLine();
  }
  const std::string& port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> child_;
  std::string port_;
};

TEST(CliGate, TooManyJudgeErrorsFailTheGate) {
  SimServer server({"--faults", "500=50%", "--seed", "3"});
  CliProject project;
  project.Write("llmeval.yaml",
                "dataset: questions.csv\nprompt: basic\nmodel: sim\njudge: flaky:sim\nconcurrency: 4\n"
                "providers:\n  flaky:\n    base_url: http://127.0.0.1:" +
                    server.port() +
                    "/v1\n    max_attempts: 1\n"
                    "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n"
                    "  - {name: relevance, type: relevance_to_query}\n"
                    "gate:\n  rules:\n    - {max_error_rate: 0.1}\n    - {scorer: enough_words, min_pass_rate: 0.5}\n");
  CommandResult gate = project.Run({"gate", "--quiet", "--no-cache"});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_THAT(gate.out, ContainsRegex("FAIL +basic/1 x sim +max_error_rate +relevance"));
  EXPECT_THAT(gate.out, HasSubstr("could not be scored"));
  EXPECT_THAT(gate.out, ContainsRegex("pass +basic/1 x sim +max_error_rate +enough_words"));
}

TEST(CliGate, ChangedSincePicksExactlyTheChangedPrompts) {
  CliProject project;
  AddGate(project);
  project.Write("prompts/concise.txt", "Question: {question}\nAnswer concisely but completely, for an exam.\n");
  project.Write("prompts/practical.txt", "Question: {question}\nGive a practical answer with an example.\n");
  auto git = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/git",        "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
                                     "commit.gpgsign=false"};
    argv.insert(argv.end(), args.begin(), args.end());
    CommandResult r = RunCommand(argv, project.dir());
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  git({"init", "-q"});
  git({"add", "."});
  git({"commit", "-q", "-m", "prompts"});
  // Nothing changed: nothing to gate.
  CommandResult none = project.Run({"gate", "--changed-since", "HEAD"});
  EXPECT_EQ(none.exit_code, 0) << none.out << none.err;
  EXPECT_THAT(none.out, HasSubstr("Prompts changed since HEAD: none"));

  project.Write("prompts/basic.txt", kOneWord);                                // Worse.
  project.Write("prompts/extra.txt", "Question: {question}\nAnswer well.\n");  // New, untracked.
  CommandResult gate = project.Run({"gate", "--changed-since", "HEAD", "--limit", "6"});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("Prompts changed since HEAD: basic, extra"));
  EXPECT_THAT(gate.out, ContainsRegex("FAIL +basic/2 x sim"));
  EXPECT_THAT(gate.out, HasSubstr("extra/1 x sim has no baseline"));
  EXPECT_THAT(gate.out, Not(HasSubstr("concise")));
  EXPECT_THAT(gate.out, Not(HasSubstr("practical")));
  CommandResult bad_ref = project.Run({"gate", "--changed-since", "no-such-ref"});
  EXPECT_EQ(bad_ref.exit_code, 2);
  EXPECT_THAT(bad_ref.err, HasSubstr("unknown git revision 'no-such-ref'"));
}

}  // namespace
}  // namespace llmeval::testing
