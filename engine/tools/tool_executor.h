// ToolExecutor runs the tools an agent calls. Tools are declared in the project config (name, description, JSON-Schema
// parameters, kind). A `command` tool runs a program (argv, no shell) with the call's arguments as JSON on stdin and
// returns its stdout; an `http` tool calls a URL (engine/tools/http_tool.h); an `mcp` entry names a stdio MCP server
// (engine/tools/mcp_client.h) whose tools (all, or those in its `tools:` list) are offered under their own names: Specs
// starts the server and imports them, Execute routes their calls to it. Whatever goes wrong (unknown tool, arguments
// that are not a JSON object, a non-zero exit, a timeout, HTTP errors, a crashed server) comes back as a failed
// ToolOutcome whose text the model receives as the tool result, so the agent loop goes on. Specs and Execute are
// thread-safe and Execute is blocking; the engine calls it from its tool threads. MCP servers stop with the executor.
#ifndef LLMEVAL_ENGINE_TOOLS_TOOL_EXECUTOR_H_
#define LLMEVAL_ENGINE_TOOLS_TOOL_EXECUTOR_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/chat.h"
#include "engine/config/config.h"

namespace llmeval {

class McpClient;

struct ToolOutcome {
  bool failed = false;
  std::string text;        // The result given to the model (an error message when failed).
  std::string error_type;  // "unknown_tool", "invalid_arguments", "exit_status", "timeout", "start_failed"
};

class ToolExecutor {
 public:
  // `base_dir` is the working directory of command tools (the project directory).
  ToolExecutor(std::vector<ToolSettings> tools, std::string base_dir);
  ~ToolExecutor();
  ToolExecutor(const ToolExecutor&) = delete;
  ToolExecutor& operator=(const ToolExecutor&) = delete;

  // The specs of the named tools, in order, to offer to the model; an mcp entry expands to its server's tools (the
  // server is started here). InvalidInput naming an unknown tool, a bad http method, a tool listed in an mcp entry's
  // `tools:` that its server does not have, or two tools with one name; Unavailable when an MCP server fails to start.
  Result<std::vector<ToolSpec>> Specs(const std::vector<std::string>& names) const;

  ToolOutcome Execute(const ToolCall& call) const;

 private:
  ToolOutcome RunCommand(const ToolSettings& tool, const std::string& arguments_json) const;

  std::map<std::string, ToolSettings> tools_;
  std::string base_dir_;
  std::map<std::string, std::shared_ptr<McpClient>> servers_;             // By config entry name, for mcp entries.
  mutable std::mutex mu_;                                                 // Guards mcp_routes_.
  mutable std::map<std::string, std::shared_ptr<McpClient>> mcp_routes_;  // Offered MCP tool name -> its server.
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TOOLS_TOOL_EXECUTOR_H_
