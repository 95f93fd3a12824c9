#include "engine/gate/gate_git.h"

#include <map>

#include "core/strings.h"
#include "engine/os/subprocess.h"

namespace llmeval {
namespace {

Result<SubprocessResult> Git(const std::string& dir, std::vector<std::string> args) {
  SubprocessOptions options;
  options.argv = {"git", "-C", dir};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.timeout_ms = 30000;
  options.max_output_bytes = 16 << 20;
  Result<SubprocessResult> r = RunSubprocess(options);
  if (!r.ok()) return Status::InvalidInput("--changed-since needs git: " + r.status().message());
  return r;
}

// "basic.txt" -> "basic"; "" for anything that is not a prompt file directly in the directory.
std::string PromptName(const std::string& relative) {
  if (relative.find('/') != std::string::npos || relative.size() <= 4) return "";
  if (relative.compare(relative.size() - 4, 4, ".txt") != 0) return "";
  return relative.substr(0, relative.size() - 4);
}

}  // namespace

Result<std::vector<ChangedPrompt>> ChangedPromptsSince(const std::string& prompts_dir, const std::string& ref) {
  if (ref.empty() || ref[0] == '-')
    return Status::InvalidInput("--changed-since: expected a git revision, got '" + ref + "'");
  Result<SubprocessResult> verify = Git(prompts_dir, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"});
  if (!verify.ok()) return verify.status();
  if (verify->exit_code != 0) {
    Result<SubprocessResult> inside = Git(prompts_dir, {"rev-parse", "--is-inside-work-tree"});
    if (inside.ok() && inside->exit_code != 0) {
      return Status::InvalidInput("--changed-since: the prompts directory " + prompts_dir +
                                  " is not in a git work tree");
    }
    return Status::InvalidInput("--changed-since: unknown git revision '" + ref + "'");
  }
  std::map<std::string, ChangedPrompt> changed;
  // Tracked files that differ from REF (committed since, staged or not), relative to the prompts directory.
  Result<SubprocessResult> diff =
      Git(prompts_dir, {"diff", "--name-status", "--no-renames", "--relative", ref, "--", "."});
  if (!diff.ok()) return diff.status();
  if (diff->exit_code != 0) return Status::IOError("git diff failed: " + std::string(TrimWhitespace(diff->err)));
  for (const std::string& line : SplitString(diff->out, '\n')) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string status = line.substr(0, tab), path = line.substr(tab + 1);
    std::string name = PromptName(path);
    if (name.empty()) continue;
    ChangedPrompt& c = changed[name];
    c.name = name;
    c.deleted = status == "D";
    if (status != "A") {
      Result<SubprocessResult> show = Git(prompts_dir, {"show", ref + ":./" + path});
      if (!show.ok()) return show.status();
      if (show->exit_code == 0) c.content_at_ref = show->out;
    }
  }
  // New files git does not track yet.
  Result<SubprocessResult> untracked = Git(prompts_dir, {"ls-files", "--others", "--exclude-standard", "--", "."});
  if (untracked.ok() && untracked->exit_code == 0) {
    for (const std::string& path : SplitString(untracked->out, '\n')) {
      std::string name = PromptName(std::string(TrimWhitespace(path)));
      if (!name.empty() && changed.count(name) == 0) changed[name].name = name;
    }
  }
  std::vector<ChangedPrompt> out;
  for (auto& [name, c] : changed) out.push_back(std::move(c));
  return out;
}

}  // namespace llmeval
