// McpClient and mcp tools in ToolExecutor: against a small scripted MCP server (python3; paged tools/list, isError,
// a hanging tool, a crashing tool, a server-to-client ping) and against the reference server
// @modelcontextprotocol/server-everything run with node (installed by scripts/install-mcp-test-server.sh; skipped
// when node or the package is absent).
#include "engine/tools/mcp_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/tools/tool_executor.h"
#include "testing/test_util.h"

namespace llmeval {
namespace {

using testing::ScratchDir;
using testing::WriteFile;

constexpr const char* kFakeServer = R"PY(
import json, sys
def send(m):
    sys.stdout.write(json.dumps(m) + "\n"); sys.stdout.flush()
sys.stderr.write("fake server starting\n"); sys.stderr.flush()
tools = [{"name": "echo", "description": "Echoes", "inputSchema": {"type": "object",
          "properties": {"message": {"type": "string"}}, "required": ["message"]}},
         {"name": "fail", "description": "Fails", "inputSchema": {"type": "object"}},
         {"name": "hang", "description": "Never answers", "inputSchema": {"type": "object"}},
         {"name": "crash", "description": "Exits", "inputSchema": {"type": "object"}},
         {"name": "ping_first", "description": "Pings the client first", "inputSchema": {"type": "object"}}]
for line in sys.stdin:
    m = json.loads(line)
    method, mid = m.get("method"), m.get("id")
    if method == "initialize":
        send({"jsonrpc": "2.0", "method": "notifications/message", "params": {"level": "info", "data": "hi"}})
        send({"jsonrpc": "2.0", "id": mid, "result": {"protocolVersion": m["params"]["protocolVersion"],
              "capabilities": {"tools": {}}, "serverInfo": {"name": "fake", "version": "1"}}})
    elif method == "tools/list":
        cursor = (m.get("params") or {}).get("cursor")
        if cursor is None:
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": tools[:2], "nextCursor": "p2"}})
        else:
            send({"jsonrpc": "2.0", "id": mid, "result": {"tools": tools[2:]}})
    elif method == "tools/call":
        name, args = m["params"]["name"], m["params"].get("arguments", {})
        if name == "echo":
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": [{"type": "text", "text": "Echo: " +
                  args.get("message", "")}, {"type": "text", "text": "done"}]}})
        elif name == "fail":
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": [{"type": "text", "text": "it broke"}],
                  "isError": True}})
        elif name == "hang":
            pass
        elif name == "crash":
            sys.stderr.write("fatal: crashing on purpose\n"); sys.stderr.flush()
            sys.exit(1)
        elif name == "ping_first":
            send({"jsonrpc": "2.0", "id": "srv-1", "method": "ping"})
            reply = json.loads(sys.stdin.readline())
            ok = reply.get("id") == "srv-1" and reply.get("result") == {}
            send({"jsonrpc": "2.0", "id": mid, "result": {"content": [{"type": "text",
                  "text": "pong ok" if ok else "pong bad"}]}})
        else:
            send({"jsonrpc": "2.0", "id": mid, "error": {"code": -32602, "message": "Unknown tool: " + name}})
)PY";

bool HavePython() { return access("/usr/bin/python3", X_OK) == 0; }

McpServerOptions FakeOptions(const ScratchDir& dir) {
  WriteFile(dir.Path("server.py"), kFakeServer);
  McpServerOptions o;
  o.name = "fake";
  o.argv = {"python3", dir.Path("server.py")};
  o.call_timeout_ms = 5000;
  o.startup_timeout_ms = 10000;
  return o;
}

