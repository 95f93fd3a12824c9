// McpClient: a client for one Model Context Protocol server that speaks JSON-RPC 2.0 over stdio (newline-delimited
// messages), e.g. `npx -y @modelcontextprotocol/server-everything`. The server process is started lazily on the first
// ListTools or CallTool, with `initialize` (protocol 2025-06-18, falling back to what the server answers), then
// `notifications/initialized`. Calls from many threads share the process: each request has its own id and waits for
// its own response, up to a per-call timeout (a late answer is dropped and the server is told with
// `notifications/cancelled`). Server-to-client requests are answered (`ping` with {}, anything else with "method not
// found"); notifications are ignored. The server's stderr is kept (the last few KB) and quoted in failures, never
// logged. When the server exits or crashes, the calls waiting on it fail and the next call starts a new process.
//
// Thread-safety: every public method may be called from any thread. The destructor closes the server's stdin, then
// terminates its process group and joins the reader thread.
#ifndef LLMEVAL_ENGINE_TOOLS_MCP_CLIENT_H_
#define LLMEVAL_ENGINE_TOOLS_MCP_CLIENT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/chat.h"
#include "core/status.h"

namespace llmeval {

struct McpServerOptions {
  std::string name;                        // For messages: "mcp server 'NAME'".
  std::vector<std::string> argv;           // argv[0] is looked up on PATH when it has no '/'.
  std::map<std::string, std::string> env;  // Added to the inherited environment.
  std::string working_dir;                 // Empty: the current directory.
  int64_t call_timeout_ms = 10000;         // Per tools/call.
  int64_t startup_timeout_ms = 60000;      // Start, initialize and tools/list (npx may download the package first).
  size_t max_output_bytes = 64 * 1024;     // Cap on one call's result text.
};

struct McpCallResult {
  bool failed = false;
  std::string text;        // The concatenated text content, or an error message when failed.
  std::string error_type;  // "tool_error", "rpc_error", "timeout", "server_exited", "start_failed", "bad_response"
};

class McpClient {
 public:
  explicit McpClient(McpServerOptions options);
  ~McpClient();
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  // The server's tools (name, description, inputSchema as JSON), following `nextCursor` pages. Starts the server if
  // needed; the list is fetched once and cached. Unavailable naming the server (and quoting its stderr) on failure.
  Result<std::vector<ToolSpec>> ListTools();

  // Calls tool `name` with `arguments_json` (a JSON object). Never throws; every failure is a failed result.
  McpCallResult CallTool(const std::string& name, const std::string& arguments_json);

  // The last few KB the server wrote on stderr (all processes started so far).
  std::string StderrTail() const;

  // How many server processes were started (a crash followed by a call makes it 2).
  int starts() const;

 private:
  class Connection;

  // The live connection, starting (and initializing) a server when there is none or the last one died.
  Result<std::shared_ptr<Connection>> Live();

  McpServerOptions options_;
  std::shared_ptr<std::string> stderr_tail_;  // Guarded by *stderr_mu_; shared with connections.
  std::shared_ptr<std::mutex> stderr_mu_;
  mutable std::mutex mu_;  // Guards conn_, tools_, starts_.
  std::mutex start_mu_;    // Serializes starting a server.
  std::shared_ptr<Connection> conn_;
  std::unique_ptr<std::vector<ToolSpec>> tools_;
  int starts_ = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TOOLS_MCP_CLIENT_H_
