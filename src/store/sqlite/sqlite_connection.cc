#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <functional>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "store/sql/dialect.h"

namespace vouch::store::sqlite {
namespace {

Error SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{Code::kAlreadyExists, msg, {}};
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_IOERR ||
      primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) {
    return Error{Code::kUnavailable, msg, {}};
  }
  return Error{Code::kInternal, msg, {}};
}

class SqliteConnection final : public sql::Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<sql::Value>& params) override {
    auto stmt = Prepare(sql, params);
    if (!stmt) return stmt.error();
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(*stmt);
    if (rc != SQLITE_DONE) return SqliteError(db_, sqlite3_extended_errcode(db_), "exec");
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status QueryEach(std::string_view sql, const std::vector<sql::Value>& params,
                   const std::function<void(sql::Row&)>& each) override {
    auto stmt = Prepare(sql, params);
    if (!stmt) return stmt.error();
    // Reset even when `each` throws: a statement left mid-result would hold its read snapshot
    // (and the WAL) for as long as the connection lives.
    struct Reset {
      sqlite3_stmt* stmt;
      ~Reset() { sqlite3_reset(stmt); }
    } reset{*stmt};
    const auto cols = static_cast<size_t>(sqlite3_column_count(*stmt));
    sql::Row row;
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
      row.resize(cols);  // again, if `each` took the last one
      for (size_t i = 0; i < cols; ++i) row[i] = Column(*stmt, static_cast<int>(i));
      each(row);
    }
    if (rc != SQLITE_DONE) return SqliteError(db_, sqlite3_extended_errcode(db_), "query");
    return OkStatus();
  }

  const sql::Dialect& dialect() const override { return sql::SqliteDialect(); }

  Status Script(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return Error{(rc & 0xff) == SQLITE_BUSY ? Code::kUnavailable : Code::kInternal, msg, {}};
    }
    return OkStatus();
  }

 private:
  static sql::Value Column(sqlite3_stmt* stmt, int i) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER: return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
      case SQLITE_FLOAT: return sqlite3_column_double(stmt, i);
      case SQLITE_NULL: return std::monostate{};
      default: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
        return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt, i)));
      }
    }
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<sql::Value>& params) {
    auto it = cache_.find(sql);  // no copy of the text (a set statement's is tens of kB)
    sqlite3_stmt* stmt = nullptr;
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                  &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, fmt::format("prepare [{}]", sql));
      cache_.emplace(std::string(sql), stmt);
    }
    sqlite3_clear_bindings(stmt);
    for (size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i) + 1;
      const auto& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<int64_t>(v)) {
        rc = sqlite3_bind_int64(stmt, idx, std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        rc = sqlite3_bind_double(stmt, idx, std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        rc = sqlite3_bind_text(stmt, idx, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, idx);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
    }
    return stmt;
  }

  sqlite3* db_;
  // Looked up by string_view (heterogeneous lookup).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
};

}  // namespace

Result<std::unique_ptr<sql::Connection>> OpenSqlite(const std::string& path, const SqliteOptions& o) {
  // SQLite's allocation statistics take a process-wide mutex around every malloc and free: 11 %
  // of the writer thread's time in a batch ingest profile. Nothing here reads them. Must run
  // before SQLite initialises (sqlite3_config returns SQLITE_MISUSE after, harmlessly).
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  // Readers open read-write (WAL needs the shared-memory file) but refuse writes by pragma.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(db, rc, fmt::format("open {}", path));
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, o.busy_timeout_ms);
  auto conn = std::make_unique<SqliteConnection>(db);
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  if (o.read_only) {
    pragmas += "PRAGMA query_only=ON;";
  } else {
    pragmas += "PRAGMA journal_mode=WAL;";
    pragmas += o.synchronous_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;";
    // The writer runs each write function in a SAVEPOINT. Its statement journal (the pages a
    // savepoint changed, kept to roll back to it) spills to a temp file after 64 kB unless temp
    // storage is memory: in a batch ingest that file took 70 times as many writes as the WAL
    // (strace), and batch throughput rose 2.8x with it in memory.
    pragmas += "PRAGMA temp_store=MEMORY;";
  }
  VOUCH_TRY(conn->Script(pragmas));
  return std::unique_ptr<sql::Connection>(std::move(conn));
}

}  // namespace vouch::store::sqlite
