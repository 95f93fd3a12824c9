// PromptResolver turns a prompt reference (`basic`, `basic@production`, `basic/3`, `prompts:/basic/3`) into the exact
// text and version to use. A plain name means the working file `<prompts dir>/<name>.txt`: its content is registered
// in the store (a new version when the content is new, else the existing one), together with the git commit of the
// prompts directory when it is inside a git work tree. Aliases and versions come from the store.
//
// Resolve = Load + Register. A run Loads every prompt first and Registers them only once all its input is checked,
// so input rejected with exit 2 leaves no prompt version behind (and, in a new project, no store at all).
#ifndef LLMEVAL_ENGINE_RUN_PROMPT_RESOLVER_H_
#define LLMEVAL_ENGINE_RUN_PROMPT_RESOLVER_H_

#include <string>

#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval {

struct ResolvedPrompt {
  std::string name;
  int version = 0;
  std::string content;
  std::string sha256;
  bool newly_registered = false;
  std::string ref;   // As the user wrote it.
  std::string file;  // The working file it was read from; "" for a stored version or a built-in text.
  // Set by Load for text not stored yet (a working file, a built-in default): version is 0 until Register.
  bool unregistered = false;
};

class PromptResolver {
 public:
  // `store` may be null while a run has no store yet (set_store gives it one before Register): then Load finds no
  // stored versions or aliases.
  PromptResolver(Store* store, std::string prompts_dir) : store_(store), prompts_dir_(std::move(prompts_dir)) {}

  void set_store(Store* store) { store_ = store; }

  // Resolves `ref`; InvalidInput for a malformed reference or name, NotFound for a missing file, version or alias.
  Result<ResolvedPrompt> Resolve(const std::string& ref, const std::string& message = "");

  // Resolves `ref` without writing anything: a working file's content (and SHA-256) comes back unregistered, with
  // version 0. Errors as Resolve.
  Result<ResolvedPrompt> Load(const std::string& ref) const;

  // Stores an unregistered prompt as a version of its name (the existing one for known content) and fills in its
  // version; does nothing for a registered one. Working files are recorded with the prompts directory's git commit.
  Status Register(ResolvedPrompt* prompt, const std::string& message);

  // The path of the working file of `name`.
  std::string WorkingFile(const std::string& name) const;

  // The git commit (HEAD) of the prompts directory, or "" when it is not in a git work tree. Dirty files are marked
  // with a "+dirty" suffix.
  std::string GitCommit() const;

 private:
  Store* store_;
  std::string prompts_dir_;
  mutable bool git_checked_ = false;
  mutable std::string git_commit_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_PROMPT_RESOLVER_H_
