/* llmeval scorer plugins: the C ABI a shared library implements to be used as an llmeval scorer.
 *
 * A plugin scorer is declared in llmeval.yaml as
 *
 *   scorers:
 *     - name: not_too_many_words_plugin
 *       type: plugin
 *       path: scorers/not_too_many_words.so     # relative to the project directory (the config's folder)
 *       threshold: 0.5                           # optional: a numeric value passes when >= threshold
 *       params: {max_words: 1000}                # handed to the plugin with every request
 *
 * llmeval loads the library once per scorer with dlopen(RTLD_NOW | RTLD_LOCAL) when the run starts (before any model
 * call; a library that cannot be loaded, or lacks llmeval_scorer_v1, stops the run with exit code 2 and dlerror()'s
 * message) and never unloads it.
 *
 * Build a plugin with any C or C++ compiler, e.g.
 *   g++ -shared -fPIC -O2 -I path/to/llmeval/include -o my_scorer.so my_scorer.cc
 *
 * ---------------------------------------------------------------------------------------------------------------
 * The request: one JSON object (UTF-8, NUL-terminated), the same one command scorers get on a line:
 *   {"id": 7, "scorer": "<name in the config>",
 *    "inputs": {"<dataset column>": "<value>", ...},
 *    "input": "<the rendered user prompt>",
 *    "output": "<the application's answer>" | null,
 *    "expectations": {"<column named by expectation_columns>": "<value>", ...},
 *    "trace": {"tool_calls": [{"name", "arguments", "result", "failed"}], "finish_reason", "latency_ms",
 *              "input_tokens", "output_tokens", "cost_usd", "error", "summary"},
 *    "params": {<the scorer's params mapping>}}
 * Plugins must ignore members they do not know; later versions of llmeval may add some.
 *
 * The result: a NUL-terminated JSON object written into `out` (capacity `out_size` bytes, terminator included):
 *   {"value": true | false | <number>, "rationale": "why", "label": "optional short label"}
 * true/false is pass/fail; a number is recorded as the score and passes when it is >= the scorer's `threshold`
 * (always, when no threshold is configured). {"error": "message"} records an error assessment ("could not decide",
 * never counted as a failure). The general assessment form {"outcome": "pass"|"fail"|"error"|"skipped", "score": x,
 * "label": "...", "rationale": "..."} is accepted too.
 *
 * Return codes: 0 success (out holds the result); LLMEVAL_SCORER_OUTPUT_TOO_SMALL: `out` is too small, llmeval
 * calls again with a larger buffer (up to 16 MiB); anything else: failure, recorded as an error assessment quoting
 * the {"error": ...} in `out` when there is one.
 *
 * Contract: llmeval calls llmeval_scorer_v1 from several threads at once (one call per evaluated item), so it must be
 * reentrant and thread-safe; it must not throw (C++ exceptions must not cross the C boundary), must not keep
 * pointers to `request_json` or `out` after returning, and should not block for long (it runs on the engine's
 * threads; a plugin cannot be timed out; use a command scorer for slow or untrusted code).
 *
 * In-process C++ scorers (no plugin): code linked into llmeval itself registers a type with
 *   llmeval::RegisterScorerType("starts_with_hello", [](const llmeval::ScorerSpec& spec)
 *       -> llmeval::Result<std::unique_ptr<llmeval::Scorer>> { return std::make_unique<MyScorer>(spec); });
 * (scorers/scorer.h): a Scorer's Score(const ScoringContext&) is const, thread-safe, does no IO and returns an
 * Assessment (scorers/assessment.h); configurations then name it with `type: starts_with_hello`.
 */
#ifndef LLMEVAL_SCORER_PLUGIN_H_
#define LLMEVAL_SCORER_PLUGIN_H_

#ifdef __cplusplus
extern "C" {
#endif

#define LLMEVAL_SCORER_OK 0
#define LLMEVAL_SCORER_INVALID_REQUEST 1
#define LLMEVAL_SCORER_OUTPUT_TOO_SMALL 2

/* Required. Scores one item: reads request_json, writes the NUL-terminated result JSON into out (out_size bytes). */
int llmeval_scorer_v1(const char* request_json, char* out, unsigned long out_size);

/* Optional. The plugin's own name (a static string), shown in error messages. */
const char* llmeval_scorer_name_v1(void);

typedef int (*llmeval_scorer_v1_fn)(const char* request_json, char* out, unsigned long out_size);
typedef const char* (*llmeval_scorer_name_v1_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* LLMEVAL_SCORER_PLUGIN_H_ */
