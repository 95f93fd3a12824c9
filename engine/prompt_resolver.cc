#include "engine/prompt_resolver.h"

#include "core/strings.h"
#include "engine/file_io.h"
#include "engine/subprocess.h"
#include "prompts/prompt_ref.h"

namespace llmeval {

std::string PromptResolver::WorkingFile(const std::string& name) const { return prompts_dir_ + "/" + name + ".txt"; }

std::string PromptResolver::GitCommit() const {
  if (git_checked_) return git_commit_;
  git_checked_ = true;
  SubprocessOptions head;
  head.argv = {"git", "-C", prompts_dir_, "rev-parse", "HEAD"};
  head.timeout_ms = 5000;
  Result<SubprocessResult> r = RunSubprocess(head);
  if (!r.ok() || r->exit_code != 0) return git_commit_;
  git_commit_ = std::string(TrimWhitespace(r->out));
  SubprocessOptions status;
  status.argv = {"git", "-C", prompts_dir_, "status", "--porcelain", "--", "."};
  status.timeout_ms = 5000;
  Result<SubprocessResult> s = RunSubprocess(status);
  if (s.ok() && s->exit_code == 0 && !TrimWhitespace(s->out).empty()) git_commit_ += "+dirty";
  return git_commit_;
}

Result<ResolvedPrompt> PromptResolver::Resolve(const std::string& ref_text, const std::string& message) {
  Result<PromptRef> ref = ParsePromptRef(ref_text);
  if (!ref.ok()) return ref.status();
  ResolvedPrompt resolved;
  resolved.ref = ref_text;
  resolved.name = ref->name;
  Result<PromptVersion> version = Status::Internal("unresolved");
  switch (ref->kind) {
    case PromptRef::Kind::kWorkingFile: {
      std::string path = WorkingFile(ref->name);
      Result<std::string> content = ReadWholeFile(path);
      if (!content.ok()) {
        if (content.status().code() == StatusCode::kNotFound) {
          return Status::NotFound("prompt '" + ref->name + "': no file " + path +
                                  " (prompts are <prompts dir>/<name>.txt; stored versions are named like " +
                                  ref->name + "/1 or " + ref->name + "@latest)");
        }
        return content.status();
      }
      bool created = false;
      version = store_->RegisterPrompt(ref->name, *content, message, GitCommit(), &created);
      resolved.newly_registered = created;
      break;
    }
    case PromptRef::Kind::kVersion:
      version = store_->GetPromptVersion(ref->name, ref->version);
      break;
    case PromptRef::Kind::kAlias:
      version = store_->GetPromptByAlias(ref->name, ref->alias);
      break;
  }
  if (!version.ok()) return version.status();
  resolved.version = version->version;
  resolved.content = version->content;
  resolved.sha256 = version->sha256;
  return resolved;
}

}  // namespace llmeval
