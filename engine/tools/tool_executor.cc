#include "engine/tools/tool_executor.h"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "core/strings.h"
#include "engine/os/subprocess.h"
#include "engine/tools/http_tool.h"
#include "engine/tools/mcp_client.h"

namespace llmeval {

ToolExecutor::ToolExecutor(std::vector<ToolSettings> tools, std::string base_dir) : base_dir_(std::move(base_dir)) {
  for (ToolSettings& t : tools) {
    if (t.kind == "mcp") {
      McpServerOptions options;
      options.name = t.name;
      options.argv = t.command;
      options.env = t.env;
      options.working_dir = base_dir_;
      options.call_timeout_ms = t.timeout_ms;
      options.startup_timeout_ms = std::max<int64_t>(t.timeout_ms, 60000);
      options.max_output_bytes = t.max_output_bytes;
      servers_[t.name] = std::make_shared<McpClient>(std::move(options));
    }
    tools_[t.name] = std::move(t);
  }
}

ToolExecutor::~ToolExecutor() = default;

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
    const ToolSettings& t = it->second;
    if (t.kind == "http" && AsciiLower(t.method) != "get" && AsciiLower(t.method) != "post") {
      return Status::InvalidInput("tools." + name + ".method: expected GET or POST, got '" + t.method + "'");
    }
    if (t.kind != "mcp") {
      specs.push_back({t.name, t.description, t.parameters_json});
      continue;
    }
    const std::shared_ptr<McpClient>& server = servers_.at(name);
    Result<std::vector<ToolSpec>> imported = server->ListTools();
    if (!imported.ok()) return imported.status().WithContext("tools." + name);
    std::set<std::string> offered;
    for (const ToolSpec& spec : *imported) {
      if (t.mcp_tools.empty() || std::find(t.mcp_tools.begin(), t.mcp_tools.end(), spec.name) != t.mcp_tools.end()) {
        specs.push_back(spec);
        offered.insert(spec.name);
      }
    }
    for (const std::string& wanted : t.mcp_tools) {
      if (offered.count(wanted) == 0) {
        std::vector<std::string> available;
        for (const ToolSpec& spec : *imported) available.push_back(spec.name);
        return Status::InvalidInput("tools." + name + ".tools: the mcp server has no tool '" + wanted +
                                    "'; it lists: " + (available.empty() ? "(none)" : JoinStrings(available, ", ")));
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& tool_name : offered) mcp_routes_[tool_name] = server;
  }
  std::set<std::string> seen;
  for (const ToolSpec& spec : specs) {
    if (!seen.insert(spec.name).second) {
      return Status::InvalidInput("two enabled tools are named '" + spec.name +
                                  "'; restrict an mcp entry with 'tools: [...]' or rename the other tool");
    }
  }
  return specs;
}

ToolOutcome ToolExecutor::Execute(const ToolCall& call) const {
  std::shared_ptr<McpClient> server;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto route = mcp_routes_.find(call.name);
    if (route != mcp_routes_.end()) server = route->second;
  }
  auto it = tools_.find(call.name);
  if (server == nullptr && (it == tools_.end() || it->second.kind == "mcp")) {
    return {true, "Error: there is no tool named '" + call.name + "'.", "unknown_tool"};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element args;
  std::string arguments = call.arguments_json.empty() ? "{}" : call.arguments_json;
  if (parser.parse(arguments).get(args) != simdjson::SUCCESS || !args.is_object()) {
    return {true, "Error: the arguments of '" + call.name + "' must be a JSON object; got: " + arguments.substr(0, 200),
            "invalid_arguments"};
  }
  if (server != nullptr) {
    McpCallResult r = server->CallTool(call.name, arguments);
    return {r.failed, r.text, r.error_type};
  }
  if (it->second.kind == "command") return RunCommand(it->second, arguments);
  if (it->second.kind == "http") return RunHttpTool(it->second, arguments);
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
  if (!r.ok())
    return {true, "Error: tool '" + tool.name + "' could not start: " + r.status().message(), "start_failed"};
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
