// How a prompt is named everywhere (CLI flags, config files, the results store).
//
// A prompt name is 1-64 letters, digits, '_' and '-', starting with a letter or digit, so that it is always safe as a
// file name (`<prompts dir>/<name>.txt`): no '/', '.', spaces or anything that could leave the prompts directory.
// A reference names the working file (`basic`), a registered version (`basic/3`) or an alias (`basic@production`),
// optionally with the MLflow-style prefix `prompts:/` (or `prompts:`), e.g. `prompts:/basic/3`,
// `prompts:/basic@latest`. Alias names follow the prompt name rule. Resolving versions and aliases is the store's job;
// this is pure parsing.
//
// Pure functions; thread-safe. Errors are Status::InvalidInput with a message that shows the accepted forms.
#ifndef LLMEVAL_PROMPTS_PROMPT_REF_H_
#define LLMEVAL_PROMPTS_PROMPT_REF_H_

#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

constexpr size_t kMaxPromptNameLength = 64;

// True for 1-64 characters of [A-Za-z0-9_-] whose first is a letter or digit.
bool IsValidPromptName(std::string_view name);

struct PromptRef {
  enum class Kind { kWorkingFile, kVersion, kAlias };
  Kind kind = Kind::kWorkingFile;
  std::string name;
  int version = 0;    // kVersion only; >= 1.
  std::string alias;  // kAlias only.

  // The canonical short form, which ParsePromptRef accepts back: "basic", "basic/3" or "basic@production".
  std::string ToString() const;
};

// Parses `basic`, `basic/3`, `basic@production`, and each of these behind `prompts:/` or `prompts:`.
Result<PromptRef> ParsePromptRef(std::string_view text);

}  // namespace llmeval

#endif  // LLMEVAL_PROMPTS_PROMPT_REF_H_
