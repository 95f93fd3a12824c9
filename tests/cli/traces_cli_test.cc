// End-to-end tests of the stored traces through the real binary: an agent run with a command tool and judges, then
// `trace show --json` and `traces export` checked for parent/child links and nested times; `traces list` filters and
// ordering; and `traces export --otlp-endpoint` pushing to a loopback OTLP/HTTP receiver.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_project.h"
#include "otlp/otlp_receiver.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct JsonSpan {
  std::string trace_id, span_id, parent, name, purpose;
  uint64_t start = 0, end = 0;
  std::map<std::string, std::string> strings;  // String attributes.
};

uint64_t ParseNanos(std::string_view text) {
  uint64_t n = 0;
  for (char c : text) n = n * 10 + static_cast<uint64_t>(c - '0');
  return n;
}

// Every span of every ExportTraceServiceRequest in `jsonl` (one per line).
std::vector<JsonSpan> ParseOtlpLines(const std::string& jsonl) {
  std::vector<JsonSpan> out;
  simdjson::dom::parser parser;
  std::istringstream lines(jsonl);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    simdjson::dom::element root;
    EXPECT_EQ(parser.parse(line).get(root), simdjson::SUCCESS);
    for (simdjson::dom::element rs : root["resourceSpans"].get_array()) {
      for (simdjson::dom::element ss : rs["scopeSpans"].get_array()) {
        for (simdjson::dom::element s : ss["spans"].get_array()) {
          JsonSpan span;
          span.trace_id = std::string(s["traceId"].get_string().value());
          span.span_id = std::string(s["spanId"].get_string().value());
          std::string_view parent;
          if (s["parentSpanId"].get(parent) == simdjson::SUCCESS) span.parent = std::string(parent);
          span.name = std::string(s["name"].get_string().value());
          span.start = ParseNanos(s["startTimeUnixNano"].get_string().value());
          span.end = ParseNanos(s["endTimeUnixNano"].get_string().value());
          simdjson::dom::array attributes;
          if (s["attributes"].get(attributes) == simdjson::SUCCESS) {
            for (simdjson::dom::element kv : attributes) {
              std::string_view value;
              if (kv["value"]["stringValue"].get(value) == simdjson::SUCCESS) {
                span.strings[std::string(kv["key"].get_string().value())] = std::string(value);
              }
            }
          }
          span.purpose = span.strings["llmeval.call.purpose"];
          out.push_back(std::move(span));
        }
      }
    }
  }
  return out;
}

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Checks the trace topology and time nesting of `spans` (any number of traces). Returns the number of traces.
size_t CheckNesting(const std::vector<JsonSpan>& spans, bool expect_agent) {
  std::map<std::pair<std::string, std::string>, const JsonSpan*> by_id;
  std::map<std::string, int> roots;
  for (const JsonSpan& s : spans) {
    EXPECT_TRUE(by_id.emplace(std::make_pair(s.trace_id, s.span_id), &s).second) << "duplicate span " << s.span_id;
    EXPECT_LE(s.start, s.end) << s.name;
    if (s.parent.empty()) ++roots[s.trace_id];
  }
  for (const auto& [trace, n] : roots) EXPECT_EQ(n, 1) << "trace " << trace << " has " << n << " roots";
  std::map<std::string, int> tools_per_trace, judges_per_trace;
  for (const JsonSpan& s : spans) {
    if (s.parent.empty()) {
      EXPECT_TRUE(StartsWith(s.name, "eval_item ")) << s.name;
      continue;
    }
    auto it = by_id.find({s.trace_id, s.parent});
    if (it == by_id.end()) {
      ADD_FAILURE() << s.name << " has a parent " << s.parent << " missing from its trace";
      continue;
    }
    const JsonSpan& parent = *it->second;
    EXPECT_GE(s.start, parent.start) << s.name << " starts before its parent " << parent.name;
    EXPECT_LE(s.end, parent.end) << s.name << " ends after its parent " << parent.name;
    if (StartsWith(s.name, "invoke_agent ") || StartsWith(s.name, "score ")) {
      EXPECT_TRUE(parent.parent.empty()) << s.name << " is not under the root";
    }
    if (StartsWith(s.name, "execute_tool ")) {
      EXPECT_TRUE(StartsWith(parent.name, "invoke_agent ")) << s.name << " under " << parent.name;
      ++tools_per_trace[s.trace_id];
    }
    if (StartsWith(s.name, "chat ") && s.purpose == "subject") {
      if (expect_agent) {
        EXPECT_TRUE(StartsWith(parent.name, "invoke_agent ")) << s.name << " under " << parent.name;
      } else {
        EXPECT_TRUE(parent.parent.empty()) << s.name << " under " << parent.name;
      }
    }
    if (StartsWith(s.name, "chat ") && s.purpose == "judge") {
      EXPECT_TRUE(StartsWith(parent.name, "score ")) << s.name << " under " << parent.name;
      ++judges_per_trace[s.trace_id];
    }
  }
  for (const auto& [trace, n] : roots) {
    if (expect_agent) {
      EXPECT_GE(tools_per_trace[trace], 1) << "no execute_tool span in " << trace;
    }
    EXPECT_GE(judges_per_trace[trace], 1) << "no judge chat span in " << trace;
  }
  return roots.size();
}

