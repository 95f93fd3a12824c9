// Plugin scorers: user scorers compiled into a shared library implementing the C ABI of
// include/llmeval/scorer_plugin.h (llmeval_scorer_v1), loaded with dlopen when the scorer is built.
//
//   scorers:
//     - name: not_too_many_words_plugin
//       type: plugin
//       path: scorers/not_too_many_words.so   # relative to the project directory
//       threshold: 0.5                         # optional, for numeric values
//       params: {max_words: 1000}
//
// The request is the command scorers' request (engine/user_scorers/command_scorer.h UserScorerRequestJson) and the
// result is read like their responses. A library that cannot be loaded or lacks llmeval_scorer_v1 is InvalidInput at
// construction, naming the path and dlerror(), so a run stops (exit 2) before any model call. Libraries are never
// unloaded. Score() is thread-safe as long as the plugin honours its contract.
#ifndef LLMEVAL_ENGINE_USER_SCORERS_PLUGIN_SCORER_H_
#define LLMEVAL_ENGINE_USER_SCORERS_PLUGIN_SCORER_H_

#include <memory>
#include <string>

#include "core/status.h"
#include "scorers/scorer.h"

namespace llmeval {

Result<std::unique_ptr<Scorer>> MakePluginScorer(const ScorerSpec& spec, const std::string& project_dir);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_USER_SCORERS_PLUGIN_SCORER_H_
