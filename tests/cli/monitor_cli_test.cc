// `llmeval monitor` end to end through the real binary: the example app's traces go to a running `llmeval collect`,
// then `monitor --once` scores what is new (a second pass scores nothing again: the store remembers), exits 1 when a
// scorer's pass rate in the current window drops significantly below its baseline window and 0 when it holds; the
// loop prints a line per scorer per pass and an alert line, and POSTs the alert to a loopback webhook; a webhook that
// fails is reported, not fatal; bad flags exit 2 and write nothing.
#include <event2/buffer.h>
#include <event2/http.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_project.h"
#include "engine/http/event_http_server.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kConfig[] =
    "scorers:\n"
    "  - {name: mentions_code, type: contains, value: code}\n"
    "  - {name: enough_words, type: word_count, min: 5}\n";

// Runs `llmeval collect` on a free loopback port while the example app sends each batch, then stops it.
void CollectExampleTraces(const CliProject& project, const std::vector<std::vector<std::string>>& batches) {
  ChildProcess collector({LLMEVAL_BINARY, "collect", "--port", "0", "--exit-after", "60"}, project.dir());
  std::string port = collector.ReadLine();
  ASSERT_FALSE(port.empty());
  for (const std::vector<std::string>& extra : batches) {
    std::vector<std::string> argv = {"/usr/bin/env", "python3", SourceDir() + "/examples/se-exam/app/traced_app.py",
                                     "--endpoint", "http://127.0.0.1:" + port};
    argv.insert(argv.end(), extra.begin(), extra.end());
    CommandResult sent = RunCommand(argv);
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
    ASSERT_THAT(sent.out, HasSubstr("HTTP 200"));
  }
  collector.Signal(SIGTERM);
  EXPECT_EQ(collector.Wait(), 0);
}

bool HavePython() { return RunCommand({"/usr/bin/env", "python3", "--version"}).exit_code == 0; }

// 45 good traces an hour ago, then 27 whose answers regressed to "no idea" (each batch also has a health check).
void CollectARegression(const CliProject& project) {
  CollectExampleTraces(project, {{"--repeat", "5", "--ago", "3600"}, {"--repeat", "3", "--answer", "no idea"}});
}

// A loopback HTTP server that keeps every POSTed body and answers 200.
class WebhookReceiver {
 public:
  WebhookReceiver() {
    EventHttpServerOptions options;
    options.name = "webhook receiver";
    Status s = server_.Start(options, &WebhookReceiver::Handle, this);
    EXPECT_TRUE(s.ok()) << s.message();
  }
  ~WebhookReceiver() { server_.Stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/alerts?token=secret"; }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }

 private:
  static void Handle(evhttp_request* request, void* arg) {
    auto* self = static_cast<WebhookReceiver*>(arg);
    evbuffer* in = evhttp_request_get_input_buffer(request);
    std::string body(evbuffer_get_length(in), '\0');
    evbuffer_copyout(in, body.data(), body.size());
    {
      std::lock_guard<std::mutex> lock(self->mu_);
      self->bodies_.push_back(body);
    }
    evhttp_send_reply(request, 200, "OK", nullptr);
  }

  EventHttpServer server_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

TEST(MonitorCli, OnceScoresEachNewTraceOnceAndExits1OnASignificantDrop) {
  if (!HavePython()) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  project.Write("llmeval.yaml", kConfig);
  CollectARegression(project);
  const std::vector<std::string> args = {"monitor",  "--traces", "service=shop",      "--once",
                                         "--window", "27",       "--baseline-window", "45"};
  CommandResult first = project.Run(args);
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("74 new traces, 74 sampled, 72 scored into run 2, 2 skipped (no recognisable"));
  EXPECT_THAT(first.out, HasSubstr("current 27 traces, baseline the 45 traces before it"));
  EXPECT_THAT(first.out, ::testing::ContainsRegex("enough_words +45/45 \\(100.0%\\) +0 0/27 \\(0.0%\\) +0 .*DROP"));
  EXPECT_THAT(first.out, ::testing::ContainsRegex("mentions_code +30/45 \\(66.7%\\) +0 0/27 \\(0.0%\\) .*DROP"));
  // The pass's scores are a run like any other.
  CommandResult shown = project.Run({"runs", "show", "2"});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("items 72"));