// The scratch project with a command tool (a shell script reading JSON arguments on stdin) and a broken provider.
void AddAgentTool(const CliProject& project) {
  project.Write("tools/lookup.sh",
                "#!/bin/sh\n"
                "args=$(cat)\n"
                "echo \"1. [Lookup result](https://example.com/doc) - looked up: $args\"\n");
  std::string config = ReadFile(project.Path("llmeval.yaml"));
  config +=
      "tools:\n"
      "  lookup:\n"
      "    kind: command\n"
      "    description: Look a topic up and return links.\n"
      "    parameters:\n"
      "      type: object\n"
      "      properties:\n"
      "        query: {type: string, description: The search query.}\n"
      "      required: [query]\n"
      "    command: [sh, tools/lookup.sh]\n"
      "    timeout_ms: 10000\n"
      "providers:\n"
      "  broken:\n"
      "    base_url: http://127.0.0.1:1/v1\n"
      "    max_attempts: 1\n";
  project.Write("llmeval.yaml", config);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

class TracesCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    project_ = new CliProject();
    AddAgentTool(*project_);
    CommandResult agent = project_->Run({"run", "--tools", "lookup", "--limit", "4", "--quiet"});
    ASSERT_EQ(agent.exit_code, 0) << agent.err << agent.out;
    CommandResult broken = project_->Run({"run", "--model", "broken:m", "--limit", "3", "--quiet"});
    ASSERT_NE(broken.exit_code, 3) << broken.err;  // Item errors are recorded; the run itself completes.
  }
  static void TearDownTestSuite() {
    delete project_;
    project_ = nullptr;
  }
  static CliProject* project_;
};

CliProject* TracesCli::project_ = nullptr;

