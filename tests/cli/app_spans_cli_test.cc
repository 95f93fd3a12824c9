// The evaluated application's own spans in the item's trace, end to end through the real binary: a command target
// (a Python worker) exports OTLP/JSON spans for its model and tool calls to the OTEL_EXPORTER_OTLP_ENDPOINT the run
// gives it; they are stored under the item's target span marked by service.name, a span sent after the answer but
// within span_grace joins the trace too, and a span with a foreign trace id is stored as a collected trace of its own.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "cli/cli_project.h"
#include "engine/store/span_rows.h"
#include "engine/store/store.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A worker that answers each JSON Lines request after exporting, under the request's traceparent, an entry span
// with a model call and a web_search tool call; for 'late' it exports one more span 0.3 s after answering; for
// 'foreign' it also exports a span of a trace of its own.
constexpr char kApp[] = R"py(import json, os, sys, time, urllib.request
EP = os.environ['OTEL_EXPORTER_OTLP_ENDPOINT']
assert os.environ['OTEL_EXPORTER_OTLP_PROTOCOL']
def rid(n): return os.urandom(n).hex()
def val(v): return {'intValue': str(v)} if isinstance(v, int) else {'stringValue': v}
def span(trace, parent, name, attrs, sid=None, start=None):
    t = time.time_ns()
    return {'traceId': trace, 'spanId': sid or rid(8), 'parentSpanId': parent, 'name': name, 'kind': 1,
            'startTimeUnixNano': str(start or t - 2000000), 'endTimeUnixNano': str(t),
            'attributes': [{'key': k, 'value': val(v)} for k, v in attrs.items()]}
def export(spans, service='shop-agent'):
    body = {'resourceSpans': [{'resource': {'attributes': [{'key': 'service.name', 'value': {'stringValue': service}}]},
                               'scopeSpans': [{'scope': {'name': 'test-app'}, 'spans': spans}]}]}
    req = urllib.request.Request(EP + '/v1/traces', data=json.dumps(body).encode(),
                                 headers={'Content-Type': 'application/json'})
    urllib.request.urlopen(req, timeout=10).read()
for line in sys.stdin:
    r = json.loads(line)
    _, trace, parent, _ = r['traceparent'].split('-')
    q = r['vars']['question']
    t0 = time.time_ns()
    entry = rid(8)
    chat = span(trace, entry, 'chat sim', {'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'sim',
                                           'gen_ai.usage.input_tokens': 11, 'gen_ai.usage.output_tokens': 7})
    tool = span(trace, entry, 'execute_tool web_search',
                {'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'web_search',
                 'gen_ai.tool.call.arguments': json.dumps({'query': q}), 'gen_ai.tool.call.result': 'found ' + q})
    export([chat, tool, span(trace, parent, 'agent.handle', {'app.question': q}, sid=entry, start=t0)])
    if q == 'foreign':
        export([span(rid(16), '', 'background job', {})], service='other-svc')
    print(json.dumps({'output': 'answer to ' + q}), flush=True)
    if q == 'late':
        time.sleep(0.3)
        export([span(trace, entry, 'late.flush', {})])
)py";

struct Stored {
  std::vector<Span> spans;
  std::map<std::string, const Span*> by_id;
};

