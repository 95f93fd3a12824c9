// The prompt registry half of Store: immutable versions, automatic `latest`, user aliases.
#include "core/hash.h"
#include "engine/store/store.h"

namespace llmeval {
namespace {

constexpr char kSelectVersion[] =
    "SELECT name, version, content, sha256, created_unix_ns, message, git_commit FROM prompt_versions ";

PromptVersion ReadVersion(const SqliteStatement& q) {
  PromptVersion v;
  v.name = q.Text(0);
  v.version = static_cast<int>(q.Int(1));
  v.content = q.Text(2);
  v.sha256 = q.Text(3);
  v.created_unix_ns = q.Int(4);
  v.message = q.Text(5);
  v.git_commit = q.Text(6);
  return v;
}

}  // namespace

Result<PromptVersion> Store::RegisterPrompt(const std::string& name, const std::string& content,
                                            const std::string& message, const std::string& git_commit, bool* created) {
  std::string sha = Sha256Hex(content);
  Status s = db_->Begin();
  if (!s.ok()) return s;
  auto existing = db_->Prepare(std::string(kSelectVersion) + "WHERE name = ? AND sha256 = ?");
  if (!existing.ok()) {
    db_->Rollback();
    return existing.status();
  }
  (*existing)->Bind(1, name).Bind(2, sha);
  Result<bool> found = (*existing)->Step();
  if (!found.ok()) {
    db_->Rollback();
    return found.status();
  }
  if (*found) {
    PromptVersion v = ReadVersion(**existing);
    existing->reset();
    db_->Commit();
    if (created != nullptr) *created = false;
    return v;
  }
  existing->reset();
  auto next = db_->Prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM prompt_versions WHERE name = ?");
  if (!next.ok()) {
    db_->Rollback();
    return next.status();
  }
  (*next)->Bind(1, name);
  Result<bool> row = (*next)->Step();
  if (!row.ok()) {
    db_->Rollback();
    return row.status();
  }
  PromptVersion v;
  v.name = name;
  v.version = static_cast<int>((*next)->Int(0));
  next->reset();
  v.content = content;
  v.sha256 = sha;
  v.created_unix_ns = clock_->NowUnixNanos();
  v.message = message;
  v.git_commit = git_commit;
  auto insert = db_->Prepare(
      "INSERT INTO prompt_versions (name, version, content, sha256, created_unix_ns, message, git_commit) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) {
    db_->Rollback();
    return insert.status();
  }
  s = (*insert)
          ->Bind(1, v.name)
          .Bind(2, v.version)
          .Bind(3, v.content)
          .Bind(4, v.sha256)
          .Bind(5, v.created_unix_ns)
          .Bind(6, v.message)
          .Bind(7, v.git_commit)
          .Run();
  if (s.ok()) {
    auto alias = db_->Prepare(
        "INSERT OR REPLACE INTO prompt_aliases (name, alias, version, updated_unix_ns) VALUES (?, 'latest', ?, ?)");
    s = alias.ok() ? (*alias)->Bind(1, v.name).Bind(2, v.version).Bind(3, v.created_unix_ns).Run() : alias.status();
  }
  if (!s.ok()) {
    db_->Rollback();
    return s;
  }
  s = db_->Commit();
  if (!s.ok()) return s;
  if (created != nullptr) *created = true;
  return v;
}

Result<PromptVersion> Store::GetPromptVersion(const std::string& name, int version) {
  auto q = db_->Prepare(std::string(kSelectVersion) + "WHERE name = ? AND version = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, name).Bind(2, version);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("prompt '" + name + "' has no version " + std::to_string(version) +
                            " (see: llmeval prompts history " + name + ")");
  }
  PromptVersion v = ReadVersion(**q);
  auto aliases = db_->Prepare("SELECT alias FROM prompt_aliases WHERE name = ? AND version = ? ORDER BY alias");
  if (!aliases.ok()) return aliases.status();
  (*aliases)->Bind(1, name).Bind(2, version);
  while (true) {
    Result<bool> a = (*aliases)->Step();
    if (!a.ok()) return a.status();
    if (!*a) break;
    v.aliases.push_back((*aliases)->Text(0));
  }
  return v;
}

Result<PromptVersion> Store::GetPromptByAlias(const std::string& name, const std::string& alias) {
  auto q = db_->Prepare("SELECT version FROM prompt_aliases WHERE name = ? AND alias = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, name).Bind(2, alias);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("prompt '" + name + "' has no alias '" + alias + "' (set one with: llmeval prompts alias " +
                            name + " " + alias + " VERSION)");
  }
  return GetPromptVersion(name, static_cast<int>((*q)->Int(0)));
}

Result<std::vector<PromptVersion>> Store::PromptHistory(const std::string& name) {
  auto q = db_->Prepare(std::string(kSelectVersion) + "WHERE name = ? ORDER BY version");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, name);
  std::vector<PromptVersion> versions;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    versions.push_back(ReadVersion(**q));
  }
  auto aliases = db_->Prepare("SELECT alias, version FROM prompt_aliases WHERE name = ? ORDER BY alias");
  if (!aliases.ok()) return aliases.status();
  (*aliases)->Bind(1, name);
  while (true) {
    Result<bool> row = (*aliases)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int version = static_cast<int>((*aliases)->Int(1));
    for (PromptVersion& v : versions) {
      if (v.version == version) v.aliases.push_back((*aliases)->Text(0));
    }
  }
  return versions;
}

Result<std::vector<PromptSummary>> Store::ListPrompts() {
  auto q = db_->Prepare("SELECT name, MAX(version), COUNT(*) FROM prompt_versions GROUP BY name ORDER BY name");
  if (!q.ok()) return q.status();
  std::vector<PromptSummary> prompts;
  while (true) {
    Result<bool> row = (*q)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    prompts.push_back({(*q)->Text(0), static_cast<int>((*q)->Int(1)), static_cast<int>((*q)->Int(2)), {}});
  }
  auto aliases = db_->Prepare("SELECT name, alias, version FROM prompt_aliases WHERE alias != 'latest' ORDER BY alias");
  if (!aliases.ok()) return aliases.status();
  while (true) {
    Result<bool> row = (*aliases)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    for (PromptSummary& p : prompts) {
      if (p.name == (*aliases)->Text(0)) {
        p.aliases.push_back((*aliases)->Text(1) + "=" + std::to_string((*aliases)->Int(2)));
      }
    }
  }
  return prompts;
}

Status Store::SetAlias(const std::string& name, const std::string& alias, int version) {
  if (alias == "latest") {
    return Status::InvalidInput("alias 'latest' moves by itself to the newest version; choose another alias name");
  }
  Result<PromptVersion> v = GetPromptVersion(name, version);
  if (!v.ok()) return v.status();
  auto q =
      db_->Prepare("INSERT OR REPLACE INTO prompt_aliases (name, alias, version, updated_unix_ns) VALUES (?, ?, ?, ?)");
  if (!q.ok()) return q.status();
  return (*q)->Bind(1, name).Bind(2, alias).Bind(3, version).Bind(4, clock_->NowUnixNanos()).Run();
}

}  // namespace llmeval