TEST_F(TracesCli, ExportedAgentTracesNestChildrenInsideTheirParents) {
  CommandResult exported = project_->Run({"traces", "export", "--run", "1", "--format", "otlp-json"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(Lines(exported.out).size(), 4u);  // One line per trace.
  std::vector<JsonSpan> spans = ParseOtlpLines(exported.out);
  EXPECT_EQ(CheckNesting(spans, /*expect_agent=*/true), 4u);
  bool tool_output_seen = false;
  for (const JsonSpan& s : spans) {
    auto result = s.strings.find("gen_ai.tool.call.result");
    if (StartsWith(s.name, "execute_tool lookup") && result != s.strings.end() &&
        result->second.find("looked up:") != std::string::npos) {
      tool_output_seen = true;
    }
  }
  EXPECT_TRUE(tool_output_seen) << "the command tool's stdout is not on any execute_tool span";
}

TEST_F(TracesCli, TraceShowJsonGivesTheSameNestedTree) {
  CommandResult list = project_->Run({"traces", "list", "--run", "1"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::vector<std::string> lines = Lines(list.out);
  ASSERT_EQ(lines.size(), 5u);
  std::string trace_id = lines[1].substr(0, 32);
  CommandResult shown = project_->Run({"trace", "show", trace_id, "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::vector<JsonSpan> spans = ParseOtlpLines(shown.out);
  EXPECT_EQ(CheckNesting(spans, /*expect_agent=*/true), 1u);
  for (const JsonSpan& s : spans) EXPECT_EQ(s.trace_id, trace_id);
}

TEST_F(TracesCli, StatusErrorListsOnlyFailedItemsAndSlowestOrdersByDuration) {
  CommandResult errors = project_->Run({"traces", "list", "--status", "error"});
  ASSERT_EQ(errors.exit_code, 0) << errors.err;
  std::vector<std::string> lines = Lines(errors.out);
  ASSERT_EQ(lines.size(), 4u) << errors.out;  // Header plus the broken run's three items.
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_THAT(lines[i], HasSubstr(" error ")) << lines[i];
    std::istringstream fields(lines[i]);
    std::string trace, run;
    fields >> trace >> run;
    EXPECT_EQ(run, "2") << lines[i];
  }
  CommandResult none = project_->Run({"traces", "list", "--run", "1", "--status", "error"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_EQ(Lines(none.out).size(), 1u) << none.out;

  CommandResult slowest = project_->Run({"traces", "list", "--slowest", "5"});
  ASSERT_EQ(slowest.exit_code, 0) << slowest.err;
  lines = Lines(slowest.out);
  ASSERT_EQ(lines.size(), 6u) << slowest.out;
  double previous = 1e300;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::istringstream fields(lines[i]);
    std::string trace, run, duration;
    fields >> trace >> run >> duration;
    ASSERT_EQ(duration.substr(duration.size() - 2), "ms") << lines[i];
    double ms = std::stod(duration.substr(0, duration.size() - 2));
    EXPECT_LE(ms, previous) << "not ordered slowest first:\n" << slowest.out;
    previous = ms;
  }
  CommandResult bad = project_->Run({"traces", "list", "--status", "ok"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(TracesCli, OtlpEndpointPushDeliversEverySpanWithHeadersAndRetriesA503) {
  OtlpReceiver receiver;
  ASSERT_NE(receiver.port(), 0);
  receiver.Script({{503, "{}", {{"Retry-After", "0.01"}}}});
  const std::string secret = "sk-otlp-PLANTED-0123456789";
  CommandResult pushed =
      project_->Run({"traces", "export", "--run", "1", "--otlp-endpoint", receiver.BaseUrl()},
                    {"OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20" + secret + ",x-tenant=acme"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err << pushed.out;
  EXPECT_THAT(pushed.out, HasSubstr("pushed 4 traces"));
  EXPECT_THAT(pushed.out, HasSubstr("1 retries, 0 failures"));
  EXPECT_THAT(pushed.out + pushed.err, Not(HasSubstr(secret)));

  std::vector<ReceivedRequest> requests = receiver.requests();
  ASSERT_GE(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, requests[1].body);  // The 503'd body is sent again.
  std::set<std::string> received;
  for (size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].path, "/v1/traces");
    EXPECT_EQ(requests[i].Header("Content-Type"), "application/json");
    EXPECT_EQ(requests[i].Header("Authorization"), "Bearer " + secret);
    EXPECT_EQ(requests[i].Header("x-tenant"), "acme");
    for (const JsonSpan& s : ParseOtlpLines(requests[i].body)) received.insert(s.trace_id + "/" + s.span_id);
  }
  CommandResult file = project_->Run({"traces", "export", "--run", "1", "--format", "otlp-json"});
  ASSERT_EQ(file.exit_code, 0);
  std::set<std::string> expected;
  for (const JsonSpan& s : ParseOtlpLines(file.out)) expected.insert(s.trace_id + "/" + s.span_id);
  EXPECT_EQ(received, expected);
}

TEST_F(TracesCli, OtlpEnvironmentEndpointIsUsedWhenNoFormatIsGiven) {
  OtlpReceiver receiver;
  CommandResult pushed = project_->Run({"traces", "export", "--run", "2"},
                                       {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=" + receiver.BaseUrl() + "/custom"});
  ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  EXPECT_THAT(pushed.out, HasSubstr("pushed 3 traces"));
  std::vector<ReceivedRequest> requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/custom");  // The traces endpoint is used as is.
}

TEST_F(TracesCli, OtlpPushThatKeepsFailingExitsThreeWithoutLeakingHeaders) {
  OtlpReceiver receiver;
  const std::string secret = "sk-otlp-PLANTED-9876543210";
  receiver.Script({{401, "{\"error\":\"bad key " + secret + "\"}", {}}});
  CommandResult pushed = project_->Run({"traces", "export", "--run", "1", "--otlp-endpoint", receiver.BaseUrl()},
                                       {"OTEL_EXPORTER_OTLP_HEADERS=api-key=" + secret});
  EXPECT_EQ(pushed.exit_code, 3) << pushed.err;
  EXPECT_THAT(pushed.err, HasSubstr("HTTP 401"));
  EXPECT_THAT(pushed.err, HasSubstr("not delivered"));
  EXPECT_THAT(pushed.out + pushed.err, Not(HasSubstr(secret)));
  EXPECT_EQ(receiver.requests().size(), 1u);  // 401 is not retried.

  CommandResult bad = project_->Run({"traces", "export", "--otlp-endpoint", "localhost:4318"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("http://"));
}

}  // namespace
}  // namespace llmeval::testing
