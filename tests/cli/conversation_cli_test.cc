// Conversation rows end to end through the real binary, the model behind `llmeval sim-server` on loopback HTTP:
// malformed rows refused (exit 2, file:line, nothing written), as-given scoring, replay (the model's own answers kept
// in the history), a simulated user (the sim answering as a user) with each stop condition, max_turns as its own
// outcome, and a tool call failing in turn 3 of a replayed conversation while the conversation goes on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_project.h"
#include "testing/test_util.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SimServer {
 public:
  SimServer() {
    child_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{LLMEVAL_BINARY, "sim-server", "--port", "0", "--exit-after", "60"});
    port_ = child_->ReadLine();
  }
  std::vector<std::string> env() const { return {"OPENAI_BASE_URL=http://127.0.0.1:" + port_ + "/v1"}; }

 private:
  std::unique_ptr<ChildProcess> child_;
  std::string port_;
};

constexpr const char* kConversations =
    R"({"id": "c1", "goal": "understand the difference between unit tests and integration tests", )"
    R"("messages": [{"role": "user", "content": "What is a unit test?"}, {"role": "assistant", "content": "A test )"
    R"(of one unit."}, {"role": "user", "content": "How is it different from an integration test?"}, {"role": )"
    R"("assistant", "content": "Integration tests check units together."}]})"
    "\n"
    R"({"id": "c2", "goal": "learn what git rebase does", "messages": [{"role": "user", "content": "What does git )"
    R"(rebase do?"}, {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", )"
    R"("function": {"name": "web_search", "arguments": "{\"query\": \"git rebase\"}"}}]}, {"role": "tool", )"
    R"("tool_call_id": "call_1", "content": "[Rebase](https://git-scm.com/docs/git-rebase) page"}, {"role": )"
    R"("assistant", "content": "It replays your commits on top of another branch."}]})"
    "\n";

// A project over kConversations with `extra` config (the conversation section) on the model `model`.
void MakeProject(CliProject* project, const std::string& extra, const std::string& model = "openai:sim") {
  project->Write("prompts/tutor.txt", "You are a patient software-engineering tutor.\n");
  project->Write("convs.jsonl", kConversations);
  project->Write("llmeval.yaml", "dataset: {path: convs.jsonl, id_column: id}\nprompt: tutor\nmodel: " + model +
                                     "\nconcurrency: 2\nscorers:\n  - {name: words, type: word_count, min: 1}\n" +
                                     extra);
}

struct Item {
  std::string output, error, finish_reason, trace_id;
  int64_t tool_calls = 0;
};

std::map<std::string, Item> Export(const CliProject& project, const std::string& run) {
  std::map<std::string, Item> items;
  CommandResult exported = project.Run({"runs", "export", run, "--format", "jsonl"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(exported.out).get(docs) != simdjson::SUCCESS) return items;
  for (auto doc : docs) {
    simdjson::dom::element e = doc.value();
    Item item;
    std::string_view s;
    if (e["output"].get(s) == simdjson::SUCCESS) item.output = std::string(s);
    if (e["error"].get(s) == simdjson::SUCCESS) item.error = std::string(s);
    if (e["finish_reason"].get(s) == simdjson::SUCCESS) item.finish_reason = std::string(s);
    if (e["trace_id"].get(s) == simdjson::SUCCESS) item.trace_id = std::string(s);
    EXPECT_EQ(e["tool_calls"].get(item.tool_calls), simdjson::SUCCESS);
    items[std::string(e["item_id"].get_string().value())] = item;
  }
  return items;
}

struct SpanView {
  std::string name, id, parent;
  bool error = false;
  std::map<std::string, std::string> attributes;  // String and int values as text.
};

// The spans of one trace of `run`, from the OTLP/JSON export.
std::vector<SpanView> Spans(const CliProject& project, const std::string& run, const std::string& trace_id) {
  std::vector<SpanView> spans;
  CommandResult r = project.Run({"traces", "export", "--run", run, "--format", "otlp-json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(r.out).get(docs) != simdjson::SUCCESS) return spans;
  for (auto doc : docs) {
    for (auto rs : doc.value()["resourceSpans"].get_array()) {
      for (auto ss : rs["scopeSpans"].get_array()) {
        for (auto span : ss["spans"].get_array()) {
          if (std::string_view(span["traceId"].get_string().value()) != trace_id) continue;
          SpanView v;
          v.name = std::string(span["name"].get_string().value());
          v.id = std::string(span["spanId"].get_string().value());
          std::string_view parent;
          if (span["parentSpanId"].get(parent) == simdjson::SUCCESS) v.parent = std::string(parent);
          int64_t code = 0;
          if (span["status"]["code"].get(code) == simdjson::SUCCESS) v.error = code == 2;
          for (auto a : span["attributes"].get_array()) {
            std::string_view value;
            if (a["value"]["stringValue"].get(value) == simdjson::SUCCESS ||
                a["value"]["intValue"].get(value) == simdjson::SUCCESS) {
              v.attributes[std::string(a["key"].get_string().value())] = std::string(value);
            }
          }
          spans.push_back(std::move(v));
        }
      }
    }
  }
  return spans;
}

int Count(const std::vector<SpanView>& spans, const std::string& prefix) {
  int n = 0;
  for (const SpanView& s : spans) n += s.name.rfind(prefix, 0) == 0;
  return n;
}

TEST(CliConversation, MalformedRowsAreRefusedWithFileAndLineBeforeAnythingIsWritten) {
  const std::string good = R"({"id": "a", "messages": [{"role": "user", "content": "Hi?"}]})";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"id": "b", "messages": []})", "convs.jsonl:2: column 'messages': has no messages"},
      {R"({"id": "b"})", "convs.jsonl:2: column 'messages': has no messages"},
      {R"({"id": "b", "messages": [{"role": "user", "content": "x"}, {"role": "tool", "tool_call_id": "c9", )"
       R"("content": "r"}]})",
       "convs.jsonl:2: column 'messages': message 2: tool message answers call 'c9', which no earlier assistant "
       "message made"},
      {R"({"id": "b", "messages": [{"role": "bot", "content": "x"}]})",
       "convs.jsonl:2: column 'messages': message 1: unknown role 'bot'; expected system, user, assistant or tool"},
  };
  for (const auto& [row, message] : cases) {
    CliProject project;
    MakeProject(&project, "conversation: {mode: replay}\n", "sim");
    project.Write("convs.jsonl", good + "\n" + row + "\n");
    project.ExpectRefused({"run"}, message);
  }
  CliProject project;
  MakeProject(&project, "conversation: {mode: as_given}\n", "sim");
  project.Write("convs.jsonl", good + "\n");
  project.ExpectRefused({"run"}, "convs.jsonl:1: column 'messages': the last message must be the assistant's answer");
  MakeProject(&project, "conversation: {mode: replay, messages_column: turns}\n", "sim");
  project.ExpectRefused({"run"}, "reads the column 'turns', which");
}

TEST(CliConversation, AsGivenScoresTheLastAssistantTurnWithTheHistoryAsContext) {
  CliProject project;
  MakeProject(&project, "conversation: {mode: as_given}\n", "sim");
  CommandResult r = project.Run({"run", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, Item> items = Export(project, "1");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items["c1"].output, "Integration tests check units together.");
  EXPECT_EQ(items["c1"].finish_reason, "as_given");
  EXPECT_EQ(items["c2"].tool_calls, 1);  // The given trajectory's tool call, for the trajectory scorers.
  CommandResult shown = project.Run({"runs", "show", "1"});
  EXPECT_THAT(shown.out, HasSubstr("words"));
}

TEST(CliConversation, ReplaySendsEveryUserTurnAndKeepsTheModelsOwnAnswers) {
  SimServer server;
  CliProject project;
  MakeProject(&project, "conversation: {mode: replay}\n");
  CommandResult r = project.Run({"run", "--quiet"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, Item> items = Export(project, "1");
  ASSERT_EQ(items.size(), 2u);
  const Item& c1 = items["c1"];
  EXPECT_EQ(c1.error, "");
  EXPECT_EQ(c1.finish_reason, "end_of_script");
  EXPECT_NE(c1.output, "Integration tests check units together.");  // The model's answer, not the dataset's.
  EXPECT_FALSE(c1.output.empty());
  std::vector<SpanView> spans = Spans(project, "1", c1.trace_id);
  EXPECT_EQ(Count(spans, "conversation_turn "), 2);
  EXPECT_EQ(Count(spans, "chat "), 2);
  // The second call carries the first turn and the model's own first answer.
  for (SpanView& s : spans) {
    if (s.attributes["llmeval.conversation.turn"] == "2") {
      EXPECT_EQ(s.attributes["input.value"], "How is it different from an integration test?");
    }
    if (s.name == "eval_item tutor") {
      EXPECT_EQ(s.attributes["llmeval.conversation.turns"], "2");
      EXPECT_EQ(s.attributes["llmeval.conversation.stop_reason"], "end_of_script");
      EXPECT_THAT(s.attributes["input.value"], HasSubstr("user: What is a unit test?"));
      EXPECT_THAT(s.attributes["input.value"], Not(HasSubstr("A test of one unit.")));
    }
  }
}

TEST(CliConversation, SimulatedUserPlaysTheConversationUntilItsGoalIsReached) {
  SimServer server;
  CliProject project;
  MakeProject(&project, "user_simulator: {model: openai:sim, goal_column: goal, max_turns: 8}\n");
  project.Write("convs.jsonl", R"({"id": "s1", "goal": "understand how code review improves quality"})"
                               "\n"
                               R"({"id": "s2", "goal": "learn when to write integration tests"})"
                               "\n");
  CommandResult r = project.Run({"run", "--quiet"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, Item> items = Export(project, "1");
  ASSERT_EQ(items.size(), 2u);
  for (const auto& [key, item] : items) {
    EXPECT_EQ(item.finish_reason, "goal_reached") << key;
    EXPECT_FALSE(item.output.empty()) << key;
    std::vector<SpanView> spans = Spans(project, "1", item.trace_id);
    int turns = Count(spans, "conversation_turn ");
    int simulator_calls = 0, model_calls = 0;
    for (SpanView& s : spans) {
      if (s.attributes["llmeval.call.purpose"] == "user_simulator") ++simulator_calls;
      if (s.attributes["llmeval.call.purpose"] == "subject") ++model_calls;
    }
    // The sim user needs 2 to 4 messages; each answered turn has one call per side, and the last turn holds only
    // the user saying the goal is reached.
    EXPECT_GE(model_calls, 2) << key;
    EXPECT_LE(model_calls, 4) << key;
    EXPECT_EQ(simulator_calls, model_calls + 1) << key;
    EXPECT_EQ(turns, model_calls + 1) << key;
  }
}

TEST(CliConversation, MaxTurnsIsItsOwnOutcomeAndTheStopPhraseEndsAConversation) {
  SimServer server;
  CliProject project;
  MakeProject(&project, "user_simulator: {model: openai:sim, goal_column: goal, max_turns: 1}\n");
  project.Write("convs.jsonl", R"({"id": "s1", "goal": "understand how code review improves quality"})"
                               "\n");
  CommandResult r = project.Run({"run", "--quiet"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  for (const auto& [key, item] : Export(project, "1")) {
    EXPECT_EQ(item.finish_reason, "max_turns") << key;
    EXPECT_EQ(item.error, "") << key;
  }
  MakeProject(&project,
              "user_simulator: {model: openai:sim, goal_column: goal, stop_on_goal: false, stop_phrase: bye}\n");
  project.Write("convs.jsonl", R"({"id": "s1", "goal": "understand how code review improves quality"})"
                               "\n");
  r = project.Run({"run", "--quiet"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, Item> items = Export(project, "2");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items["s1"].finish_reason, "stop_phrase");
}

TEST(CliConversation, AToolCallFailingInTurnThreeIsRecordedAndTheConversationGoesOn) {
  SimServer server;
  CliProject project;
  MakeProject(&project,
              "conversation: {mode: replay}\n"
              "tools:\n"
              "  web_search:\n"
              "    kind: command\n"
              "    parameters: {type: object, properties: {query: {type: string}}, required: [query]}\n"
              "    command: [sh, -c, \"input=$(cat); case $input in *explode*) echo index down >&2; exit 3;; esac; "
              "echo '[Guide](https://example.com/guide)'\"]\n");
  project.Write("convs.jsonl",
                R"({"id": "t1", "messages": [{"role": "user", "content": "What is continuous integration?"}, )"
                R"({"role": "user", "content": "What is a build pipeline?"}, {"role": "user", "content": "Why )"
                R"(does my deployment explode?"}, {"role": "user", "content": "What is a rollback?"}]})"
                "\n");
  CommandResult r = project.Run({"run", "--quiet", "--tools", "web_search"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::map<std::string, Item> items = Export(project, "1");
  ASSERT_EQ(items.size(), 1u);
  const Item& t1 = items["t1"];
  EXPECT_EQ(t1.error, "");
  EXPECT_EQ(t1.finish_reason, "end_of_script");
  EXPECT_GE(t1.tool_calls, 4);  // Every turn searched.
  std::vector<SpanView> spans = Spans(project, "1", t1.trace_id);
  EXPECT_EQ(Count(spans, "conversation_turn "), 4);
  std::map<std::string, std::string> turn_of;  // span id -> turn number
  for (SpanView& s : spans) {
    if (s.name.rfind("conversation_turn ", 0) == 0) turn_of[s.id] = s.attributes["llmeval.conversation.turn"];
  }
  int failed = 0;
  for (const SpanView& s : spans) {
    if (s.name.rfind("execute_tool", 0) != 0) continue;
    ASSERT_EQ(turn_of.count(s.parent), 1u) << "a tool span outside a turn";
    EXPECT_EQ(s.error, turn_of[s.parent] == "3") << "turn " << turn_of[s.parent];
    failed += s.error;
  }
  EXPECT_GE(failed, 1);
}

// item key -> scorer -> outcome, from a JSONL export.
std::map<std::string, std::map<std::string, std::string>> Outcomes(const CliProject& project, const std::string& run) {
  std::map<std::string, std::map<std::string, std::string>> out;
  CommandResult exported = project.Run({"runs", "export", run, "--format", "jsonl"});
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(exported.out).get(docs) != simdjson::SUCCESS) return out;
  for (auto doc : docs) {
    std::string key(doc.value()["item_id"].get_string().value());
    for (auto a : doc.value()["assessments"].get_array()) {
      out[key][std::string(a["name"].get_string().value())] = std::string(a["outcome"].get_string().value());
    }
  }
  return out;
}

TEST(CliConversation, TrajectoryAndConversationScorersRunOnConversations) {
  CliProject project;
  MakeProject(&project,
              "conversation: {mode: as_given}\n"
              "  - {name: path, type: tool_sequence, mode: exact}\n"
              "  - {name: searched, type: tool_sequence, mode: superset}\n"
              "  - {name: short_path, type: step_count_max, max: 1}\n"
              "  - {name: no_repeats, type: no_repeated_calls}\n",
              "sim");
  // The scorers list continues the one MakeProject starts: move the conversation section after it.
  std::string config = ReadFile(project.Path("llmeval.yaml"));
  config.replace(config.find("conversation: {mode: as_given}\n"), 31, "");
  project.Write("llmeval.yaml", config + "conversation: {mode: as_given}\n");
  std::string rows = kConversations;
  rows.replace(rows.find(R"({"id": "c1")"), 11, R"({"id": "c1", "expected_tools": "web_search")");
  rows.replace(rows.find(R"({"id": "c2")"), 11, R"({"id": "c2", "expected_tools": "[\"web_search\"]")");
  project.Write("convs.jsonl", rows);
  CommandResult r = project.Run({"run", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto outcomes = Outcomes(project, "1");
  EXPECT_EQ(outcomes["c1"]["path"], "fail");  // No tool call in c1.
  EXPECT_EQ(outcomes["c2"]["path"], "pass");
  EXPECT_EQ(outcomes["c1"]["searched"], "fail");
  EXPECT_EQ(outcomes["c2"]["searched"], "pass");
  EXPECT_EQ(outcomes["c2"]["short_path"], "pass");
  EXPECT_EQ(outcomes["c2"]["no_repeats"], "pass");

  SimServer server;
  CliProject simulated;
  MakeProject(&simulated,
              "  - {name: goal, type: goal_achieved}\n"
              "  - {name: fast, type: turns_to_goal, max: 8}\n"
              "  - {name: retention, type: knowledge_retention}\n"
              "user_simulator: {model: openai:sim, goal_column: goal}\n");
  simulated.Write("convs.jsonl", R"({"id": "s1", "goal": "understand how code review improves quality"})"
                                 "\n");
  r = simulated.Run({"run", "--quiet", "--judge", "openai:sim"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto sim = Outcomes(simulated, "1");
  EXPECT_EQ(sim["s1"]["fast"], "pass");
  EXPECT_EQ(sim["s1"]["retention"], "pass");
  EXPECT_TRUE(sim["s1"]["goal"] == "pass" || sim["s1"]["goal"] == "fail") << sim["s1"]["goal"];
}

TEST(CliConversation, TurnScopeScoresEveryAssistantTurnAsTheShareOfTurnsPassing) {
  CliProject project;
  MakeProject(&project,
              "  - {name: per_turn, type: contains, value: integration, scope: turn}\n"
              "  - {name: whole, type: contains, value: integration}\n"
              "conversation: {mode: as_given}\n",
              "sim");
  CommandResult r = project.Run({"run", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  ASSERT_EQ(parser.parse_many(exported.out).get(docs), simdjson::SUCCESS);
  int seen = 0;
  for (auto doc : docs) {
    if (std::string_view(doc.value()["item_id"].get_string().value()) != "c1") continue;
    for (auto a : doc.value()["assessments"].get_array()) {
      std::string name(a["name"].get_string().value());
      if (name == "per_turn") {
        ++seen;
        EXPECT_EQ(std::string_view(a["outcome"].get_string().value()), "fail");
        EXPECT_EQ(a["score"].get_double().value(), 0.5);
        EXPECT_THAT(std::string(a["rationale"].get_string().value()),
                    HasSubstr("1 of 2 turns pass; first failing turn 1:"));
      }
      if (name == "whole") {
        EXPECT_EQ(std::string_view(a["outcome"].get_string().value()), "pass");
      }
    }
  }
  EXPECT_EQ(seen, 1);
  // The turn-level results are stored as spans of the item's trace, one per turn.
  std::map<std::string, Item> items = Export(project, "1");
  std::vector<SpanView> spans = Spans(project, "1", items["c1"].trace_id);
  int turn_scores = 0;
  for (SpanView& s : spans) {
    if (s.name.rfind("score per_turn turn ", 0) != 0) continue;
    ++turn_scores;
    EXPECT_EQ(s.attributes["gen_ai.evaluation.score.label"], s.name.back() == '1' ? "fail" : "pass") << s.name;
  }
  EXPECT_EQ(turn_scores, 2);

  MakeProject(&project, "  - {name: goal, type: goal_achieved, scope: turn}\nconversation: {mode: as_given}\n", "sim");
  project.ExpectRefused({"run"}, "scope: turn does not apply to goal_achieved");
}

TEST(CliConversation, TurnScopeJudgeAsksTheJudgeOncePerAssistantTurn) {
  SimServer server;
  CliProject project;
  MakeProject(&project,
              "  - name: mentions\n"
              "    type: guidelines\n"
              "    guidelines: [\"The answer should mention 'integration'.\"]\n"
              "    scope: turn\n"
              "judge: openai:sim\n"
              "conversation: {mode: as_given}\n");
  CommandResult r = project.Run({"run", "--quiet"}, server.env());
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  ASSERT_EQ(parser.parse_many(exported.out).get(docs), simdjson::SUCCESS);
  std::map<std::string, std::string> rationale, outcome;
  for (auto doc : docs) {
    std::string id(doc.value()["item_id"].get_string().value());
    for (auto a : doc.value()["assessments"].get_array()) {
      if (std::string_view(a["name"].get_string().value()) != "mentions") continue;
      outcome[id] = std::string(a["outcome"].get_string().value());
      rationale[id] = std::string(a["rationale"].get_string().value());
    }
  }
  // c1's first answer ("A test of one unit.") does not mention it, its second does.
  EXPECT_EQ(outcome["c1"], "fail");
  EXPECT_THAT(rationale["c1"], HasSubstr("1 of 2 turns pass; first failing turn 1:"));
  // c2 has one answer with text (the tool-calling turn has none), and it does not mention integration.
  EXPECT_EQ(outcome["c2"], "fail");
  EXPECT_THAT(rationale["c2"], HasSubstr("0 of 1 turns pass"));

  // Each turn's verdict is a span of its own, holding that turn's judge call.
  std::map<std::string, Item> items = Export(project, "1");
  std::vector<SpanView> spans = Spans(project, "1", items["c1"].trace_id);
  std::map<std::string, std::string> turn_span_ids;
  for (SpanView& s : spans) {
    if (s.name.rfind("score mentions turn ", 0) == 0) {
      turn_span_ids[s.id] = s.name;
      EXPECT_EQ(s.attributes["gen_ai.evaluation.score.label"], s.name.back() == '1' ? "fail" : "pass") << s.name;
    }
  }
  EXPECT_EQ(turn_span_ids.size(), 2u);
  int judge_calls_under_turns = 0;
  for (SpanView& s : spans) {
    if (s.name.rfind("chat ", 0) == 0 && turn_span_ids.count(s.parent) > 0) ++judge_calls_under_turns;
  }
  EXPECT_EQ(judge_calls_under_turns, 2);
}

TEST(CliConversation, RunsComparePairsConversationsByItemKey) {
  CliProject project;
  MakeProject(&project, "conversation: {mode: as_given}\n", "sim");
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  MakeProject(&project, "conversation: {mode: replay}\n", "sim");
  ASSERT_EQ(project.Run({"run", "--quiet"}).exit_code, 0);
  CommandResult r = project.Run({"runs", "compare", "1", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(2 paired items of 2 / 2)"));
}

}  // namespace
}  // namespace llmeval::testing
