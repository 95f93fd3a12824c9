#include "engine/store/store.h"

#include <filesystem>

#include "engine/store/store_schema.h"

namespace llmeval {

std::string VariantRecord::Label() const { return prompt_name + "/" + std::to_string(prompt_version) + " x " + model; }

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, Clock* clock) {
  std::error_code ec;
  std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  Result<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path);
  if (!db.ok()) return db.status();
  std::unique_ptr<Store> store(new Store(std::move(db.value()), clock));
  Status s = store->Migrate();
  if (!s.ok()) return s;
  return store;
}

Status Store::Migrate() {
  Status s = db_->Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  if (!s.ok()) return s;
  s = db_->Begin();
  if (!s.ok()) return s;
  auto query = db_->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!query.ok()) {
    db_->Rollback();
    return query.status();
  }
  Result<bool> row = (*query)->Step();
  if (!row.ok()) {
    db_->Rollback();
    return row.status();
  }
  int64_t current = (*query)->Int(0);
  query->reset();
  const auto& migrations = StoreMigrations();
  if (current > static_cast<int64_t>(migrations.size())) {
    db_->Rollback();
    return Status::InvalidInput("store " + path() + " has schema version " + std::to_string(current) +
                                ", newer than this llmeval understands (" + std::to_string(migrations.size()) +
                                "); upgrade llmeval");
  }
  for (size_t i = static_cast<size_t>(current); i < migrations.size(); ++i) {
    s = db_->Exec(migrations[i]);
    if (s.ok()) s = db_->Exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(i + 1) + ")");
    if (!s.ok()) {
      db_->Rollback();
      return s.WithContext("migrating to schema version " + std::to_string(i + 1));
    }
  }
  return db_->Commit();
}

Result<int64_t> Store::ExperimentId(const std::string& name) {
  auto insert = db_->Prepare("INSERT OR IGNORE INTO experiments (name, created_unix_ns) VALUES (?, ?)");
  if (!insert.ok()) return insert.status();
  Status s = (*insert)->Bind(1, name).Bind(2, clock_->NowUnixNanos()).Run();
  if (!s.ok()) return s;
  auto select = db_->Prepare("SELECT id FROM experiments WHERE name = ?");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, name);
  Result<bool> row = (*select)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("experiment vanished: " + name);
  return (*select)->Int(0);
}

Result<std::optional<std::string>> Store::CacheGet(const std::string& key) {
  auto q = db_->Prepare("SELECT response_json FROM response_cache WHERE key = ?");
  if (!q.ok()) return q.status();
  (*q)->Bind(1, key);
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>((*q)->Text(0));
}

Status Store::CachePut(const std::string& key, const std::string& response_json) {
  auto q = db_->Prepare("INSERT OR REPLACE INTO response_cache (key, response_json, created_unix_ns) VALUES (?, ?, ?)");
  if (!q.ok()) return q.status();
  return (*q)->Bind(1, key).Bind(2, response_json).Bind(3, clock_->NowUnixNanos()).Run();
}

Result<Store::CacheStats> Store::GetCacheStats() {
  auto q = db_->Prepare(
      "SELECT COUNT(*), COALESCE(SUM(LENGTH(CAST(response_json AS BLOB))), 0), COALESCE(MIN(created_unix_ns), 0), "
      "COALESCE(MAX(created_unix_ns), 0) FROM response_cache");
  if (!q.ok()) return q.status();
  Result<bool> row = (*q)->Step();
  if (!row.ok()) return row.status();
  CacheStats stats;
  stats.entries = (*q)->Int(0);
  stats.bytes = (*q)->Int(1);
  stats.oldest_unix_ns = (*q)->Int(2);
  stats.newest_unix_ns = (*q)->Int(3);
  return stats;
}

Result<int64_t> Store::ClearCache(int64_t before_unix_ns) {
  auto q = db_->Prepare("DELETE FROM response_cache WHERE created_unix_ns < ?");
  if (!q.ok()) return q.status();
  Status s = (*q)->Bind(1, before_unix_ns).Run();
  if (!s.ok()) return s;
  return db_->Changes();
}

}  // namespace llmeval
