// CommandTarget with real worker processes (python3 scripts speaking JSON Lines): answers with tool calls and usage,
// the traceparent in each request, a worker crashing mid-run (that item fails, the next is answered by a restarted
// worker), a worker that never answers (timeout), malformed reply lines, and per_item processes with TRACEPARENT.
#include "engine/targets/command_target.h"

#include <gtest/gtest.h>

#include <future>
#include <string>

#include "testing/test_util.h"

namespace llmeval {
namespace {

constexpr char kWorker[] = R"PY(
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    q = req["vars"].get("question", "")
    if q == "crash":
        os._exit(3)
    if q == "hang":
        time.sleep(30)
    if q == "garbage":
        print("this is not json", flush=True)
        continue
    if q == "fail":
        print(json.dumps({"error": "app could not answer"}), flush=True)
        continue
    tp = req.get("traceparent") or os.environ.get("TRACEPARENT", "")
    print(json.dumps({"output": "answer to " + q + " pid " + str(os.getpid()) + " tp " + tp,
                      "tool_calls": [{"name": "web_search", "arguments": {"query": q}}],
                      "usage": {"input_tokens": 7, "output_tokens": 2}, "cost_usd": 0.5}), flush=True)
)PY";

class CommandTargetTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteFile(dir_.Path("worker.py"), kWorker); }

  TargetSettings Settings() {
    TargetSettings s;
    s.name = "app";
    s.kind = "command";
    s.command = {"python3", "worker.py"};
    s.timeout_ms = 5000;
    return s;
  }

  static TargetResult Ask(CommandTarget* target, const std::string& question,
                          const std::string& traceparent = "00-aa-bb-01") {
    TargetRequest request;
    request.variables["question"] = question;
    request.traceparent = traceparent;
    std::promise<TargetResult> promise;
    target->Invoke(std::move(request), [&](TargetResult r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }

  testing::ScratchDir dir_;
};

TEST_F(CommandTargetTest, AnswersWithToolCallsUsageCostAndTraceparent) {
  CommandTarget target(Settings(), dir_.path());
  TargetResult r = Ask(&target, "what", "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
  ASSERT_TRUE(r.chat.status.ok()) << r.chat.status.message();
  EXPECT_NE(r.chat.response.message.content->find("tp 00-0123456789abcdef0123456789abcdef-0123456789abcdef-01"),
            std::string::npos);
  ASSERT_EQ(r.chat.response.message.tool_calls.size(), 1u);
  EXPECT_EQ(r.chat.response.message.tool_calls[0].arguments_json, R"({"query":"what"})");
  EXPECT_EQ(r.chat.response.usage.input_tokens, 7);
  EXPECT_DOUBLE_EQ(r.cost_usd.value_or(0), 0.5);
}

TEST_F(CommandTargetTest, CrashedWorkerFailsItsItemAndIsRestarted) {
  CommandTarget target(Settings(), dir_.path());
  TargetResult first = Ask(&target, "a");
  ASSERT_TRUE(first.chat.status.ok()) << first.chat.status.message();
  TargetResult crashed = Ask(&target, "crash");
  ASSERT_FALSE(crashed.chat.status.ok());
  EXPECT_NE(crashed.chat.status.message().find("exited with code 3"), std::string::npos)
      << crashed.chat.status.message();
  TargetResult after = Ask(&target, "b");
  ASSERT_TRUE(after.chat.status.ok()) << after.chat.status.message();
  std::string pid_before =
      first.chat.response.message.content->substr(first.chat.response.message.content->find("pid"));
  std::string pid_after = after.chat.response.message.content->substr(after.chat.response.message.content->find("pid"));
  EXPECT_NE(pid_before.substr(0, pid_before.find(" tp")), pid_after.substr(0, pid_after.find(" tp")));
}

TEST_F(CommandTargetTest, HangingWorkerTimesOut) {
  TargetSettings s = Settings();
  // Long enough for a restarted python3 worker to start and answer on a loaded machine, far below the 30 s hang.
  s.timeout_ms = 2000;
  CommandTarget target(s, dir_.path());
  TargetResult r = Ask(&target, "hang");
  ASSERT_FALSE(r.chat.status.ok());
  EXPECT_EQ(r.chat.status.code(), StatusCode::kTimeout) << r.chat.status.message();
  EXPECT_TRUE(Ask(&target, "next").chat.status.ok());
}

TEST_F(CommandTargetTest, MalformedAndErrorRepliesFailTheItem) {
  CommandTarget target(Settings(), dir_.path());
  TargetResult garbage = Ask(&target, "garbage");
  ASSERT_FALSE(garbage.chat.status.ok());
  EXPECT_NE(garbage.chat.status.message().find("not JSON"), std::string::npos) << garbage.chat.status.message();
  TargetResult fail = Ask(&target, "fail");
  ASSERT_FALSE(fail.chat.status.ok());
  EXPECT_NE(fail.chat.status.message().find("app could not answer"), std::string::npos);
  EXPECT_TRUE(Ask(&target, "ok").chat.status.ok());
}

TEST_F(CommandTargetTest, PerItemRunsOneProcessPerItemWithTraceparentInItsEnvironment) {
  TargetSettings s = Settings();
  s.per_item = true;
  s.workers = 2;
  CommandTarget target(s, dir_.path());
  TargetResult a = Ask(&target, "x", "");
  TargetResult b = Ask(&target, "y", "");
  ASSERT_TRUE(a.chat.status.ok()) << a.chat.status.message();
  ASSERT_TRUE(b.chat.status.ok()) << b.chat.status.message();
  EXPECT_NE(a.chat.response.message.content, b.chat.response.message.content);
}

}  // namespace
}  // namespace llmeval