TEST(McpClientTest, ListsToolsAcrossPagesAndCallsThem) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed";
  ScratchDir dir;
  McpClient client(FakeOptions(dir));
  Result<std::vector<ToolSpec>> tools = client.ListTools();
  ASSERT_TRUE(tools.ok()) << tools.status().message();
  ASSERT_EQ(tools->size(), 5u);
  EXPECT_EQ((*tools)[0].name, "echo");
  EXPECT_EQ((*tools)[0].description, "Echoes");
  EXPECT_NE((*tools)[0].parameters_schema_json.find("\"message\""), std::string::npos);
  EXPECT_EQ((*tools)[4].name, "ping_first");

  McpCallResult echo = client.CallTool("echo", "{\"message\":\"hello\"}");
  EXPECT_FALSE(echo.failed);
  EXPECT_EQ(echo.text, "Echo: hello\ndone");
  McpCallResult fail = client.CallTool("fail", "{}");
  EXPECT_TRUE(fail.failed);
  EXPECT_EQ(fail.error_type, "tool_error");
  EXPECT_EQ(fail.text, "it broke");
  McpCallResult unknown = client.CallTool("nope", "{}");
  EXPECT_TRUE(unknown.failed);
  EXPECT_EQ(unknown.error_type, "rpc_error");
  EXPECT_NE(unknown.text.find("Unknown tool: nope"), std::string::npos);
  McpCallResult ping = client.CallTool("ping_first", "{}");
  EXPECT_EQ(ping.text, "pong ok");
  EXPECT_EQ(client.starts(), 1);
  EXPECT_NE(client.StderrTail().find("fake server starting"), std::string::npos);
}

TEST(McpClientTest, ConcurrentCallsShareOneServer) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed";
  ScratchDir dir;
  McpClient client(FakeOptions(dir));
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = client.CallTool("echo", "{\"message\":\"m" + std::to_string(i) + "\"}").text; });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i], "Echo: m" + std::to_string(i) + "\ndone");
  EXPECT_EQ(client.starts(), 1);
}

TEST(McpClientTest, TimeoutFailsTheCallAndTheServerStaysUsable) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed";
  ScratchDir dir;
  McpServerOptions o = FakeOptions(dir);
  o.call_timeout_ms = 200;
  McpClient client(o);
  McpCallResult hang = client.CallTool("hang", "{}");
  EXPECT_TRUE(hang.failed);
  EXPECT_EQ(hang.error_type, "timeout");
  EXPECT_EQ(client.CallTool("echo", "{\"message\":\"still\"}").text, "Echo: still\ndone");
  EXPECT_EQ(client.starts(), 1);
}

TEST(McpClientTest, CrashFailsTheCallAndTheNextCallRestarts) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed";
  ScratchDir dir;
  McpClient client(FakeOptions(dir));
  McpCallResult crash = client.CallTool("crash", "{}");
  EXPECT_TRUE(crash.failed);
  EXPECT_EQ(crash.error_type, "server_exited");
  EXPECT_NE(crash.text.find("crashing on purpose"), std::string::npos) << crash.text;
  McpCallResult after = client.CallTool("echo", "{\"message\":\"again\"}");
  EXPECT_FALSE(after.failed) << after.text;
  EXPECT_EQ(after.text, "Echo: again\ndone");
  EXPECT_EQ(client.starts(), 2);
}

TEST(McpClientTest, MissingProgramFailsToStart) {
  McpServerOptions o;
  o.name = "ghost";
  o.argv = {"/nonexistent/mcp-server"};
  McpClient client(o);
  Result<std::vector<ToolSpec>> tools = client.ListTools();
  ASSERT_FALSE(tools.ok());
  EXPECT_NE(tools.status().message().find("mcp server 'ghost'"), std::string::npos);
  McpCallResult r = client.CallTool("echo", "{}");
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error_type, "start_failed");
}

