// Command scorers: a persistent JSON-Lines worker per scorer, restarted after a crash, a timeout or garbage; and the
// judge-prompt / human-agreement helpers of engine/run/engine_scorers.h.
#include "engine/user_scorers/command_scorer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "engine/run/engine_scorers.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using ::llmeval::testing::ScratchDir;
using ::llmeval::testing::WriteFile;
using ::testing::HasSubstr;

// A worker whose behaviour depends on the answer: "crash" exits 1 after a line on stderr, "hang" never answers,
// "garbage" prints a non-JSON line, "oops" answers an error; otherwise it passes when the answer contains "good" and
// reports its pid (to check that one process serves many items).
constexpr char kWorker[] = R"py(
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    out = req.get("output") or ""
    if out == "crash":
        sys.stderr.write("boom: the scorer crashed\n"); sys.stderr.flush(); sys.exit(1)
    if out == "hang":
        time.sleep(600)
    if out == "garbage":
        print("this is not json", flush=True); continue
    if out == "oops":
        print(json.dumps({"id": req["id"], "error": "cannot score this"}), flush=True); continue
    if out.startswith("number "):
        print(json.dumps({"id": req["id"], "value": float(out[7:])}), flush=True); continue
    resp = {"id": req["id"], "value": "good" in out, "rationale": "pid %d min %s col %s" % (
        os.getpid(), req["params"].get("min"), req["expectations"].get("expected"))}
    print(json.dumps(resp), flush=True)
)py";

class CommandScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(dir_.Path("worker.py"), kWorker);
    RegisterEngineScorerTypes(dir_.path());
  }
  std::unique_ptr<Scorer> Make(const std::string& extra = "", int timeout_ms = 5000) {
    std::string params = R"({"command": ["python3", "worker.py"], "timeout_ms": )" + std::to_string(timeout_ms) +
                         R"(, "params": {"min": 3})" + extra + "}";
    Result<std::unique_ptr<Scorer>> scorer = MakeScorer({"mine", "command", params});
    EXPECT_TRUE(scorer.ok()) << scorer.status().message();
    return scorer.ok() ? std::move(scorer.value()) : nullptr;
  }
  static ScoringContext Answer(const std::string& output) {
    ScoringContext ctx;
    ctx.output = output;
    ctx.variables = {{"question", "q?"}, {"expected", "e!"}};
    return ctx;
  }
  ScratchDir dir_;
};

std::string Pid(const Assessment& a) { return a.rationale.substr(0, a.rationale.find(" min")); }

TEST_F(CommandScorerTest, PassesAndFailsWithOneWorkerForManyItems) {
  std::unique_ptr<Scorer> scorer = Make(R"(, "expectation_columns": ["Expected"])");
  Assessment good = scorer->Score(Answer("a good answer"));
  Assessment bad = scorer->Score(Answer("a poor answer"));
  EXPECT_EQ(good.outcome, AssessmentOutcome::kPass) << good.error;
  EXPECT_EQ(bad.outcome, AssessmentOutcome::kFail) << bad.error;
  EXPECT_EQ(good.name, "mine");
  EXPECT_EQ(good.source, AssessmentSource::kCode);
  EXPECT_THAT(good.rationale, HasSubstr("min 3 col e!"));
  EXPECT_EQ(Pid(good), Pid(bad));  // The same process answered both.
}

