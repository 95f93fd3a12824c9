// End-to-end over real loopback HTTP: `llmeval sim-server` as the provider of `llmeval run`. Covers kill -9 then
// --resume (same results as an uninterrupted run, nothing lost or duplicated), Ctrl-C, a second process reading the
// store during a run, a provider failing 30% of calls, that a planted API key is written nowhere, Ctrl-C and
// --resume of an evaluate run, and 300 calls in flight under a soft limit of 200 open files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/resource.h>

#include <algorithm>
#include <map>

#include "cli/cli_project.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SimServerProcess {
 public:
  explicit SimServerProcess(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {LLMEVAL_BINARY, "sim-server", "--port", "0", "--exit-after", "120"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    child_ = std::make_unique<ChildProcess>(argv);
    port_ = child_->ReadLine();
  }
  std::string base_url() const { return "OPENAI_BASE_URL=http://127.0.0.1:" + port_ + "/v1"; }
  const std::string& port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> child_;
  std::string port_;
};

// item key + repeat -> "output|assessment outcomes", from a JSONL export.
std::map<std::string, std::string> Results(const CliProject& project, const std::string& run) {
  CommandResult exported = project.Run({"runs", "export", run, "--format", "jsonl"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  std::map<std::string, std::string> results;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(exported.out).get(docs) != simdjson::SUCCESS) return results;
  for (auto doc : docs) {
    simdjson::dom::element item = doc.value();
    std::string key =
        std::string(item["item_id"].get_string().value()) + "#" + std::to_string(item["repeat"].get_int64().value());
    std::string value;
    std::string_view output;
    if (item["output"].get(output) == simdjson::SUCCESS) value = std::string(output);
    for (auto a : item["assessments"].get_array()) {
      value += "|" + std::string(a["name"].get_string().value()) + "=" + std::string(a["outcome"].get_string().value());
    }
    EXPECT_EQ(results.count(key), 0u) << "duplicate item " << key;
    results[key] = value;
  }
  return results;
}

TEST(CliHttp, KillNineThenResumeGivesTheSameResultsAsAnUninterruptedRun) {
  // 300 ms a call: after 4 of 12 items the run still needs about 1.2 s, room for the reader below even on a slow
  // (sanitizer) build.
  SimServerProcess server({"--latency-ms", "300"});
  ASSERT_FALSE(server.port().empty());
  CliProject project;
  std::vector<std::string> env = {server.base_url()};
  std::vector<std::string> args = {"run", "--model", "openai:sim", "--no-cache", "--concurrency", "2"};
  CommandResult full = project.Run(args, env);
  ASSERT_EQ(full.exit_code, 0) << full.err;
  std::map<std::string, std::string> expected = Results(project, "1");
  ASSERT_EQ(expected.size(), 12u);

  {
    std::vector<std::string> argv = {LLMEVAL_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess run(argv, project.dir(), env);
    std::string line;
    do {
      line = run.ReadLine(20000);
    } while (!line.empty() && line.find("4/12 items") == std::string::npos);
    ASSERT_THAT(line, HasSubstr("4/12 items"));
    // A second process reads the store while the run writes.
    CommandResult reader = project.Run({"runs", "list"});
    EXPECT_EQ(reader.exit_code, 0) << reader.err;
    EXPECT_THAT(reader.out, HasSubstr("running"));
    run.Signal(SIGKILL);
    EXPECT_EQ(run.Wait(), 128 + SIGKILL);
  }
  CommandResult listed = project.Run({"runs", "list"});
  EXPECT_THAT(listed.out, HasSubstr("interrupted"));
  CommandResult resumed = project.Run({"run", "--resume", "2", "--no-cache", "--quiet"}, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("as run 2 (completed)"));
  EXPECT_EQ(Results(project, "2"), expected);
  EXPECT_EQ(project.Run({"run", "--resume", "2"}, env).exit_code, 2);  // Already completed.
}

TEST(CliHttp, RerunIsAnsweredFromTheCacheOfProviderBodiesWithTheSameResults) {
  // Over HTTP the response cache stores the provider's body as it arrived; a rerun must decode it to the same
  // answers and verdicts, with judge calls cached too.
  SimServerProcess server;
  ASSERT_FALSE(server.port().empty());
  CliProject project;
  std::vector<std::string> env = {server.base_url()};
  std::vector<std::string> args = {"run", "--model", "openai:sim", "--judge", "openai:sim", "--quiet"};
  CommandResult first = project.Run(args, env);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("cache hits 0"));
  CommandResult again = project.Run(args, env);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("cache hits 12"));
  std::map<std::string, std::string> before = Results(project, "1");
  ASSERT_EQ(before.size(), 12u);
  EXPECT_EQ(Results(project, "2"), before);
}