TEST(McpToolExecutorTest, ImportsRestrictedToolsAndRoutesCalls) {
  if (!HavePython()) GTEST_SKIP() << "python3 is not installed";
  ScratchDir dir;
  WriteFile(dir.Path("server.py"), kFakeServer);
  ToolSettings t;
  t.name = "fake";
  t.kind = "mcp";
  t.command = {"python3", dir.Path("server.py")};
  t.mcp_tools = {"echo", "crash"};
  ToolSettings cmd;
  cmd.name = "cat";
  cmd.kind = "command";
  cmd.command = {"cat"};
  ToolExecutor tools({t, cmd}, dir.path());
  Result<std::vector<ToolSpec>> specs = tools.Specs({"fake", "cat"});
  ASSERT_TRUE(specs.ok()) << specs.status().message();
  ASSERT_EQ(specs->size(), 3u);
  EXPECT_EQ((*specs)[0].name, "echo");
  EXPECT_EQ((*specs)[1].name, "crash");
  EXPECT_EQ((*specs)[2].name, "cat");
  ToolCall call{"c1", "echo", "{\"message\":\"routed\"}"};
  ToolOutcome r = tools.Execute(call);
  EXPECT_FALSE(r.failed) << r.text;
  EXPECT_EQ(r.text, "Echo: routed\ndone");
  EXPECT_EQ(tools.Execute({"c2", "fail", "{}"}).error_type, "unknown_tool");  // Not offered.
  EXPECT_EQ(tools.Execute({"c3", "fake", "{}"}).error_type, "unknown_tool");  // The server is not a tool.

  ToolSettings wrong = t;
  wrong.mcp_tools = {"echo", "missing"};
  Result<std::vector<ToolSpec>> bad = ToolExecutor({wrong}, dir.path()).Specs({"fake"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no tool 'missing'"), std::string::npos);
}

// The reference server from the npm registry, run with node directly (no network at test time).
std::string EverythingServerScript() {
  const char* env = std::getenv("LLMEVAL_MCP_TEST_SERVER_DIR");
  std::string dir = env != nullptr ? env : std::string(LLMEVAL_SOURCE_DIR) + "/build/mcp-test-server";
  std::string script = dir + "/node_modules/@modelcontextprotocol/server-everything/dist/index.js";
  return std::filesystem::exists(script) ? script : "";
}

bool HaveNode() { return testing::RunCommand({"/usr/bin/env", "node", "--version"}).exit_code == 0; }

TEST(McpEverythingServerTest, EchoAddAndUnknownTool) {
  if (!HaveNode()) GTEST_SKIP() << "node is not installed (scripts/install-deps.sh installs nodejs)";
  std::string script = EverythingServerScript();
  if (script.empty()) {
    GTEST_SKIP() << "@modelcontextprotocol/server-everything is not installed; run scripts/install-mcp-test-server.sh";
  }
  McpServerOptions o;
  o.name = "everything";
  o.argv = {"node", script, "stdio"};
  o.call_timeout_ms = 20000;
  o.startup_timeout_ms = 30000;
  McpClient client(o);
  Result<std::vector<ToolSpec>> tools = client.ListTools();
  ASSERT_TRUE(tools.ok()) << tools.status().message();
  bool has_echo = false;
  std::string add;  // "add" in older releases, "get-sum" in newer ones.
  for (const ToolSpec& t : *tools) {
    has_echo = has_echo || t.name == "echo";
    if (t.name == "add" || t.name == "get-sum") add = t.name;
  }
  EXPECT_TRUE(has_echo);
  ASSERT_FALSE(add.empty()) << "neither add nor get-sum is listed";

  McpCallResult echo = client.CallTool("echo", "{\"message\":\"hello mcp\"}");
  EXPECT_FALSE(echo.failed) << echo.text;
  EXPECT_NE(echo.text.find("hello mcp"), std::string::npos) << echo.text;
  McpCallResult sum = client.CallTool(add, "{\"a\":2,\"b\":40}");
  EXPECT_FALSE(sum.failed) << sum.text;
  EXPECT_NE(sum.text.find("42"), std::string::npos) << sum.text;
  McpCallResult unknown = client.CallTool("no_such_tool", "{}");
  EXPECT_TRUE(unknown.failed);
  EXPECT_NE(unknown.text.find("no_such_tool"), std::string::npos) << unknown.text;
}

}  // namespace
}  // namespace llmeval
