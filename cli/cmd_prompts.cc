// `llmeval prompts ...`: the prompt registry. Versions are immutable; `latest` moves by itself; users move aliases.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "cli/commands.h"
#include "core/strings.h"
#include "engine/run/prompt_resolver.h"
#include "prompts/prompt_ref.h"
#include "prompts/unified_diff.h"

namespace llmeval {
namespace {

const char kUsage[] =
    "llmeval prompts list\n"
    "       llmeval prompts show REF            (REF: basic, basic@production, basic/3, prompts:/basic@latest)\n"
    "       llmeval prompts history NAME\n"
    "       llmeval prompts diff REF REF\n"
    "       llmeval prompts alias NAME ALIAS VERSION\n"
    "       llmeval prompts register [NAME...] [-m MESSAGE]";

// InvalidInput unless `text` is a bare prompt NAME; `what` ("history") names the subcommand in the message. A valid
// reference that is not a bare name (`basic/3`, `basic@production`, `prompts:/basic`) is refused too: these
// subcommands act on a prompt as a whole, not on one version.
Status CheckPromptName(const std::string& text, const std::string& what) {
  if (IsValidPromptName(text)) return Status::OK();
  Result<PromptRef> ref = ParsePromptRef(text);
  if (!ref.ok()) return ref.status();
  std::string kind = ref->kind == PromptRef::Kind::kVersion ? "the version reference"
                     : ref->kind == PromptRef::Kind::kAlias ? "the alias reference"
                                                            : "the reference";
  return Status::InvalidInput(what + " takes a prompt NAME, got " + kind + " '" + text + "'; use '" + ref->name + "'");
}

}  // namespace

int CmdPrompts(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"message", true, "message recorded with newly registered versions", "m"});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("prompts", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.empty()) {
    PrintCommandHelp(kUsage, "Prompt files live in <prompts dir>/<name>.txt; every distinct content is a version.",
                     specs);
    return pos.empty() && !flags->Has("help") ? 2 : 0;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("prompts", config.status());
  Result<std::unique_ptr<Store>> opened = OpenProjectStore(*flags, *config);
  if (!opened.ok()) return Fail("prompts", opened.status());
  Store* store = opened->get();
  std::string prompts_dir = config->Resolve(config->prompts_dir);
  PromptResolver resolver(store, prompts_dir);
  const std::string& sub = pos[0];
  auto usage_error = [&](const std::string& what) {
    return Fail("prompts " + sub, Status::InvalidInput(what + "\nusage: " + kUsage));
  };

  if (sub == "list") {
    Result<std::vector<PromptSummary>> list = store->ListPrompts();
    if (!list.ok()) return Fail("prompts list", list.status());
    std::printf("%-24s %8s %8s  %s\n", "name", "latest", "versions", "aliases");
    for (const PromptSummary& p : *list) {
      std::printf("%-24s %8d %8d  %s\n", p.name.c_str(), p.latest_version, p.versions,
                  JoinStrings(p.aliases, ", ").c_str());
    }
    if (list->empty()) std::printf("(no prompt versions yet: run 'llmeval prompts register' or 'llmeval run')\n");
    return 0;
  }
  if (sub == "show") {
    if (pos.size() != 2) return usage_error("prompts show takes one REF");
    Result<ResolvedPrompt> p = resolver.Resolve(pos[1], flags->Get("message"));
    if (!p.ok() && p.status().code() == StatusCode::kNotFound && IsValidPromptName(pos[1])) {
      // A name with no working file (e.g. judge_guidelines): show its latest stored version.
      Result<ResolvedPrompt> latest = resolver.Resolve(pos[1] + "@latest");
      if (latest.ok()) p = latest;
    }
    if (!p.ok()) return Fail("prompts show", p.status());
    Result<PromptVersion> v = store->GetPromptVersion(p->name, p->version);
    if (!v.ok()) return Fail("prompts show", v.status());
    std::printf("# %s/%d  sha256 %s  created %s%s%s\n", v->name.c_str(), v->version, v->sha256.substr(0, 12).c_str(),
                FormatTime(v->created_unix_ns).c_str(), v->aliases.empty() ? "" : "  aliases ",
                JoinStrings(v->aliases, ", ").c_str());
    if (!v->message.empty()) std::printf("# message: %s\n", v->message.c_str());
    if (!v->git_commit.empty()) std::printf("# git: %s\n", v->git_commit.c_str());
    std::printf("%s", v->content.c_str());
    if (!v->content.empty() && v->content.back() != '\n') std::printf("\n");
    return 0;
  }
  if (sub == "history") {
    if (pos.size() != 2) return usage_error("prompts history takes one NAME");
    if (Status s = CheckPromptName(pos[1], "history"); !s.ok()) return Fail("prompts history", s);
    Result<std::vector<PromptVersion>> history = store->PromptHistory(pos[1]);
    if (!history.ok()) return Fail("prompts history", history.status());
    if (history->empty()) {
      return Fail("prompts history", Status::NotFound("prompt '" + pos[1] + "' has no stored versions"));
    }
    std::printf("%-8s %-20s %-13s %-16s %s\n", "version", "created (UTC)", "sha256", "aliases", "message / git");
    for (const PromptVersion& v : *history) {
      std::string note = v.message;
      if (!v.git_commit.empty()) note += (note.empty() ? "" : "  ") + std::string("git ") + v.git_commit.substr(0, 12);
      std::printf("%-8d %-20s %-13s %-16s %s\n", v.version, FormatTime(v.created_unix_ns).c_str(),
                  v.sha256.substr(0, 12).c_str(), JoinStrings(v.aliases, ",").c_str(), note.c_str());
    }
    return 0;
  }
  if (sub == "diff") {
    if (pos.size() != 3) return usage_error("prompts diff takes two REFs");
    Result<ResolvedPrompt> a = resolver.Resolve(pos[1]);
    if (!a.ok()) return Fail("prompts diff", a.status());
    Result<ResolvedPrompt> b = resolver.Resolve(pos[2]);
    if (!b.ok()) return Fail("prompts diff", b.status());
    std::string diff = UnifiedDiff(a->content, b->content, a->name + "/" + std::to_string(a->version),
                                   b->name + "/" + std::to_string(b->version), 3, StdoutIsTty());
    if (diff.empty()) {
      std::printf("%s/%d and %s/%d are identical\n", a->name.c_str(), a->version, b->name.c_str(), b->version);
    } else {
      std::printf("%s", diff.c_str());
    }
    return 0;
  }
  if (sub == "alias") {
    if (pos.size() != 4) return usage_error("prompts alias takes NAME ALIAS VERSION");
    if (Status s = CheckPromptName(pos[1], "alias"); !s.ok()) return Fail("prompts alias", s);
    if (!IsValidPromptName(pos[2])) {
      return Fail("prompts alias",
                  Status::InvalidInput("alias '" + pos[2] + "' is not a valid name (letters, digits, '_' and '-')"));
    }
    std::optional<int64_t> version = ParseInt(pos[3]);
    if (!version.has_value() || *version < 1) {
      return Fail("prompts alias", Status::InvalidInput("VERSION must be a number >= 1, got '" + pos[3] + "'"));
    }
    Status s = store->SetAlias(pos[1], pos[2], static_cast<int>(*version));
    if (!s.ok()) return Fail("prompts alias", s);
    std::printf("%s@%s -> %s/%lld\n", pos[1].c_str(), pos[2].c_str(), pos[1].c_str(), static_cast<long long>(*version));
    return 0;
  }
  if (sub == "register") {
    std::vector<std::string> names(pos.begin() + 1, pos.end());
    if (names.empty()) {
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(prompts_dir, ec)) {
        if (entry.path().extension() == ".txt" && IsValidPromptName(entry.path().stem().string())) {
          names.push_back(entry.path().stem().string());
        }
      }
      std::sort(names.begin(), names.end());
      if (names.empty()) {
        return Fail("prompts register", Status::NotFound("no prompt files (*.txt) in " + prompts_dir));
      }
    }
    for (const std::string& name : names) {
      if (Status s = CheckPromptName(name, "register"); !s.ok()) return Fail("prompts register", s);
      Result<ResolvedPrompt> p = resolver.Resolve(name, flags->Get("message"));
      if (!p.ok()) return Fail("prompts register", p.status());
      std::printf("%-24s version %d%s\n", name.c_str(), p->version, p->newly_registered ? " (new)" : " (unchanged)");
    }
    return 0;
  }
  return usage_error("unknown subcommand '" + sub + "'" + [&] {
    std::string hint = SuggestClosest(sub, {"list", "show", "history", "diff", "alias", "register"});
    return hint.empty() ? std::string() : "; did you mean '" + hint + "'?";
  }());
}

}  // namespace llmeval
