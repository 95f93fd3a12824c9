// End-to-end agent runs through the real binary: `llmeval run --tools ...` with a command tool, an mcp tool (the
// reference server-everything under node; skipped without it), failing and timing-out tools, and max_steps against
// a loopback OpenAI-compatible server that asks for a tool on every turn.
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_project.h"
#include "testing/test_util.h"

namespace llmeval::testing {
namespace {

using ::testing::HasSubstr;

struct ItemView {
  std::string output, error, finish_reason;
  int64_t tool_calls = 0;
};

std::vector<ItemView> ExportItems(const CliProject& project, const std::string& run) {
  std::vector<ItemView> items;
  CommandResult exported = project.Run({"runs", "export", run, "--format", "jsonl"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  simdjson::dom::parser parser;
  simdjson::dom::document_stream docs;
  if (parser.parse_many(exported.out).get(docs) != simdjson::SUCCESS) return items;
  for (auto doc : docs) {
    simdjson::dom::element item = doc.value();
    ItemView v;
    std::string_view s;
    if (item["output"].get_string().get(s) == simdjson::SUCCESS) v.output = std::string(s);
    if (item["error"].get_string().get(s) == simdjson::SUCCESS) v.error = std::string(s);
    if (item["finish_reason"].get_string().get(s) == simdjson::SUCCESS) v.finish_reason = std::string(s);
    if (item["tool_calls"].get_int64().get(v.tool_calls) != simdjson::SUCCESS) v.tool_calls = -1;
    items.push_back(v);
  }
  return items;
}

// The run's traces as OTLP/JSON text.
std::string ExportTraces(const CliProject& project, const std::string& run) {
  CommandResult r = project.Run({"traces", "export", "--run", run, "--format", "otlp-json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

void AddTools(CliProject* project, const std::string& tools_yaml) {
  std::string config = ReadFile(project->Path("llmeval.yaml"));
  project->Write("llmeval.yaml", config + "tools:\n" + tools_yaml);
}

constexpr const char* kLookupTool =
    "  lookup:\n"
    "    kind: command\n"
    "    description: Looks things up.\n"
    "    parameters:\n"
    "      type: object\n"
    "      properties:\n"
    "        query: {type: string}\n"
    "      required: [query]\n"
    "    command: [sh, -c, \"printf 'found: '; cat\"]\n";

TEST(CliAgent, CommandToolCallsAreTracedAndCounted) {
  CliProject project;
  AddTools(&project, kLookupTool);
  CommandResult r = project.Run({"run", "--quiet", "--tools", "lookup", "--limit", "3"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::vector<ItemView> items = ExportItems(project, "1");
  ASSERT_EQ(items.size(), 3u);
  int64_t calls = 0;
  for (const ItemView& item : items) {
    EXPECT_GE(item.tool_calls, 1);
    EXPECT_TRUE(item.error.empty()) << item.error;
    calls += item.tool_calls;
  }
  std::string traces = ExportTraces(project, "1");
  EXPECT_THAT(traces, HasSubstr("execute_tool lookup"));
  EXPECT_THAT(traces, HasSubstr("gen_ai.tool.call.arguments"));
  EXPECT_THAT(traces, HasSubstr("gen_ai.tool.call.result"));
  EXPECT_THAT(traces, HasSubstr("found: {"));
  CommandResult shown = project.Run({"runs", "show", "1"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("tool calls " + std::to_string(calls)));
}

TEST(CliAgent, FailingAndTimingOutToolsLetTheLoopGoOn) {
  CliProject project;
  AddTools(&project,
           "  broken:\n"
           "    kind: command\n"
           "    command: [sh, -c, \"echo no such index >&2; exit 7\"]\n"
           "  slow:\n"
           "    kind: command\n"
           "    command: [sleep, \"30\"]\n"
           "    timeout_ms: 100\n");
  for (const char* tool : {"broken", "slow"}) {
    CommandResult r = project.Run({"run", "--quiet", "--tools", tool, "--limit", "2", "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << tool << ": " << r.err << r.out;
  }
  for (const char* run : {"1", "2"}) {
    std::vector<ItemView> items = ExportItems(project, run);
    ASSERT_EQ(items.size(), 2u);
    for (const ItemView& item : items) {
      EXPECT_TRUE(item.error.empty()) << item.error;
      EXPECT_FALSE(item.output.empty());  // The model answered after the failed tool call.
      EXPECT_GE(item.tool_calls, 1);
    }
  }
  EXPECT_THAT(ExportTraces(project, "1"), HasSubstr("exited with status 7: no such index"));
  EXPECT_THAT(ExportTraces(project, "2"), HasSubstr("timed out after 100 ms"));
}

std::string EverythingServerScript() {
  const char* env = std::getenv("LLMEVAL_MCP_TEST_SERVER_DIR");
  std::string dir = env != nullptr ? env : std::string(LLMEVAL_SOURCE_DIR) + "/build/mcp-test-server";
  std::string script = dir + "/node_modules/@modelcontextprotocol/server-everything/dist/index.js";
  return std::filesystem::exists(script) ? script : "";
}

TEST(CliAgent, McpToolCallsGoToTheServer) {
  if (RunCommand({"/usr/bin/env", "node", "--version"}).exit_code != 0) GTEST_SKIP() << "node is not installed";
  std::string script = EverythingServerScript();
  if (script.empty()) {
    GTEST_SKIP() << "@modelcontextprotocol/server-everything is not installed; run scripts/install-mcp-test-server.sh";
  }
  CliProject project;
  AddTools(&project,
           "  everything:\n"
           "    kind: mcp\n"
           "    command: [node, \"" +
               script +
               "\", stdio]\n"
               "    tools: [echo]\n"
               "    timeout_ms: 20000\n");
  CommandResult r = project.Run({"run", "--quiet", "--tools", "everything", "--limit", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::vector<ItemView> items = ExportItems(project, "1");
  ASSERT_EQ(items.size(), 2u);
  for (const ItemView& item : items) EXPECT_GE(item.tool_calls, 1);
  std::string traces = ExportTraces(project, "1");
  EXPECT_THAT(traces, HasSubstr("execute_tool echo"));
  EXPECT_THAT(traces, HasSubstr("Echo: "));

  CommandResult wrong = project.Run({"run", "--quiet", "--tools", "echo", "--limit", "1"});
  EXPECT_EQ(wrong.exit_code, 2);  // Tools are enabled by their config entry (the server), not by imported names.
}

// An OpenAI-compatible endpoint whose model asks for `lookup` on every turn.
class LoopingModelServer {
 public:
  LoopingModelServer() {
    static std::once_flag once;
    std::call_once(once, [] { evthread_use_pthreads(); });
    base_ = event_base_new();
    http_ = evhttp_new(base_);
    evhttp_set_gencb(http_, &LoopingModelServer::Handle, this);
    evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(http_, "127.0.0.1", 0);
    sockaddr_in addr{};
    socklen_t len = sizeof(addr);
    getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    stop_ = event_new(
        base_, -1, 0, [](evutil_socket_t, short, void* b) { event_base_loopbreak(static_cast<event_base*>(b)); },
        base_);
    thread_ = std::thread([this] { event_base_loop(base_, EVLOOP_NO_EXIT_ON_EMPTY); });
  }
  ~LoopingModelServer() {
    event_active(stop_, EV_TIMEOUT, 0);  // Seen by the loop even if it has not started yet.
    thread_.join();
    event_free(stop_);
    evhttp_free(http_);
    event_base_free(base_);
  }
  int port() const { return port_; }
  int requests() const { return requests_.load(); }

 private:
  static void Handle(evhttp_request* req, void* arg) {
    auto* self = static_cast<LoopingModelServer*>(arg);
    int n = ++self->requests_;
    std::string body =
        "{\"id\":\"chatcmpl-" + std::to_string(n) +
        "\",\"object\":\"chat.completion\",\"model\":\"looper\","
        "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
        "\"call_" +
        std::to_string(n) +
        "\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":"
        "\"{\\\"query\\\":\\\"again\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}],"
        "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}";
    evbuffer* reply = evbuffer_new();
    evbuffer_add(reply, body.data(), body.size());
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evhttp_send_reply(req, 200, "OK", reply);
    evbuffer_free(reply);
  }

  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  event* stop_ = nullptr;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

TEST(CliAgent, MaxStepsEndsALoopingAgent) {
  LoopingModelServer server;
  CliProject project;
  std::string config = ReadFile(project.Path("llmeval.yaml"));
  project.Write("llmeval.yaml", config +
                                    "max_steps: 2\n"
                                    "providers:\n"
                                    "  looper:\n"
                                    "    base_url: http://127.0.0.1:" +
                                    std::to_string(server.port()) +
                                    "/v1\n"
                                    "tools:\n" +
                                    kLookupTool);
  CommandResult r = project.Run({"run", "--quiet", "--model", "looper:m", "--tools", "lookup", "--limit", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  std::vector<ItemView> items = ExportItems(project, "1");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].finish_reason, "max_steps");
  EXPECT_EQ(items[0].tool_calls, 2);
  EXPECT_THAT(ExportTraces(project, "1"), HasSubstr("max_steps"));
}

}  // namespace
}  // namespace llmeval::testing
