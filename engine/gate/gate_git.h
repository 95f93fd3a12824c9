// `llmeval gate --changed-since REF`: the prompt files of the prompts directory that differ between the git
// revision REF and the working tree (committed or not), each with its content at REF. Runs git through
// RunSubprocess (argv, never a shell). InvalidInput when the directory is not in a git work tree or REF is unknown.
#ifndef LLMEVAL_ENGINE_GATE_GATE_GIT_H_
#define LLMEVAL_ENGINE_GATE_GATE_GIT_H_

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace llmeval {

struct ChangedPrompt {
  std::string name;                           // "basic" for basic.txt
  std::optional<std::string> content_at_ref;  // Absent for a prompt added since REF.
  bool deleted = false;                       // Present at REF, gone now.
};

// Sorted by name. Only `<name>.txt` files directly in `prompts_dir` count (untracked new files included).
Result<std::vector<ChangedPrompt>> ChangedPromptsSince(const std::string& prompts_dir, const std::string& ref);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_GATE_GATE_GIT_H_