TEST(CliHttp, CtrlCFinishesInFlightItemsAndMarksTheRunInterrupted) {
  SimServerProcess server({"--latency-ms", "60"});
  CliProject project;
  std::vector<std::string> env = {server.base_url()};
  std::vector<std::string> argv = {LLMEVAL_BINARY, "run", "--model", "openai:sim", "--no-cache", "--concurrency", "2"};
  ChildProcess run(argv, project.dir(), env);
  std::string line;
  do {
    line = run.ReadLine(20000);
  } while (!line.empty() && line.find("3/12 items") == std::string::npos);
  ASSERT_THAT(line, HasSubstr("3/12 items"));
  run.Signal(SIGINT);
  EXPECT_EQ(run.Wait(), 130);
  CommandResult listed = project.Run({"runs", "list"});
  EXPECT_THAT(listed.out, HasSubstr("interrupted"));
  CommandResult resumed = project.Run({"run", "--resume", "1", "--no-cache", "--quiet"}, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(Results(project, "1").size(), 12u);
}

TEST(CliHttp, CtrlCInterruptsAnEvaluateAndResumeScoresOnlyTheRest) {
  // The stored answers come from the in-process sim; the judge is slow, over HTTP, so Ctrl-C lands mid-evaluate.
  SimServerProcess server({"--latency-ms", "100"});
  CliProject project;
  std::vector<std::string> env = {server.base_url()};
  ASSERT_EQ(project.Run({"generate", "--quiet"}).exit_code, 0);  // Run 1.
  std::vector<std::string> args = {"evaluate",   "--run",         "1", "--judge", "openai:sim",
                                   "--no-cache", "--concurrency", "2"};
  CommandResult full = project.Run(args, env);  // Run 2: the uninterrupted reference.
  ASSERT_EQ(full.exit_code, 0) << full.err;
  std::map<std::string, std::string> expected = Results(project, "2");
  ASSERT_EQ(expected.size(), 12u);

  std::vector<std::string> argv = {LLMEVAL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess evaluate(argv, project.dir(), env);  // Run 3.
  std::string line;
  do {
    line = evaluate.ReadLine(20000);
  } while (!line.empty() && line.find("3/12 items") == std::string::npos);
  ASSERT_THAT(line, HasSubstr("3/12 items"));
  evaluate.Signal(SIGINT);
  EXPECT_EQ(evaluate.Wait(), 130);
  EXPECT_THAT(project.Run({"runs", "list"}).out, HasSubstr("interrupted"));
  size_t scored = Results(project, "3").size();
  EXPECT_GE(scored, 3u);
  EXPECT_LT(scored, 12u);

  // An evaluate run is resumed by evaluate, which knows its source run.
  CommandResult wrong_kind = project.Run({"run", "--resume", "3"}, env);
  EXPECT_EQ(wrong_kind.exit_code, 2);
  EXPECT_THAT(wrong_kind.err, HasSubstr("llmeval evaluate --resume 3"));
  CommandResult resumed = project.Run({"evaluate", "--resume", "3", "--no-cache"}, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr(std::to_string(12 - scored) + " items to evaluate (" + std::to_string(scored) +
                                     " already stored)"));
  EXPECT_THAT(resumed.out, HasSubstr("Scored run 1's answers into run 3"));
  EXPECT_THAT(resumed.out, HasSubstr("(completed)"));
  EXPECT_EQ(Results(project, "3"), expected);  // Nothing lost, nothing scored twice.

  EXPECT_EQ(project.Run({"evaluate", "--resume", "3"}, env).exit_code, 2);  // Already completed.
  EXPECT_EQ(project.Run({"evaluate", "--run", "1", "--resume", "3"}, env).exit_code, 2);
}

TEST(CliHttp, ThreeHundredCallsInFlightUnderASoftLimitOfTwoHundredFiles) {
  // Shells commonly start programs with a soft limit of 1024 open files; llmeval raises it to the hard limit, so a
  // concurrency above the soft limit does not run out of sockets ("Couldn't connect").
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 1024) GTEST_SKIP() << "hard limit on open files below 1024";
  SimServerProcess server({"--latency-ms", "300"});
  CliProject project;
  project.Write("llmeval.yaml",
                "dataset: questions.csv\nprompt: basic\nmodel: local:sim\nconcurrency: 300\n"
                "providers:\n  local:\n    base_url: http://127.0.0.1:" +
                    server.port() +
                    "/v1\n    max_concurrency: 300\n    max_attempts: 1\n"
                    "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n");
  std::string run = std::string("exec ") + LLMEVAL_BINARY + " run --no-cache --quiet --repeat 25";
  CommandResult r = RunCommand({"/bin/sh", "-c", "ulimit -S -n 200 && " + run}, project.dir());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 300   errors 0"));
  EXPECT_THAT(r.err, Not(HasSubstr("ulimit")));

  // When the hard limit is too low as well, the run says so before it starts.
  CommandResult low = RunCommand({"/bin/sh", "-c", "ulimit -n 100 && " + run + " --limit 1"}, project.dir());
  EXPECT_EQ(low.exit_code, 0) << low.err;
  EXPECT_THAT(low.err, HasSubstr("may open only 100 files (ulimit -n"));
}

TEST(CliHttp, EvaluatingARunWithNoStoredItemsIsBadInput) {
  SimServerProcess server({"--latency-ms", "2000"});
  CliProject project;
  std::vector<std::string> argv = {LLMEVAL_BINARY, "run", "--model", "openai:sim", "--no-cache"};
  {
    ChildProcess run(argv, project.dir(), {server.base_url()});
    ASSERT_THAT(run.ReadLine(20000), HasSubstr("Run 1: 12 items to evaluate"));
    run.Signal(SIGKILL);  // Long before the first answer (2 s away).
    run.Wait();
  }
  CommandResult r = project.Run({"evaluate", "--run", "1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("run 1 has no stored items; nothing to evaluate"));
  EXPECT_THAT(project.Run({"runs", "list"}).out, Not(HasSubstr("evaluate run 1")));  // No evaluate run recorded.
}

TEST(CliHttp, AStoreThatCannotBeWrittenStopsTheRunWhichResumesLater) {
  // A file-size limit (ulimit -f) stands in for a full disk: once the store cannot grow, the run stops calling the
  // model (nothing more could be stored), exits 3 naming the cause and the resume command, and resumes later.
  SimServerProcess server({"--latency-ms", "20"});
  CliProject project;
  std::vector<std::string> env = {server.base_url()};
  ASSERT_EQ(project.Run({"run", "--quiet", "--limit", "1"}).exit_code, 0);  // Run 1 creates the store.
  int64_t largest = 0;
  for (const char* file : {".llmeval/llmeval.db", ".llmeval/llmeval.db-wal"}) {
    largest = std::max<int64_t>(largest, static_cast<int64_t>(ReadFile(project.Path(file)).size()));
  }
  std::string run = std::string("exec ") + LLMEVAL_BINARY +
                    " run --model openai:sim --no-cache --repeat 40 --concurrency 8 --scorers enough_words";
  std::string limit = "ulimit -f " + std::to_string(largest / 512 + 1) + " && ";
  CommandResult full = RunCommand({"/bin/sh", "-c", limit + run}, project.dir(), env);  // Run 2: 480 items.
  EXPECT_EQ(full.exit_code, 3) << full.out << full.err;
  EXPECT_THAT(full.err, HasSubstr("results could not be stored"));
  EXPECT_THAT(full.err, HasSubstr("llmeval run --resume 2"));
  EXPECT_THAT(full.out, Not(HasSubstr("480/480 items")));  // It stopped taking items.
  EXPECT_THAT(project.Run({"runs", "list"}).out, HasSubstr("interrupted"));

  CommandResult resumed = project.Run({"run", "--resume", "2", "--no-cache", "--quiet"}, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("as run 2 (completed)"));
  EXPECT_EQ(Results(project, "2").size(), 480u);
}

TEST(CliHttp, AProviderFailingThirtyPercentOfCallsLeavesEveryItemAnsweredOrErrored) {
  SimServerProcess server({"--faults", "500=30%", "--seed", "7"});
  CliProject project;
  project.Write("llmeval.yaml",
                "dataset: questions.csv\nprompt: basic\nmodel: flaky:sim\njudge: flaky:sim\nconcurrency: 4\n"
                "providers:\n  flaky:\n    base_url: http://127.0.0.1:" +
                    server.port() +
                    "/v1\n    max_attempts: 1\n"
                    "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n"
                    "  - {name: relevance, type: relevance_to_query}\n");
  CommandResult r = project.Run({"run", "--quiet", "--no-cache", "--repeat", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  ASSERT_EQ(parser.parse_many(exported.out).get(docs), simdjson::SUCCESS);
  int items = 0, errors = 0, judge_errors = 0;
  for (auto doc : docs) {
    simdjson::dom::element item = doc.value();
    ++items;
    bool has_output = !item["output"].is_null();
    bool has_error = !item["error"].is_null();
    EXPECT_NE(has_output, has_error);
    if (has_error) {
      ++errors;
      EXPECT_THAT(std::string(item["error"].get_string().value()), HasSubstr("500"));
    }
    EXPECT_EQ(item["assessments"].get_array().size(), 2u);
    for (auto a : item["assessments"].get_array()) {
      if (std::string_view(a["outcome"].get_string().value()) == "error") ++judge_errors;
    }
  }
  EXPECT_EQ(items, 36);
  EXPECT_GT(errors, 3);
  EXPECT_LT(errors, 24);
  EXPECT_GT(judge_errors, errors);  // Errored items error every scorer; failed judge calls add more.
  EXPECT_THAT(r.out, HasSubstr("items 36"));
}

TEST(CliHttp, RetryEventsAreStampedWhenTheFailedAttemptEndedNotWhenTheCallReturned) {
  SimServerProcess server({"--faults", "500=50%", "--seed", "3"});
  CliProject project;
  project.Write("llmeval.yaml",
                "dataset: questions.csv\nprompt: basic\nmodel: flaky:sim\nconcurrency: 4\n"
                "providers:\n  flaky:\n    base_url: http://127.0.0.1:" +
                    server.port() +
                    "/v1\n    max_attempts: 3\n"
                    "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n");
  CommandResult r = project.Run({"run", "--quiet", "--no-cache", "--limit", "8"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult exported = project.Run({"traces", "export", "--run", "1", "--format", "otlp-json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  ASSERT_EQ(parser.parse_many(exported.out).get(docs), simdjson::SUCCESS);
  int retries = 0;
  for (auto doc : docs) {
    for (auto rs : doc["resourceSpans"].get_array()) {
      for (auto ss : rs["scopeSpans"].get_array()) {
        for (auto span : ss["spans"].get_array()) {
          const int64_t start = std::stoll(std::string(span["startTimeUnixNano"].get_string().value()));
          const int64_t end = std::stoll(std::string(span["endTimeUnixNano"].get_string().value()));
          simdjson::dom::array events;
          if (span["events"].get(events) != simdjson::SUCCESS) continue;
          for (auto event : events) {
            if (std::string_view(event["name"].get_string().value()) != "llmeval.retry") continue;
            ++retries;
            const int64_t at = std::stoll(std::string(event["timeUnixNano"].get_string().value()));
            EXPECT_GE(at, start);
            // The backoff before the next attempt (at least 375 ms) lies between the event and the span's end.
            EXPECT_LE(at, end - 300'000'000) << "retry stamped " << (end - at) / 1000000 << " ms before the end";
          }
        }
      }
    }
  }
  EXPECT_GT(retries, 0) << "no call was retried; pick another --seed";
}

TEST(CliHttp, APlantedApiKeyIsWrittenNowhere) {
  const std::string key = "sk-planted-SECRET-0123456789abcdef";
  SimServerProcess server({"--faults", "429=20%,500=10%"});
  CliProject project;
  std::vector<std::string> env = {server.base_url(), "OPENAI_API_KEY=" + key};
  CommandResult r = project.Run({"run", "--model", "openai:sim", "--judge", "openai:sim", "--no-cache"}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult traces = project.Run({"traces", "export", "--format", "otlp-json"});
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "json"});
  for (const std::string* text : {&r.out, &r.err, &traces.out, &exported.out}) {
    EXPECT_THAT(*text, Not(HasSubstr(key)));
    EXPECT_THAT(*text, Not(HasSubstr("SECRET")));
  }
  for (const char* file : {".llmeval/llmeval.db", ".llmeval/llmeval.db-wal"}) {
    std::string bytes = ReadFile(project.Path(file));
    EXPECT_EQ(bytes.find("SECRET"), std::string::npos) << file;
  }
}

}  // namespace
}  // namespace llmeval::testing
