// Plugin scorers: small plugins compiled with the system compiler at test time, loaded through the C ABI of
// include/llmeval/scorer_plugin.h; load errors are InvalidInput naming the path.
#include "engine/user_scorers/plugin_scorer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "engine/run/engine_scorers.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using ::llmeval::testing::CommandResult;
using ::llmeval::testing::RunCommand;
using ::llmeval::testing::ScratchDir;
using ::llmeval::testing::SourceDir;
using ::llmeval::testing::WriteFile;
using ::testing::HasSubstr;

// Passes when the output contains "good"; "number" answers a score; "fail-code" returns 1 with an error object; a
// buffer smaller than 100000 bytes is refused once with LLMEVAL_SCORER_OUTPUT_TOO_SMALL when the output is "big".
constexpr char kPlugin[] = R"cc(
#include <cstdio>
#include <cstring>
#include "llmeval/scorer_plugin.h"
  extern "C" int llmeval_scorer_v1(const char* request, char* out, unsigned long size) {
    if (std::strstr(request, "\"output\":\"fail-code\"")) {
      std::snprintf(out, size, "{\"error\": \"the plugin gave up\"}");
      return LLMEVAL_SCORER_INVALID_REQUEST;
    }
    if (std::strstr(request, "\"output\":\"big\"") && size < 100000) return LLMEVAL_SCORER_OUTPUT_TOO_SMALL;
    if (std::strstr(request, "\"output\":\"number\"")) {
      std::snprintf(out, size, "{\"value\": 0.25, \"rationale\": \"a quarter\"}");
      return 0;
    }
    bool good = std::strstr(request, "good") != nullptr;
    std::snprintf(out, size, "{\"value\": %s, \"rationale\": \"size %lu\"}", good ? "true" : "false", size);
    return 0;
  }
  extern "C" const char* llmeval_scorer_name_v1(void) { return "test_plugin"; }
)cc";

// Compiles `source` into dir/name.so; returns the compiler's output on failure.
std::string Compile(const ScratchDir& dir, const std::string& name, const std::string& source_path) {
  CommandResult r = RunCommand({"/usr/bin/g++", "-shared", "-fPIC", "-O1", "-I", SourceDir() + "/include", "-o",
                                dir.Path(name + ".so"), source_path});
  return r.exit_code == 0 ? "" : r.out + r.err;
}

class PluginScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Path("plugin.cc"), kPlugin);
    ASSERT_EQ(Compile(dir_, "plugin", dir_.Path("plugin.cc")), "");
    RegisterEngineScorerTypes(dir_.path());
  }
  static ScoringContext Answer(const std::string& output) {
    ScoringContext ctx;
    ctx.output = output;
    return ctx;
  }
  ScratchDir dir_;
};

TEST_F(PluginScorerTest, PassFailNumbersAndErrors) {
  Result<std::unique_ptr<Scorer>> scorer =
      MakeScorer({"p", "plugin", R"({"path": "plugin.so", "threshold": 0.5, "params": {"k": 1}})"});
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  Assessment good = (*scorer)->Score(Answer("a good one"));
  EXPECT_EQ(good.outcome, AssessmentOutcome::kPass) << good.error;
  EXPECT_EQ(good.name, "p");
  EXPECT_EQ((*scorer)->Score(Answer("a poor one")).outcome, AssessmentOutcome::kFail);
  Assessment number = (*scorer)->Score(Answer("number"));
  EXPECT_EQ(number.outcome, AssessmentOutcome::kFail);  // 0.25 < threshold 0.5
  EXPECT_EQ(number.score, 0.25);
  Assessment failed = (*scorer)->Score(Answer("fail-code"));
  EXPECT_EQ(failed.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(failed.error, HasSubstr("the plugin gave up"));
  EXPECT_THAT(failed.error, HasSubstr("test_plugin"));
  Assessment big = (*scorer)->Score(Answer("big"));  // Retried with a larger buffer.
  EXPECT_EQ(big.outcome, AssessmentOutcome::kFail) << big.error;
  EXPECT_THAT(big.rationale, HasSubstr("size 262144"));
}

TEST_F(PluginScorerTest, ConcurrentCalls) {
  Result<std::unique_ptr<Scorer>> scorer = MakeScorer({"p", "plugin", R"({"path": "plugin.so"})"});
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  std::vector<Assessment> results(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] { results[i] = (*scorer)->Score(Answer(i % 2 ? "good" : "bad")); });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 16; ++i) EXPECT_EQ(results[i].passed(), i % 2 == 1);
}

TEST_F(PluginScorerTest, LoadErrorsNameThePath) {
  Result<std::unique_ptr<Scorer>> missing = MakeScorer({"p", "plugin", R"({"path": "nope.so"})"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidInput);
  EXPECT_THAT(missing.status().message(), HasSubstr("scorer 'p'"));
  EXPECT_THAT(missing.status().message(), HasSubstr(dir_.Path("nope.so")));
  WriteFile(dir_.Path("empty.cc"), "extern \"C\" int something_else() { return 1; }\n");
  ASSERT_EQ(Compile(dir_, "empty", dir_.Path("empty.cc")), "");
  Result<std::unique_ptr<Scorer>> no_symbol = MakeScorer({"p", "plugin", R"({"path": "empty.so"})"});
  ASSERT_FALSE(no_symbol.ok());
  EXPECT_THAT(no_symbol.status().message(), HasSubstr("does not export llmeval_scorer_v1"));
  EXPECT_FALSE(MakeScorer({"p", "plugin", "{}"}).ok());
}

TEST_F(PluginScorerTest, TheExamplePluginCountsWords) {
  ASSERT_EQ(Compile(dir_, "words", SourceDir() + "/examples/se-exam/scorers/not_too_many_words.cc"), "");
  Result<std::unique_ptr<Scorer>> scorer =
      MakeScorer({"w", "plugin", R"({"path": "words.so", "params": {"max_words": 3}})"});
  ASSERT_TRUE(scorer.ok()) << scorer.status().message();
  EXPECT_EQ((*scorer)->Score(Answer("one two three")).outcome, AssessmentOutcome::kPass);
  Assessment over = (*scorer)->Score(Answer("one two three four"));
  EXPECT_EQ(over.outcome, AssessmentOutcome::kFail);
  EXPECT_THAT(over.rationale, HasSubstr("4 words"));
}

}  // namespace
}  // namespace llmeval
