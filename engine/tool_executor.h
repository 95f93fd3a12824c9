// ToolExecutor runs the tools an agent calls. Tools are declared in the project config (name, description, JSON-Schema
// parameters, kind). A `command` tool runs a program (argv, no shell) with the call's arguments as JSON on stdin and
// returns its stdout; an `http` tool calls a URL. Whatever goes wrong (unknown tool, arguments that are not a JSON
// object, a non-zero exit, a timeout) comes back as a failed ToolOutcome whose text the model receives as the tool
// result, so the agent loop goes on. Execute is thread-safe and blocking; the engine calls it from its tool threads.
#ifndef LLMEVAL_ENGINE_TOOL_EXECUTOR_H_
#define LLMEVAL_ENGINE_TOOL_EXECUTOR_H_

#include <map>
#include <string>
#include <vector>

#include "core/chat.h"
#include "engine/config.h"

namespace llmeval {

struct ToolOutcome {
  bool failed = false;
  std::string text;        // The result given to the model (an error message when failed).
  std::string error_type;  // "unknown_tool", "invalid_arguments", "exit_status", "timeout", "start_failed"
};

class ToolExecutor {
 public:
  // `base_dir` is the working directory of command tools (the project directory).
  ToolExecutor(std::vector<ToolSettings> tools, std::string base_dir);

  // The specs of the named tools, in order, to offer to the model. InvalidInput naming an unknown tool.
  Result<std::vector<ToolSpec>> Specs(const std::vector<std::string>& names) const;

  ToolOutcome Execute(const ToolCall& call) const;

 private:
  ToolOutcome RunCommand(const ToolSettings& tool, const std::string& arguments_json) const;

  std::map<std::string, ToolSettings> tools_;
  std::string base_dir_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TOOL_EXECUTOR_H_
