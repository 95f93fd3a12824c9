// Command scorers: user scorers written in any language, run as persistent worker processes that speak JSON Lines.
//
//   scorers:
//     - name: enough_words_py
//       type: command
//       command: [python3, scorers/enough_words.py]   # argv, never a shell; run in the project directory
//       timeout_ms: 5000                               # per request (default 5000)
//       startup_timeout_ms: 10000                      # extra time for the request that starts a worker
//       workers: 1                                     # worker processes for this scorer (default 1, at most 64)
//       threshold: 0.5                                 # optional: a numeric value passes when >= threshold
//       params: {min_words: 10}                        # handed to the worker with every request
//
// One request per line on the worker's stdin (UserScorerRequestJson below), one response per line on its stdout:
//   {"id": <same id>, "value": true|false|number, "rationale": "..."}   or   {"id": ..., "error": "..."}
// (the members ParseAssessmentJson accepts, "outcome", "pass", "score", ..., work too). A worker is started lazily on
// the first item and serves every later item; requests to one worker are serialized. A request that times out
// (timeout_ms, plus startup_timeout_ms for the request that started the worker) kills the worker (its whole process
// group) and gives an error assessment; so does a worker that exits (the error quotes the tail of its stderr) or
// answers with something that is not a JSON object (the error names the scorer and quotes an excerpt). The next item
// starts a fresh worker. Workers are stopped (stdin closed, then killed) when the scorer is destroyed. Score() is
// thread-safe.
//
// The request/response helpers are shared with plugin scorers (engine/user_scorers/plugin_scorer.h).
#ifndef LLMEVAL_ENGINE_USER_SCORERS_COMMAND_SCORER_H_
#define LLMEVAL_ENGINE_USER_SCORERS_COMMAND_SCORER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "scorers/scorer.h"

namespace llmeval {

// Builds a `command` scorer; relative paths in `command` (argv[0] with a '/', e.g. scorers/x.py as an argument stays
// as written: the worker runs in `project_dir`). InvalidInput naming the scorer and the bad parameter.
Result<std::unique_ptr<Scorer>> MakeCommandScorer(const ScorerSpec& spec, const std::string& project_dir);

// The JSON request a user scorer gets for one item, on one line:
//   {"id": id, "scorer": name, "inputs": {column: value...}, "input": rendered prompt, "output": answer or null,
//    "expectations": {column: value...} (the columns named by expectation_columns), "trace": {"tool_calls": [...],
//    "finish_reason", "latency_ms", "input_tokens", "output_tokens", "cost_usd", "error", "summary"},
//    "params": params_json}
std::string UserScorerRequestJson(int64_t id, const std::string& scorer, const ScoringContext& ctx,
                                  const std::string& params_json, const std::vector<std::string>& expectation_columns);

// Reads one response of a user scorer into an assessment named `name` (source code). `value` true/false is pass/fail;
// a number is the score, passing when it is >= `threshold` (always, without a threshold). An "error" member gives an
// error assessment with that text. When `expected_id` is set, a response with another (non-null) id is an error.
// InvalidInput (naming `who` and quoting an excerpt) when `response` is not such a JSON object.
Result<Assessment> ParseUserScorerResponse(std::string_view response, const std::string& name, const std::string& who,
                                           std::optional<double> threshold, std::optional<int64_t> expected_id);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_USER_SCORERS_COMMAND_SCORER_H_