  // Resumed: nothing is scored twice, the windows come back from the store, the drop still stands.
  CommandResult second = project.Run(args);
  EXPECT_EQ(second.exit_code, 1) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr("0 new traces, 0 sampled, 0 scored"));
  EXPECT_THAT(second.out, ::testing::ContainsRegex("enough_words +45/45 \\(100.0%\\) +0 0/27 \\(0.0%\\)"));
  EXPECT_THAT(project.Run({"runs", "list"}).out, Not(HasSubstr("\n4 ")));

  // Another monitor name scores the traces again under its own name. Two windows inside the regression see no drop,
  // and windows with too few measured verdicts are not tested at all.
  CommandResult other = project.Run({"monitor", "--traces", "service=shop", "--once", "--window", "10",
                                     "--baseline-window", "10", "--name", "other", "--min-samples", "5"});
  EXPECT_EQ(other.exit_code, 0) << other.out;
  EXPECT_THAT(other.out, HasSubstr("72 scored into run 4"));
  EXPECT_THAT(other.out, ::testing::ContainsRegex("enough_words +0/10 \\(0.0%\\) +0 0/10 \\(0.0%\\) .* ok"));
  CommandResult small = project.Run({"monitor", "--traces", "service=shop", "--once", "--window", "10",
                                     "--baseline-window", "10", "--name", "other"});
  EXPECT_EQ(small.exit_code, 0) << small.out;
  EXPECT_THAT(small.out, HasSubstr("not enough data (20 measured a window)"));
}

TEST(MonitorCli, OnceExits0WhenThePassRateHoldsAndASampleIsStable) {
  if (!HavePython()) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  project.Write("llmeval.yaml", kConfig);
  CollectExampleTraces(project, {{"--repeat", "5", "--ago", "3600"}, {"--repeat", "3"}});
  const std::vector<std::string> args = {
      "monitor",       "--traces", "service=shop", "--once", "--sample",          "50%", "--scorers", "enough_words",
      "--min-samples", "1",        "--window",     "30m",    "--baseline-window", "2h"};
  CommandResult first = project.Run(args);
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("74 new traces"));
  EXPECT_THAT(first.out, Not(HasSubstr("74 sampled")));
  EXPECT_THAT(first.out, HasSubstr("current 30m, baseline the 2h before it"));
  // The hour-old traces are the baseline, the new ones the current window: all pass in both.
  EXPECT_THAT(first.out, ::testing::ContainsRegex("enough_words +[1-9][0-9]*/[0-9]+ \\(100.0%\\) .* ok"));
  // The traces the sample left out are remembered too: nothing is new the second time.
  CommandResult second = project.Run(args);
  EXPECT_EQ(second.exit_code, 0) << second.out;
  EXPECT_THAT(second.out, HasSubstr("0 new traces, 0 sampled, 0 scored"));
}

