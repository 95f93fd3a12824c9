// TargetSettings: one entry of the `targets:` section of llmeval.yaml, as plain values: the user's application that a
// run evaluates in place of a model (an HTTP service or a command speaking JSON Lines). ReadTargetSettings checks one
// entry and reports "<file>:<line>:<column>: targets.NAME.KEY: expected ..." (exit 2). Plain data; no IO.
#ifndef LLMEVAL_ENGINE_CONFIG_TARGET_SETTINGS_H_
#define LLMEVAL_ENGINE_CONFIG_TARGET_SETTINGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace YAML {
class Node;
}

namespace llmeval {

// Where a value was written, for errors found later (a placeholder that binds to no dataset column).
struct ConfigPosition {
  std::string file;
  int line = 0;
  int column = 0;
  std::string Prefix() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "; }
};

// JSON pointers (RFC 6901) into the application's reply; "" = not mapped.
struct TargetResponseMap {
  std::string answer = "/output";
  std::string tool_calls;
  std::string input_tokens;
  std::string output_tokens;
  std::string cost_usd;
};

struct TargetSettings {
  std::string name;
  std::string kind;  // http or command
  ConfigPosition position;
  // kind: http.
  std::string url;
  std::string method = "POST";
  // Header values may reference environment variables as ${NAME}: resolved at call time, never stored or printed.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body_template;  // JSON text whose string values may hold {placeholders}; "" = every variable.
  ConfigPosition body_position;
  TargetResponseMap response;
  std::string stream;  // "" (by Content-Type), "json", "sse" or "ndjson".
  int max_concurrency = 64;
  double requests_per_minute = 0;
  int max_attempts = 3;
  // kind: command.
  std::vector<std::string> command;  // argv
  std::map<std::string, std::string> env;
  int workers = 1;
  bool per_item = false;
  // Both.
  int64_t timeout_ms = 60000;
  // How long after the answer the app's own spans (OTLP, engine/run/app_spans.h) still join the item's trace
  // (`span_grace: 2s`, `500ms`; 0: only those that arrived before the answer).
  int64_t span_grace_ms = 1000;
  // Every item waits (up to span_grace) for the app's entry span before it is scored, the first one too; otherwise
  // items wait only once the app has sent spans in the run (`wait_for_spans: true`).
  bool wait_for_spans = false;
};

// Reads `node`, the entry `name` of `targets:` in `file`. Also checks every response pointer's syntax.
Status ReadTargetSettings(const std::string& file, const std::string& name, const YAML::Node& node,
                          TargetSettings* out);

// The {placeholders} of a body template, in order of first use (names as written). A placeholder is {name} inside a
// JSON string of the template (name: letters, digits, '_', '.', '-'); braces outside strings are JSON syntax.
std::vector<std::string> BodyTemplatePlaceholders(const std::string& body_template);

// The template with each placeholder replaced by `values[name]`, JSON-escaped for its place inside the string.
// Placeholders missing from `values` become "".
std::string RenderBodyTemplate(const std::string& body_template, const std::map<std::string, std::string>& values);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_CONFIG_TARGET_SETTINGS_H_
