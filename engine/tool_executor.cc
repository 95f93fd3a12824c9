#include "engine/tool_executor.h"

#include <simdjson.h>

#include "core/strings.h"
#include "engine/subprocess.h"

namespace llmeval {

ToolExecutor::ToolExecutor(std::vector<ToolSettings> tools, std::string base_dir) : base_dir_(std::move(base_dir)) {
  for (ToolSettings& t : tools) tools_[t.name] = std::move(t);
}

Result<std::vector<ToolSpec>> ToolExecutor::Specs(const std::vector<std::string>& names) const {
  std::vector<ToolSpec> specs;
  for (const std::string& name : names) {
    auto it = tools_.find(name);
    if (it == tools_.end()) {
      std::vector<std::string> known;
      for (const auto& [k, v] : tools_) known.push_back(k);
      return Status::InvalidInput("unknown tool '" + name + "'; tools declared in the config: " +
                                  (known.empty() ? "(none)" : JoinStrings(known, ", ")));
    }
    if (it->second.kind == "mcp") {
      return Status::InvalidInput("tool '" + name + "': mcp tools are not supported by this build of llmeval yet");
    }
    specs.push_back({it->second.name, it->second.description, it->second.parameters_json});
  }
  return specs;
}

ToolOutcome ToolExecutor::Execute(const ToolCall& call) const {
  auto it = tools_.find(call.name);
  if (it == tools_.end()) {
    return {true, "Error: there is no tool named '" + call.name + "'.", "unknown_tool"};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element args;
  std::string arguments = call.arguments_json.empty() ? "{}" : call.arguments_json;
  if (parser.parse(arguments).get(args) != simdjson::SUCCESS || !args.is_object()) {
    return {true, "Error: the arguments of '" + call.name + "' must be a JSON object; got: " + arguments.substr(0, 200),
            "invalid_arguments"};
  }
  if (it->second.kind == "command") return RunCommand(it->second, arguments);
  return {true, "Error: tool kind '" + it->second.kind + "' is not available in this build.", "unsupported"};
}

ToolOutcome ToolExecutor::RunCommand(const ToolSettings& tool, const std::string& arguments_json) const {
  SubprocessOptions options;
  options.argv = tool.command;
  options.stdin_data = arguments_json;
  options.working_dir = base_dir_;
  options.env = tool.env;
  options.timeout_ms = tool.timeout_ms;
  options.max_output_bytes = tool.max_output_bytes;
  Result<SubprocessResult> r = RunSubprocess(options);
  if (!r.ok()) return {true, "Error: tool '" + tool.name + "' could not start: " + r.status().message(), "start_failed"};
  if (r->timed_out) {
    return {true, "Error: tool '" + tool.name + "' timed out after " + std::to_string(tool.timeout_ms) + " ms.",
            "timeout"};
  }
  if (r->exit_code != 0) {
    std::string why = r->signal != 0 ? "was killed by signal " + std::to_string(r->signal)
                                      : "exited with status " + std::to_string(r->exit_code);
    std::string err(TrimWhitespace(r->err));
    return {true, "Error: tool '" + tool.name + "' " + why + (err.empty() ? "." : ": " + err.substr(0, 500)),
            "exit_status"};
  }
  std::string text = r->out;
  if (r->truncated) text += "\n[output truncated at " + std::to_string(tool.max_output_bytes) + " bytes]";
  return {false, text, ""};
}

}  // namespace llmeval
