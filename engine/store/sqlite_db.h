// A thin RAII layer over SQLite: a connection that opens in WAL mode with foreign keys and a busy timeout, prepared
// statements with typed binds and columns, and transactions. Errors come back as Status (kIOError) naming the
// database path and the failing statement. A SqliteDb is used by one thread at a time.
#ifndef LLMEVAL_ENGINE_STORE_SQLITE_DB_H_
#define LLMEVAL_ENGINE_STORE_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace llmeval {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Binds are 1-based like SQLite's.
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& Bind(int index, std::string_view value);
  // Binds text without copying it: `value` must stay alive and unchanged until the statement has been reset (Run
  // resets it) or the parameter bound again. For large columns written in bulk (Store::WriteItems).
  SqliteStatement& BindView(int index, std::string_view value);
  SqliteStatement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  SqliteStatement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  SqliteStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& BindNull(int index);
  SqliteStatement& Bind(int index, const std::optional<double>& value);

  // Steps once: true when a row is ready, false when done. Errors come back as a Status.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Status Run();
  void Reset();

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::optional<double> OptionalDouble(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  // Opens (creating when absent) the database at `path`, in WAL mode with foreign keys on and a busy timeout, so
  // several processes can share it.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();

  Status Exec(std::string_view sql);
  Result<std::unique_ptr<SqliteStatement>> Prepare(std::string_view sql);
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const;
  const std::string& path() const { return path_; }

  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  Status Rollback() { return Exec("ROLLBACK"); }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_STORE_SQLITE_DB_H_