TEST(MonitorCli, TheLoopPrintsAnAlertLineAndPostsTheAlertToTheWebhook) {
  if (!HavePython()) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  project.Write("llmeval.yaml", kConfig);
  CollectARegression(project);
  WebhookReceiver receiver;
  ChildProcess monitor({LLMEVAL_BINARY, "monitor", "--traces", "service=shop", "--every", "1s", "--window", "27",
                        "--baseline-window", "45", "--webhook", receiver.url(), "--scorers", "enough_words"},
                       project.dir());
  std::vector<std::string> lines;
  bool alerted = false;
  for (int i = 0; i < 20 && !alerted; ++i) {
    std::string line = monitor.ReadLine(30000);
    if (line.empty()) break;
    lines.push_back(line);
    alerted = line.find("ALERT enough_words") != std::string::npos;
  }
  ASSERT_TRUE(alerted) << ::testing::PrintToString(lines);
  EXPECT_THAT(lines.back(), HasSubstr("pass rate dropped from 100.0% to 0.0%"));
  EXPECT_THAT(lines.back(), HasSubstr("webhook sent"));
  bool per_scorer_line = false;
  for (const std::string& l : lines)
    per_scorer_line |= l.find("enough_words  current 0/27 (0.0%)") != std::string::npos;
  EXPECT_TRUE(per_scorer_line) << ::testing::PrintToString(lines);
  std::vector<std::string> bodies = receiver.bodies();
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_THAT(bodies[0], HasSubstr("\"alert\":\"pass_rate_drop\""));
  EXPECT_THAT(bodies[0], HasSubstr("\"scorer\":\"enough_words\""));
  EXPECT_THAT(bodies[0], HasSubstr("\"baseline\":{\"passed\":45,\"failed\":0,\"unmeasured\":0"));
  // The next pass still sees the drop: it prints its lines but alerts only once.
  std::string next = monitor.ReadLine(30000);
  EXPECT_THAT(next, HasSubstr("0 new traces"));
  monitor.Signal(SIGTERM);
  EXPECT_EQ(monitor.Wait(), 0);
  EXPECT_EQ(receiver.bodies().size(), 1u);
}

TEST(MonitorCli, AFailingWebhookIsReportedAndNotFatal) {
  if (!HavePython()) GTEST_SKIP() << "python3 is missing";
  CliProject project;
  project.Write("llmeval.yaml", kConfig);
  CollectARegression(project);
  int closed_port = 0;
  {
    WebhookReceiver gone;  // A port that was free a moment ago and is closed now.
    closed_port = std::stoi(gone.url().substr(17, gone.url().find('/', 17) - 17));
  }
  CommandResult r = project.Run({"monitor", "--traces", "all", "--once", "--window", "27", "--baseline-window", "45",
                                 "--webhook", "http://127.0.0.1:" + std::to_string(closed_port) + "/x?token=secret"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("webhook http://127.0.0.1:" + std::to_string(closed_port) + "/x:"));
  EXPECT_THAT(r.err, Not(HasSubstr("secret")));
  EXPECT_THAT(r.out, HasSubstr("DROP"));
}

TEST(MonitorCli, BadFlagsExit2AndWriteNothing) {
  CliProject project;
  project.ExpectRefused({"monitor", "--once"}, "--traces QUERY is required");
  project.ExpectRefused({"monitor", "--traces", "all", "--every", "5q"}, "--every: expected a number and a unit");
  project.ExpectRefused({"monitor", "--traces", "all", "--every", "0s"}, "--every: expected a positive duration");
  project.ExpectRefused({"monitor", "--traces", "all", "--sample", "150%"}, "--sample: expected a percentage");
  project.ExpectRefused({"monitor", "--traces", "all", "--sample", "ten"}, "--sample: expected a percentage");
  project.ExpectRefused({"monitor", "--traces", "all", "--window", "0"}, "--window: expected a number of traces");
  project.ExpectRefused({"monitor", "--traces", "all", "--baseline-window", "1w"}, "--baseline-window: expected");
  project.ExpectRefused({"monitor", "--traces", "all", "--alpha", "2"}, "--alpha: expected a significance level");
  project.ExpectRefused({"monitor", "--traces", "all", "--webhook", "ftp://x"}, "--webhook: expected an http://");
  project.ExpectRefused({"monitor", "--traces", "since=5q"}, "since=5q");
  project.ExpectRefused({"monitor", "--traces", "since=1h"}, "since= does not go with monitor");
  project.ExpectRefused({"monitor", "--traces", "all", "--once", "--scorers", "nosuch"}, "--scorers names 'nosuch'");
  project.ExpectRefused({"monitor", "--traces", "all", "--once"}, "no store at");
}

}  // namespace
}  // namespace llmeval::testing
