// HTTP tools: a tool call becomes one HTTP request to the tool's `url`. With `method: GET` the call's arguments are
// appended as URL-encoded query parameters (strings as they are, other values as JSON text, nulls left out); with
// `method: POST` the arguments are the JSON body. Configured `headers` are sent with every request; a header value may
// reference environment variables as ${NAME}, expanded at call time (the values are never logged, stored or quoted in
// errors; a missing variable fails the call naming only the variable). A 2xx response's body (capped at
// max_output_bytes) is the result; anything else is a failed ToolOutcome with the status and an excerpt of the body.
// Blocking (libcurl's easy API on the calling thread, redirects not followed); thread-safe.
#ifndef LLMEVAL_ENGINE_TOOLS_HTTP_TOOL_H_
#define LLMEVAL_ENGINE_TOOLS_HTTP_TOOL_H_

#include <string>
#include <string_view>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/tools/tool_executor.h"

namespace llmeval {

// Runs `tool` (kind http) with `arguments_json`, a JSON object.
ToolOutcome RunHttpTool(const ToolSettings& tool, const std::string& arguments_json);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view text);

// Expands ${NAME} references from the environment. InvalidInput naming the variable when one is unset, or when a
// reference is not closed.
Result<std::string> ExpandEnvReferences(std::string_view value);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TOOLS_HTTP_TOOL_H_
