// End-to-end: human feedback through the CLI (add by trace id and by item id, list, replace), kept out of the
// scorer's own counts, and the judge-vs-human agreement `runs show` reports, from feedback and from a dataset column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The summary line of one scorer in `runs show` output ("" when absent).
std::string ScorerLine(const std::string& out, const std::string& scorer) {
  size_t at = out.find("\n  " + scorer + " ");
  if (at == std::string::npos) return "";
  size_t end = out.find('\n', at + 1);
  return out.substr(at + 1, end - at - 1);
}

// The last `n` comma-separated fields of a one-item CSV export's row (the scorer columns follow the trace id).
std::vector<std::string> LastFields(std::string csv, int n) {
  csv = csv.substr(csv.find('\n') + 1);
  while (!csv.empty() && (csv.back() == '\n' || csv.back() == '\r')) csv.pop_back();
  std::vector<std::string> fields;
  for (int i = 0; i < n; ++i) {
    size_t comma = csv.rfind(',');
    fields.insert(fields.begin(), csv.substr(comma + 1));
    csv.resize(comma);
  }
  return fields;
}

TEST(CliFeedback, AHumanVerdictNeverReplacesTheScorersInExportsBaselinesOrTheGate) {
  CliProject project;
  project.Write("llmeval.yaml", ReadFile(project.Path("llmeval.yaml")) +
                                    "gate:\n  rules:\n    - {scorer: relevance, max_drop: 0.05}\n");
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "1"}).exit_code, 0);
  CommandResult before = project.Run({"runs", "export", "1", "--format", "csv"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  std::vector<std::string> fields = LastFields(before.out, 5);  // trace_id, then the four scorers.
  const std::string trace = fields[0], judge = fields[4];
  ASSERT_TRUE(judge == "pass" || judge == "fail") << before.out;
  const std::string human = judge == "pass" ? "fail" : "pass";
  ASSERT_EQ(project.Run({"feedback", "add", trace, "--name", "relevance", "--value", human}).exit_code, 0);

  CommandResult after = project.Run({"runs", "export", "1", "--format", "csv"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr(",relevance,relevance (human)\r\n"));
  fields = LastFields(after.out, 2);
  EXPECT_EQ(fields[0], judge);
  EXPECT_EQ(fields[1], human);

  ASSERT_EQ(project.Run({"baseline", "export", "--run", "1", "-o", "baseline.json"}).exit_code, 0);
  std::string baseline = ReadFile(project.Path("baseline.json"));
  EXPECT_THAT(baseline, HasSubstr("\"relevance\":\"" + judge + "\""));
  EXPECT_THAT(baseline, HasSubstr("\"relevance (human)\":\"" + human + "\""));
  // The run against its own baseline: the scorer's verdict is compared with the scorer's, so nothing flipped.
  CommandResult gate = project.Run({"gate", "--quiet", "--run", "1", "--baseline", "baseline.json"});
  EXPECT_EQ(gate.exit_code, 0) << gate.out << gate.err;
  EXPECT_THAT(gate.out, HasSubstr("0 flipped"));
}

TEST(CliFeedback, AddListAndAgreementInRunsShow) {
  CliProject project;
  project.Write("questions.csv",
                "Question,Human English\r\n"
                "What is an algorithm?,yes\r\n"
                "What is a unit test?,yes\r\n"
                "What is a bounded context?,no\r\n"
                "What is a shell pipeline?,\r\n");
  project.Write("prompts/basic.txt", "Question: {question}\nWrite a clear answer.\n");
  project.Write("llmeval.yaml",
                "experiment: feedback\n"
                "dataset: questions.csv\n"
                "prompt: basic\n"
                "model: sim\n"
                "judge: sim\n"
                "scorers:\n"
                "  - {name: enough_words, type: word_count, min: 10}\n"
                "  - name: english\n"
                "    type: guidelines\n"
                "    guidelines: [\"The answer should be in English.\"]\n"
                "    human_label_column: Human English\n");
  CommandResult run = project.Run({"run", "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  CommandResult before = project.Run({"runs", "show", "1"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("agreement with people"));
  EXPECT_THAT(before.out, HasSubstr("column human_english"));  // Three labelled rows; the empty one is left out.

  CommandResult traces = project.Run({"traces", "list", "--run", "1"});
  ASSERT_EQ(traces.exit_code, 0) << traces.err;
  std::string trace_id = traces.out.substr(traces.out.find('\n') + 1, 32);
  CommandResult added = project.Run(
      {"feedback", "add", trace_id, "--name", "english", "--value", "no", "--rationale", "mixes in French"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("recorded human feedback english = fail"));
  EXPECT_THAT(added.out, HasSubstr(trace_id));
  // Replaced, not duplicated.
  ASSERT_EQ(project.Run({"feedback", "add", trace_id, "--name", "english", "--value", "yes"}).exit_code, 0);
  // Two other items by their item ids (1..4 in this fresh store).
  size_t at = added.out.find("on item ");
  ASSERT_NE(at, std::string::npos);
  std::string traced_item = added.out.substr(at + 8, added.out.find(' ', at + 8) - at - 8);
  std::vector<std::string> others;
  for (const char* id : {"1", "2", "3", "4"}) {
    if (traced_item != id) others.push_back(id);
  }
  CommandResult by_id = project.Run({"feedback", "add", others[0], "--name", "english", "--value", "pass"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  ASSERT_EQ(project.Run({"feedback", "add", others[1], "--name", "enough_words", "--value", "0.2"}).exit_code, 0);

  CommandResult list = project.Run({"feedback", "list", "--run", "1"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(trace_id));
  EXPECT_THAT(list.out, Not(HasSubstr("mixes in French")));  // The second add replaced the first.
  EXPECT_THAT(list.out, HasSubstr("0.2"));
  int lines = 0;
  for (char c : list.out) lines += c == '\n';
  EXPECT_EQ(lines, 4);  // Header + three.

  CommandResult shown = project.Run({"runs", "show", "1"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  // The judge's own counts still cover the four items; people have their own row.
  std::string judge_line = ScorerLine(shown.out, "english");
  std::string human_line = ScorerLine(shown.out, "english (human)");
  ASSERT_FALSE(human_line.empty()) << shown.out;
  EXPECT_THAT(human_line, HasSubstr(" 2      0 "));  // Two passes, no fails.
  ASSERT_FALSE(judge_line.empty()) << shown.out;
  EXPECT_THAT(shown.out, HasSubstr("english" + std::string(24, ' ') + "feedback"));
  EXPECT_THAT(shown.out, HasSubstr("enough_words" + std::string(19, ' ') + "feedback"));
  EXPECT_THAT(shown.out, HasSubstr("kappa"));

  // Bad input: exit 2 with a message.
  CommandResult bad_value = project.Run({"feedback", "add", "1", "--name", "english", "--value", "maybe"});
  EXPECT_EQ(bad_value.exit_code, 2);
  EXPECT_THAT(bad_value.err, HasSubstr("--value"));
  CommandResult unknown =
      project.Run({"feedback", "add", "0123456789abcdef0123456789abcdef", "--name", "english", "--value", "yes"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no item has trace id"));
  EXPECT_EQ(project.Run({"feedback", "add", "1", "--value", "yes"}).exit_code, 2);
  EXPECT_EQ(project.Run({"feedback", "list"}).exit_code, 2);
  EXPECT_EQ(project.Run({"feedback", "lst"}).exit_code, 2);
}

}  // namespace
}  // namespace llmeval::testing
