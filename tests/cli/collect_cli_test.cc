// `llmeval collect` end to end through the real binary: llmeval's own `traces export --otlp-endpoint` pushes a run's
// traces to a running collector, whose store then lists them (`traces list --service/--since/--attr/--status`),
// shows them (`trace show`) and exports them again with their resource; bad flags are refused with exit 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <sstream>
#include <string>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::set<std::string> TraceIds(const std::string& table) {
  std::set<std::string> ids;
  std::istringstream lines(table);
  std::string line;
  std::getline(lines, line);  // Header.
  while (std::getline(lines, line)) {
    if (line.size() >= 32) ids.insert(line.substr(0, 32));
  }
  return ids;
}

TEST(CollectCli, OwnExporterPushesARunIntoTheCollectorAndTracesListShowAndExportFindIt) {
  CliProject project;
  ASSERT_EQ(project.Run({"run", "--limit", "3", "--quiet"}).exit_code, 0);
  ChildProcess collector(
      {LLMEVAL_BINARY, "collect", "--port", "0", "--db", project.Path("collected.db"), "--exit-after", "60"},
      project.dir());
  std::string port = collector.ReadLine();
  ASSERT_FALSE(port.empty());
  CommandResult pushed = project.Run({"traces", "export", "--run", "1", "--otlp-endpoint", "http://127.0.0.1:" + port});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_THAT(pushed.out, HasSubstr("pushed 3 traces"));
  collector.Signal(SIGINT);
  EXPECT_EQ(collector.Wait(), 0);

  std::set<std::string> run_traces = TraceIds(project.Run({"traces", "list", "--run", "1"}).out);
  ASSERT_EQ(run_traces.size(), 3u);
  const std::string db = project.Path("collected.db");
  CommandResult listed = project.Run({"traces", "list", "--db", db, "--service", "llmeval", "--since", "1h"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(TraceIds(listed.out), run_traces);
  EXPECT_THAT(listed.out, HasSubstr("eval_item"));
  EXPECT_TRUE(TraceIds(project.Run({"traces", "list", "--db", db, "--service", "other"}).out).empty());
  EXPECT_TRUE(TraceIds(project.Run({"traces", "list", "--db", db, "--collected", "--status", "error"}).out).empty());
  EXPECT_EQ(TraceIds(project.Run({"traces", "list", "--db", db, "--attr", "llmeval.run.id=1"}).out), run_traces);
  EXPECT_TRUE(TraceIds(project.Run({"traces", "list", "--db", db, "--attr", "llmeval.run.id=2"}).out).empty());
  // The run's own store lists no collected traces: its spans stay the run's.
  EXPECT_TRUE(TraceIds(project.Run({"traces", "list", "--collected"}).out).empty());

  CommandResult shown = project.Run({"trace", "show", *run_traces.begin(), "--db", db, "--width", "100"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("eval_item"));
  CommandResult exported = project.Run({"traces", "export", "--db", db, "--collected", "--format", "otlp-json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("\"service.name\",\"value\":{\"stringValue\":\"llmeval\"}"));
  for (const std::string& id : run_traces) EXPECT_THAT(exported.out, HasSubstr(id));
}

// The example's instrumented app (Python, OTLP/JSON, gzip) sends traces in three conventions and a health check; each
// convention gives the same three items, the health check is skipped with its reason, and the evaluate run is a run
// like any other (runs show, runs export with the source trace ids, runs compare pairs two evaluations by trace).
TEST(CollectCli, ExampleAppTracesAreEvaluatedIntoARunThatRunsShowAndCompareRead) {
  if (RunCommand({"/usr/bin/env", "python3", "--version"}).exit_code != 0) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  ChildProcess collector({LLMEVAL_BINARY, "collect", "--port", "0", "--exit-after", "60"}, project.dir());
  std::string port = collector.ReadLine();
  ASSERT_FALSE(port.empty());
  CommandResult sent = RunCommand({"/usr/bin/env", "python3", SourceDir() + "/examples/se-exam/app/traced_app.py",
                                   "--endpoint", "http://127.0.0.1:" + port, "--gzip"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_THAT(sent.out, HasSubstr("HTTP 200"));
  collector.Signal(SIGTERM);
  EXPECT_EQ(collector.Wait(), 0);

  CommandResult evaluated = project.Run({"evaluate", "--traces", "service=shop since=1h", "--quiet"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_THAT(evaluated.err, HasSubstr("10 matched, 9 items (3 gen_ai, 3 mlflow, 3 openinference)"));
  EXPECT_THAT(evaluated.err, HasSubstr("1 skipped: 1 no recognisable input"));
  EXPECT_THAT(evaluated.out, HasSubstr("Scored run 1's answers into run 2"));
  CommandResult shown = project.Run({"runs", "show", "2"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("items 9"));
  EXPECT_THAT(shown.out, HasSubstr("tool calls 9"));
  CommandResult exported = project.Run({"runs", "export", "2", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("source_trace_id"));
  // Each question answered the same way whichever convention carried it.
  for (const char* answer : {"A unit test checks one small unit", "Refactoring changes the structure",
                             "Version control records every change"}) {
    size_t count = 0;
    for (size_t at = exported.out.find(answer); at != std::string::npos; at = exported.out.find(answer, at + 1)) {
      ++count;
    }
    EXPECT_EQ(count, 3u) << answer;
  }
  ASSERT_EQ(project.Run({"evaluate", "--traces", "service=shop", "--sample", "4", "--quiet"}).exit_code, 0);
  CommandResult compared = project.Run({"runs", "compare", "2", "4"});
  EXPECT_EQ(compared.exit_code, 0) << compared.err;
  EXPECT_THAT(compared.out, HasSubstr("4"));
  // A trace an item came from is shown by its id.
  std::string trace_list = project.Run({"traces", "list", "--service", "shop", "--limit", "1"}).out;
  ASSERT_FALSE(TraceIds(trace_list).empty());
  EXPECT_EQ(project.Run({"trace", "show", *TraceIds(trace_list).begin()}).exit_code, 0);

  // Nothing matches: exit 2 and no run is left behind.
  CommandResult none = project.Run({"evaluate", "--traces", "service=nobody"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("0 matched"));
  CommandResult bad = project.Run({"evaluate", "--traces", "since=5q"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(project.Run({"runs", "list"}).out, Not(HasSubstr("service=nobody")));
}

TEST(CollectCli, BadFlagsAreRefusedWithExit2) {
  CliProject project;
  CommandResult since = project.Run({"traces", "list", "--since", "5q"});
  EXPECT_EQ(since.exit_code, 2);
  EXPECT_THAT(since.err, HasSubstr("--since: expected a number and a unit"));
  CommandResult attr = project.Run({"traces", "list", "--attr", "novalue"});
  EXPECT_EQ(attr.exit_code, 2);
  EXPECT_THAT(attr.err, HasSubstr("KEY=VALUE"));
  CommandResult both = project.Run({"traces", "list", "--run", "1", "--service", "x"});
  EXPECT_EQ(both.exit_code, 2);
  CommandResult token = project.Run({"collect", "--port", "0", "--token-env", "LLMEVAL_TEST_UNSET_TOKEN"});
  EXPECT_EQ(token.exit_code, 2);
  EXPECT_THAT(token.err, HasSubstr("LLMEVAL_TEST_UNSET_TOKEN"));
  EXPECT_THAT(token.err, Not(HasSubstr("receiving")));
}

}  // namespace
}  // namespace llmeval::testing