TEST(AppSpansCli, AppSpansNestUnderTheTargetSpanLateOnesToo) {
  CliProject project;
  project.Write("q.csv", "question\nplain\nlate\nforeign\n");
  project.Write("app.py", kApp);
  project.Write("llmeval.yaml",
                "dataset: q.csv\nconcurrency: 1\ntargets:\n  agent:\n    kind: command\n"
                "    command: [python3, app.py]\n    span_grace: 2s\n");
  CommandResult r = project.Run({"run", "--target", "agent"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 3   errors 0"));

  Result<std::unique_ptr<Store>> store = Store::Open(project.Path(".llmeval/llmeval.db"));
  ASSERT_TRUE(store.ok()) << store.status().message();
  Result<std::vector<SpanRow>> rows = (*store)->RunSpans(1);
  ASSERT_TRUE(rows.ok());
  Result<std::vector<Span>> spans = SpansFromRows(*rows);
  ASSERT_TRUE(spans.ok());
  std::map<std::string, const Span*> by_id;
  for (const Span& s : *spans) by_id[s.span_id.Hex()] = &s;
  int app_spans = 0, late = 0;
  for (const Span& s : *spans) {
    const std::string* service = FindString(s.attributes, "service.name");
    if (service == nullptr) continue;
    ++app_spans;
    EXPECT_EQ(*service, "shop-agent");
    if (s.name == "late.flush") ++late;
    // Every app span hangs, through the app's entry span, under the item's invoke_agent span of the same trace.
    const Span* up = &s;
    while (up != nullptr && up->name.rfind("invoke_agent", 0) != 0) {
      auto it = by_id.find(up->parent_span_id.Hex());
      up = it != by_id.end() ? it->second : nullptr;
    }
    ASSERT_NE(up, nullptr) << s.name << " is not under the target span";
    EXPECT_EQ(up->trace_id.Hex(), s.trace_id.Hex());
  }
  EXPECT_EQ(app_spans, 3 * 3 + 1);  // Entry, chat and tool per item, and the late span.
  EXPECT_EQ(late, 1);

  // The foreign trace is a collected trace of its own, not part of the run.
  CommandResult collected = project.Run({"traces", "list", "--collected"});
  ASSERT_EQ(collected.exit_code, 0) << collected.err;
  EXPECT_THAT(collected.out, HasSubstr("other-svc"));
  EXPECT_THAT(collected.out, HasSubstr("background job"));

  // The waterfall shows the app's spans nested and marked.
  Result<std::vector<SpanRow>> roots = (*store)->RootSpans(1, false, false, 10, "", "");
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 3u);
  CommandResult shown = project.Run({"trace", "show", roots->at(0).trace_id, "--width", "160"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("[shop-agent] agent.handle"));
  EXPECT_THAT(shown.out, HasSubstr("[shop-agent] execute_tool web_search"));
}

// A span that comes later than the target's span_grace after the answer does not join the item's trace: it is stored
// as a collected span (no run), while the run goes on with the next item.
TEST(AppSpansCli, SpanLaterThanTheGraceIsStoredAsCollected) {
  CliProject project;
  project.Write("q.csv", "question\nlate\nplain\n");
  std::string app = kApp;
  app.replace(app.find("time.sleep(0.3)"), std::string("time.sleep(0.3)").size(), "time.sleep(1.0)");
  project.Write("app.py", app);
  project.Write("llmeval.yaml",
                "dataset: q.csv\nconcurrency: 1\ntargets:\n  agent:\n    kind: command\n"
                "    command: [python3, app.py]\n    span_grace: 200ms\n");
  CommandResult r = project.Run({"run", "--target", "agent"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  Result<std::unique_ptr<Store>> store = Store::Open(project.Path(".llmeval/llmeval.db"));
  ASSERT_TRUE(store.ok());
  auto q = (*store)->db()->Prepare("SELECT run_id IS NULL, service_name FROM spans WHERE name = 'late.flush'");
  ASSERT_TRUE(q.ok());
  Result<bool> row = (*q)->Step();
  ASSERT_TRUE(row.ok() && *row) << "the late span was not stored at all";
  EXPECT_EQ((*q)->Int(0), 1) << "a span later than the grace joined the run";
  EXPECT_EQ((*q)->Text(1), "shop-agent");
  Result<std::vector<SpanRow>> rows = (*store)->RunSpans(1);
  ASSERT_TRUE(rows.ok());
  int app_spans = 0;
  for (const SpanRow& s : *rows) app_spans += s.attributes_json.find("shop-agent") != std::string::npos;
  EXPECT_EQ(app_spans, 2 * 3);
}

// The scorers see the app's inside: its reply carries no tool calls and no usage, but its spans do (GenAI names for
// the tool, OpenInference names for the model call).
TEST(AppSpansCli, ScorersSeeToolAndModelCallsFromTheAppsSpans) {
  CliProject project;
  project.Write("q.csv", "question\nplain\nlate\n");
  project.Write("app.py", kApp);
  project.Write("oi_app.py",
                std::string(kApp).substr(0, std::string(kApp).find("for line in sys.stdin:")) +
                    "for line in sys.stdin:\n"
                    "    r = json.loads(line)\n"
                    "    _, trace, parent, _ = r['traceparent'].split('-')\n"
                    "    export([span(trace, parent, 'llm', {'openinference.span.kind': 'LLM', 'llm.model_name': 'm',\n"
                    "                 'llm.token_count.prompt': 40, 'llm.token_count.completion': 2})])\n"
                    "    print(json.dumps({'output': 'ok'}), flush=True)\n");
  project.Write("llmeval.yaml",
                "dataset: q.csv\nconcurrency: 2\ntargets:\n"
                "  agent:\n    kind: command\n    command: [python3, app.py]\n    span_grace: 1s\n"
                "  oi:\n    kind: command\n    command: [python3, oi_app.py]\n    span_grace: 1s\n"
                "scorers:\n"
                "  - {name: searched, type: tool_called, tool: web_search, min: 1, max: 1}\n"
                "  - {name: searched_question, type: tool_args_match, tool: web_search, args: {query: plain}}\n"
                "  - {name: few_input_tokens, type: token_count_max, max: 20, which: input}\n");
  CommandResult r = project.Run({"run", "--target", "agent,oi"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  CommandResult exported = project.Run({"runs", "export", "1", "--format", "jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  int agent_searched = 0, agent_args = 0, oi_tokens_failed = 0, agent_tokens_passed = 0;
  std::string line;
  std::istringstream lines(exported.out);
  while (std::getline(lines, line)) {
    const bool agent = line.find("\"model\":\"agent\"") != std::string::npos;
    auto outcome = [&](const std::string& name) {
      size_t at = line.find("\"name\":\"" + name + "\"");
      if (at == std::string::npos) return std::string();
      size_t o = line.find("\"outcome\":\"", at);
      return line.substr(o + 11, line.find('"', o + 11) - o - 11);
    };
    if (agent && outcome("searched") == "pass") ++agent_searched;
    if (agent && line.find("plain") != std::string::npos && outcome("searched_question") == "pass") ++agent_args;
    if (agent && outcome("few_input_tokens") == "pass") ++agent_tokens_passed;  // 11 tokens from the chat span.
    if (!agent && outcome("few_input_tokens") == "fail") ++oi_tokens_failed;    // 40 from llm.token_count.prompt.
  }
  EXPECT_EQ(agent_searched, 2) << exported.out;
  EXPECT_EQ(agent_args, 1) << exported.out;
  EXPECT_EQ(agent_tokens_passed, 2) << exported.out;
  EXPECT_EQ(oi_tokens_failed, 2) << exported.out;
}

// An app that exports its spans only after it has answered (as a batching exporter does): with wait_for_spans the
// scorers of every item, the first one too, see its tool call; without it the first item is scored before they come.
TEST(AppSpansCli, WaitForSpansLetsTheFirstItemSeeSpansSentAfterTheAnswer) {
  CliProject project;
  project.Write("q.csv", "question\nplain\n");
  std::string app = kApp;
  const std::string exporting =
      "    export([chat, tool, span(trace, parent, 'agent.handle', {'app.question': q}, sid=entry, start=t0)])\n";
  size_t at = app.find(exporting);
  ASSERT_NE(at, std::string::npos);
  app.erase(at, exporting.size());
  const std::string answering = "    print(json.dumps({'output': 'answer to ' + q}), flush=True)\n";
  at = app.find(answering);
  ASSERT_NE(at, std::string::npos);
  app.insert(at + answering.size(), "    time.sleep(0.2)\n" + exporting);
  project.Write("app.py", app);
  for (bool wait : {true, false}) {
    project.Write("llmeval.yaml", std::string("dataset: q.csv\ntargets:\n  agent:\n    kind: command\n") +
                                      "    command: [python3, app.py]\n    span_grace: 2s\n    wait_for_spans: " +
                                      (wait ? "true" : "false") +
                                      "\nscorers:\n  - {name: searched, type: tool_called, tool: web_search}\n");
    CommandResult r = project.Run({"run", "--target", "agent"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_THAT(r.out, HasSubstr(wait ? "searched                            1      0"
                                      : "searched                            0      1"))
        << r.out;
  }
}

// A bad span_grace is a config error with its position, a bad LLMEVAL_OTLP_PORT bad input; neither writes anything.
TEST(AppSpansCli, BadGraceOrOtlpPortIsRefusedBeforeAnythingIsWritten) {
  CliProject project;
  project.Write("q.csv", "question\nplain\n");
  project.Write("app.py", kApp);
  project.Write("llmeval.yaml",
                "dataset: q.csv\ntargets:\n  agent:\n    kind: command\n    command: [python3, app.py]\n"
                "    span_grace: soon\n");
  project.ExpectRefused({"run", "--target", "agent"},
                        "llmeval.yaml:6:17: targets.agent.span_grace: expected a duration such as 2s or 500ms");
  project.Write("llmeval.yaml",
                "dataset: q.csv\ntargets:\n  agent:\n    kind: command\n    command: [python3, app.py]\n");
  CommandResult r = project.Run({"run", "--target", "agent"}, {"LLMEVAL_OTLP_PORT=70000"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("LLMEVAL_OTLP_PORT: expected a port number (1-65535), got '70000'"));
  EXPECT_FALSE(project.HasStore());
}

// A loopback port that was free a moment ago.
int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// The example's agent application (examples/se-exam/app/agent_app.py) behind an HTTP target: the sim server is its
// model, it calls the web-search tool over the offline corpus, and its spans (given LLMEVAL_OTLP_PORT) nest under the
// item's target span; the target's URL takes the app's port from ${AGENT_APP_PORT}.
TEST(AppSpansCli, ExampleAgentAppOverHttpShowsItsSpansInTheTrace) {
  CliProject project;
  std::filesystem::copy(SourceDir() + "/examples/se-exam/app", project.Path("app"));
  std::filesystem::copy(SourceDir() + "/examples/se-exam/tools", project.Path("tools"));
  project.Write("q.csv", "question\nWhat is a unit test?\nWho created Linux?\n");
  ChildProcess sim({LLMEVAL_BINARY, "sim-server", "--port", "0", "--exit-after", "60"});
  std::string sim_port = sim.ReadLine();
  ASSERT_FALSE(sim_port.empty());
  std::string otlp_port = std::to_string(FreeLoopbackPort());
  ChildProcess app({"/usr/bin/env", "python3", project.Path("app/agent_app.py"), "--model-url",
                    "http://127.0.0.1:" + sim_port + "/v1", "--exit-after", "60"},
                   project.dir(), {"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + otlp_port});
  std::string app_port = app.ReadLine();
  ASSERT_FALSE(app_port.empty());
  project.Write("llmeval.yaml",
                "dataset: q.csv\ntargets:\n  agent_app:\n    kind: http\n"
                "    url: http://127.0.0.1:${AGENT_APP_PORT}/answer\n"
                "    body: {question: \"{question}\"}\n"
                "    response: {answer: /answer, tool_calls: /tool_calls, input_tokens: /usage/prompt_tokens, "
                "output_tokens: /usage/completion_tokens}\n"
                "scorers:\n  - {name: searched, type: tool_called, tool: web_search, min: 1}\n");
  CommandResult r =
      project.Run({"run", "--target", "agent_app"}, {"AGENT_APP_PORT=" + app_port, "LLMEVAL_OTLP_PORT=" + otlp_port});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("items 2   errors 0"));
  EXPECT_THAT(r.out, HasSubstr("searched                            2      0"));
  Result<std::unique_ptr<Store>> store = Store::Open(project.Path(".llmeval/llmeval.db"));
  ASSERT_TRUE(store.ok());
  Result<std::vector<SpanRow>> roots = (*store)->RootSpans(1, false, false, 10, "", "");
  ASSERT_TRUE(roots.ok());
  ASSERT_EQ(roots->size(), 2u);
  CommandResult shown = project.Run({"trace", "show", roots->at(0).trace_id, "--width", "160"});
  EXPECT_THAT(shown.out, HasSubstr("[se-exam-agent] POST /answer"));
  EXPECT_THAT(shown.out, HasSubstr("[se-exam-agent] chat sim"));
  EXPECT_THAT(shown.out, HasSubstr("[se-exam-agent] execute_tool web_search"));
  // The tool calls its reply lists are not drawn a second time beside the app's own tool spans.
  EXPECT_THAT(shown.out, Not(HasSubstr("\u2500 execute_tool web_search")));
}

}  // namespace
}  // namespace llmeval::testing