TEST_F(CommandScorerTest, ErroredItemIsNotSentToTheWorker) {
  std::unique_ptr<Scorer> scorer = Make();
  ScoringContext ctx = Answer("good");
  ctx.errored = true;
  ctx.error = "HTTP 500";
  Assessment a = scorer->Score(ctx);
  EXPECT_EQ(a.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(a.error, HasSubstr("HTTP 500"));
}

TEST_F(CommandScorerTest, CrashGivesErrorWithStderrAndRestarts) {
  std::unique_ptr<Scorer> scorer = Make();
  Assessment first = scorer->Score(Answer("good"));
  Assessment crash = scorer->Score(Answer("crash"));
  EXPECT_EQ(crash.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(crash.error, HasSubstr("scorer 'mine'"));
  EXPECT_THAT(crash.error, HasSubstr("exited with code 1"));
  EXPECT_THAT(crash.error, HasSubstr("boom: the scorer crashed"));
  Assessment after = scorer->Score(Answer("good again"));
  EXPECT_EQ(after.outcome, AssessmentOutcome::kPass) << after.error;
  EXPECT_NE(Pid(first), Pid(after));  // A fresh worker.
}

TEST_F(CommandScorerTest, TimeoutKillsTheWorkerAndTheNextItemGetsANewOne) {
  std::unique_ptr<Scorer> scorer = Make("", 300);
  // The request that starts a worker gets startup_timeout_ms (10 s by default) on top; later ones get timeout_ms.
  ASSERT_EQ(scorer->Score(Answer("good")).outcome, AssessmentOutcome::kPass);
  Assessment hang = scorer->Score(Answer("hang"));
  EXPECT_EQ(hang.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(hang.error, HasSubstr("no response within 300 ms"));
  Assessment after = scorer->Score(Answer("good"));
  EXPECT_EQ(after.outcome, AssessmentOutcome::kPass) << after.error;
}

TEST_F(CommandScorerTest, GarbageNamesTheScorerAndQuotesAnExcerpt) {
  std::unique_ptr<Scorer> scorer = Make();
  Assessment garbage = scorer->Score(Answer("garbage"));
  EXPECT_EQ(garbage.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(garbage.error, HasSubstr("scorer 'mine'"));
  EXPECT_THAT(garbage.error, HasSubstr("'this is not json'"));
  EXPECT_EQ(scorer->Score(Answer("good")).outcome, AssessmentOutcome::kPass);
}

TEST_F(CommandScorerTest, WorkerErrorAndNumbersWithThreshold) {
  std::unique_ptr<Scorer> scorer = Make(R"(, "threshold": 0.5)");
  Assessment oops = scorer->Score(Answer("oops"));
  EXPECT_EQ(oops.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(oops.error, HasSubstr("cannot score this"));
  Assessment high = scorer->Score(Answer("number 0.75"));
  EXPECT_EQ(high.outcome, AssessmentOutcome::kPass);
  ASSERT_TRUE(high.score.has_value());
  EXPECT_DOUBLE_EQ(*high.score, 0.75);
  EXPECT_EQ(scorer->Score(Answer("number 0.25")).outcome, AssessmentOutcome::kFail);
  // Without a threshold a number always passes, with its score.
  std::unique_ptr<Scorer> plain = Make();
  EXPECT_EQ(plain->Score(Answer("number 0.25")).outcome, AssessmentOutcome::kPass);
}

TEST_F(CommandScorerTest, ConcurrentItemsShareAPoolOfWorkers) {
  std::unique_ptr<Scorer> scorer = Make(R"(, "workers": 2)");
  std::vector<Assessment> results(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] { results[i] = scorer->Score(Answer(i % 2 == 0 ? "good" : "bad")); });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::string> pids;
  for (int i = 0; i < 16; ++i) {
    EXPECT_EQ(results[i].outcome, i % 2 == 0 ? AssessmentOutcome::kPass : AssessmentOutcome::kFail) << results[i].error;
    pids.insert(Pid(results[i]));
  }
  EXPECT_LE(pids.size(), 2u);
}

TEST_F(CommandScorerTest, BadConfigurationAndMissingProgram) {
  Result<std::unique_ptr<Scorer>> none = MakeScorer({"mine", "command", R"({"timeout_ms": 10})"});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidInput);
  EXPECT_THAT(none.status().message(), HasSubstr("'command'"));
  Result<std::unique_ptr<Scorer>> typo = MakeScorer({"mine", "command", R"({"command": ["x"], "timeuot_ms": 1})"});
  ASSERT_FALSE(typo.ok());
  EXPECT_THAT(typo.status().message(), HasSubstr("timeout_ms"));
  Result<std::unique_ptr<Scorer>> missing =
      MakeScorer({"mine", "command", R"({"command": ["/nonexistent/scorer-program"]})"});
  ASSERT_TRUE(missing.ok());
  Assessment a = (*missing)->Score(Answer("good"));
  EXPECT_EQ(a.outcome, AssessmentOutcome::kError);
  EXPECT_THAT(a.error, HasSubstr("cannot start '/nonexistent/scorer-program'"));
}

TEST(UserScorerResponse, ParsesValueGeneralFormAndRejectsGarbage) {
  Result<Assessment> t = ParseUserScorerResponse(R"({"id": 3, "value": true, "rationale": "ok"})", "s", "w", {}, 3);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->outcome, AssessmentOutcome::kPass);
  EXPECT_EQ(t->rationale, "ok");
  Result<Assessment> general = ParseUserScorerResponse(R"({"outcome": "fail", "reason": "no"})", "s", "w", {}, {});
  ASSERT_TRUE(general.ok()) << general.status().message();
  EXPECT_EQ(general->outcome, AssessmentOutcome::kFail);
  Result<Assessment> wrong_id = ParseUserScorerResponse(R"({"id": 4, "value": true})", "s", "who", {}, 3);
  ASSERT_FALSE(wrong_id.ok());
  EXPECT_THAT(wrong_id.status().message(), HasSubstr("id 4"));
  Result<Assessment> bad_value = ParseUserScorerResponse(R"({"value": "yes"})", "s", "who", {}, {});
  EXPECT_FALSE(bad_value.ok());
  Result<Assessment> garbage = ParseUserScorerResponse("[1, 2]", "s", "who", {}, {});
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.status().message(), HasSubstr("who: expected a JSON object"));
}

TEST(JudgeRunInfo, RoundTripsThroughParamsJson) {
  JudgeRunInfo info;
  info.prompt_versions["judge_guidelines"] = 2;
  info.human_label_columns["english"] = "human_english";
  std::string json = AddJudgeRunInfo(R"({"dataset":"q.csv"})", info);
  EXPECT_EQ(json, R"({"dataset":"q.csv","judge_prompts":{"judge_guidelines":2},)"
                  R"("human_label_columns":{"english":"human_english"}})");
  JudgeRunInfo back = ReadJudgeRunInfo(json);
  EXPECT_EQ(back.prompt_versions, info.prompt_versions);
  EXPECT_EQ(back.human_label_columns, info.human_label_columns);
  EXPECT_EQ(AddJudgeRunInfo("{}", info).substr(0, 17), R"({"judge_prompts":)");
  EXPECT_EQ(AddJudgeRunInfo("{}", JudgeRunInfo{}), "{}");
}

TEST(HumanAgreement, ComparesScorersWithFeedbackAndLabelColumns) {
  auto row = [](const std::string& name, const std::string& outcome, const std::string& source) {
    AssessmentRow a;
    a.name = name;
    a.outcome = outcome;
    a.source = source;
    return a;
  };
  std::vector<ItemRecord> items(4);
  const char* judge[] = {"pass", "pass", "fail", "fail"};
  const char* human[] = {"pass", "fail", "fail", "fail"};
  const char* column[] = {"yes", "yes", "no", "maybe"};
  for (int i = 0; i < 4; ++i) {
    items[i].inputs_json = std::string(R"({"truth":")") + column[i] + "\"}";
    items[i].assessments.push_back(row("english", judge[i], "llm_judge"));
    items[i].assessments.push_back(row("english", human[i], "human"));
  }
  items[3].assessments[1].outcome = "error";  // Not decided: left out.
  std::vector<const ItemRecord*> pointers;
  for (const ItemRecord& item : items) pointers.push_back(&item);
  std::vector<HumanAgreement> agreement = ComputeHumanAgreement(pointers, {{"english", "truth"}});
  ASSERT_EQ(agreement.size(), 2u);
  EXPECT_EQ(agreement[0].scorer, "english");
  EXPECT_EQ(agreement[0].human, "feedback");
  EXPECT_EQ(agreement[0].n, 3);
  EXPECT_NEAR(agreement[0].percent_agreement, 2.0 / 3, 1e-9);
  EXPECT_EQ(agreement[1].human, "column truth");
  EXPECT_EQ(agreement[1].n, 3);  // "maybe" is no label.
  EXPECT_DOUBLE_EQ(agreement[1].percent_agreement, 1.0);
  EXPECT_DOUBLE_EQ(agreement[1].kappa, 1.0);
}

}  // namespace
}  // namespace llmeval
