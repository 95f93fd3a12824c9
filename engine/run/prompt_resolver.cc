#include "engine/run/prompt_resolver.h"

#include "core/hash.h"
#include "core/strings.h"
#include "engine/os/file_io.h"
#include "engine/os/subprocess.h"
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
  Result<ResolvedPrompt> resolved = Load(ref_text);
  if (!resolved.ok()) return resolved;
  Status s = Register(&resolved.value(), message);
  if (!s.ok()) return s;
  return resolved;
}

Result<ResolvedPrompt> PromptResolver::Load(const std::string& ref_text) const {
  Result<PromptRef> ref = ParsePromptRef(ref_text);
  if (!ref.ok()) return ref.status();
  ResolvedPrompt resolved;
  resolved.ref = ref_text;
  resolved.name = ref->name;
  if (ref->kind == PromptRef::Kind::kWorkingFile) {
    std::string path = WorkingFile(ref->name);
    Result<std::string> content = ReadWholeFile(path);
    if (!content.ok()) {
      if (content.status().code() == StatusCode::kNotFound) {
        return Status::NotFound("prompt '" + ref->name + "': no file " + path +
                                " (prompts are <prompts dir>/<name>.txt; stored versions are named like " + ref->name +
                                "/1 or " + ref->name + "@latest)");
      }
      return content.status();
    }
    resolved.file = path;
    resolved.content = *std::move(content);
    resolved.sha256 = Sha256Hex(resolved.content);
    resolved.unregistered = true;
    return resolved;
  }
  if (store_ == nullptr) {
    return Status::NotFound("prompt '" + ref->name + "' has no stored versions (there is no store yet; a run of " +
                            "the working file " + WorkingFile(ref->name) + " stores its first version)");
  }
  Result<PromptVersion> version = ref->kind == PromptRef::Kind::kVersion
                                      ? store_->GetPromptVersion(ref->name, ref->version)
                                      : store_->GetPromptByAlias(ref->name, ref->alias);
  if (!version.ok()) return version.status();
  resolved.version = version->version;
  resolved.content = version->content;
  resolved.sha256 = version->sha256;
  return resolved;
}

Status PromptResolver::Register(ResolvedPrompt* prompt, const std::string& message) {
  if (!prompt->unregistered) return Status::OK();
  if (store_ == nullptr) return Status::Internal("prompt '" + prompt->name + "' registered without a store");
  bool created = false;
  Result<PromptVersion> version =
      store_->RegisterPrompt(prompt->name, prompt->content, message, prompt->file.empty() ? "" : GitCommit(), &created);
  if (!version.ok()) return version.status();
  prompt->version = version->version;
  prompt->sha256 = version->sha256;
  prompt->newly_registered = created;
  prompt->unregistered = false;
  return Status::OK();
}

}  // namespace llmeval
