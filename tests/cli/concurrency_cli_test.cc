// The concurrency a user asks for is the concurrency they get, through the real binary over loopback: with the
// built-in `openai` provider (OPENAI_BASE_URL, nothing configured) `--concurrency 100` puts 100 requests in flight at
// the sim server, app and judge calls share it, and the summary says what was achieved; a provider's explicit
// max_concurrency (or rate limit) holding the run lower is warned about once, before the run starts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/cli_project.h"
#include "engine/sim/sim_server.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Every reply waits this long, so the first wave of items is all in flight at once even on a loaded machine.
constexpr int kLatencyMs = 700;

class ConcurrencyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    SimServerOptions options;
    options.latency_ms = kLatencyMs;
    server_ = std::make_unique<SimServer>(options);
    ASSERT_TRUE(server_->Start().ok());
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1"; }

  std::unique_ptr<SimServer> server_;
  CliProject project_;
};

TEST_F(ConcurrencyCli, DefaultProviderPutsTheAskedConcurrencyInFlight) {
  // 120 items, one model call and one judge call each, at --concurrency 100: the built-in provider's cap used to be
  // 64 whatever the flag said.
  CommandResult r =
      project_.Run({"run", "--model", "openai:sim", "--judge", "openai:sim", "--scorers", "enough_words,english",
                    "--repeat", "10", "--concurrency", "100", "--no-cache", "--quiet"},
                   {"OPENAI_BASE_URL=" + BaseUrl()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 120   errors 0"));
  EXPECT_EQ(server_->counters().requests, 240u);
  EXPECT_EQ(server_->counters().max_in_flight, 100u);  // Never more: each item has one call in flight at a time.
  EXPECT_THAT(r.out, HasSubstr("In flight at most: 100 model calls, "));
  EXPECT_THAT(r.out, HasSubstr("judge calls (--concurrency 100)"));
  EXPECT_THAT(r.err, Not(HasSubstr("warning")));
}

TEST_F(ConcurrencyCli, TheCurlClientFollowsTheConcurrencyToo) {
  // Plain http:// to 127.0.0.1 goes through libevent's client; LLMEVAL_HTTP_CLIENT=curl selects libcurl's, which
  // every https:// provider uses.
  CommandResult r = project_.Run({"run", "--model", "openai:sim", "--scorers", "enough_words", "--repeat", "10",
                                  "--concurrency", "100", "--no-cache", "--quiet"},
                                 {"OPENAI_BASE_URL=" + BaseUrl(), "LLMEVAL_HTTP_CLIENT=curl"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 120   errors 0"));
  EXPECT_EQ(server_->counters().max_in_flight, 100u);
  EXPECT_THAT(r.out, HasSubstr("In flight at most: 100 model calls, 0 judge calls (--concurrency 100)"));
}

TEST_F(ConcurrencyCli, ExplicitMaxConcurrencyHoldsTheRunThereAndSaysSoBeforeItStarts) {
  project_.Write("llmeval.yaml",
                 "dataset: questions.csv\nprompt: basic\nmodel: local:sim\n"
                 "providers:\n  local:\n    base_url: " +
                     BaseUrl() +
                     "\n    max_concurrency: 10\n"
                     "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n");
  // stdout and stderr in one stream, to see that the warning comes before the run starts, and only once.
  CommandResult r = RunCommand(
      {"/bin/sh", "-c", std::string("exec ") + LLMEVAL_BINARY + " run --repeat 3 --concurrency 100 --no-cache 2>&1"},
      project_.dir());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("items 36   errors 0"));
  EXPECT_EQ(server_->counters().max_in_flight, 10u);
  EXPECT_THAT(r.out, HasSubstr("In flight at most: 10 model calls, 0 judge calls (--concurrency 100)"));
  const std::string warning =
      "warning: provider 'local' has max_concurrency 10: at most 10 of its calls are in flight at once, not the 100 "
      "of --concurrency 100 (raise providers.local.max_concurrency, or remove it to follow --concurrency)";
  size_t at = r.out.find(warning);
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_EQ(at, r.out.rfind(warning));
  EXPECT_LT(at, r.out.find("Run 1: 36 items to evaluate"));
  // At or below the cap, nothing to warn about.
  CommandResult within = project_.Run({"run", "--concurrency", "10", "--no-cache", "--quiet", "--limit", "2"});
  ASSERT_EQ(within.exit_code, 0) << within.err;
  EXPECT_THAT(within.err, Not(HasSubstr("warning")));
}

TEST_F(ConcurrencyCli, ARateLimitThatMayHoldTheRunBelowItsConcurrencyIsWarnedAbout) {
  project_.Write("llmeval.yaml",
                 "dataset: questions.csv\nprompt: basic\nmodel: local:sim\n"
                 "providers:\n  local:\n    base_url: " +
                     BaseUrl() +
                     "\n    requests_per_minute: 6000\n    tokens_per_minute: 1000000\n"
                     "scorers:\n  - {name: enough_words, type: word_count, min: 10}\n");
  CommandResult r = project_.Run({"run", "--concurrency", "50", "--no-cache", "--quiet", "--limit", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: provider 'local' is limited to 6000 requests per minute: --concurrency 50 "
                               "is reached only by calls taking at least 0.5 s each"));
  EXPECT_THAT(r.err, HasSubstr("warning: provider 'local' is limited to 1000000 tokens per minute: calls are paced to "
                               "it, which may hold the run below --concurrency 50"));
}

TEST_F(ConcurrencyCli, EvaluateJudgesFollowTheConcurrencyAndReportTheirCallsInFlight) {
  // The answers come from the in-process sim; evaluate's judge calls go to the built-in provider over HTTP.
  ASSERT_EQ(project_.Run({"generate", "--quiet", "--repeat", "2"}).exit_code, 0);  // Run 1: 24 answers.
  CommandResult r = project_.Run({"evaluate", "--run", "1", "--scorers", "english", "--judge", "openai:sim",
                                  "--concurrency", "24", "--no-cache", "--quiet"},
                                 {"OPENAI_BASE_URL=" + BaseUrl()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(server_->counters().requests, 24u);
  EXPECT_EQ(server_->counters().max_in_flight, 24u);
  EXPECT_THAT(r.out, HasSubstr("In flight at most: 24 judge calls (--concurrency 24)"));
}

}  // namespace
}  // namespace llmeval::testing
