#include <filesystem>

#include <fmt/format.h>

#include "store/postgres/pg_connection.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace vouch::store {
namespace {

// pg_advisory_lock key that serialises migrations of every node on one database ("vouch").
constexpr int64_t kMigrationLock = 0x766f756368;

// Migrates under a session-level advisory lock: `vouch migrate` on two nodes at once runs the
// migrations once, and the second sees the first one's result.
Result<int> MigratePostgres(sql::Connection& conn) {
  VOUCH_TRY(conn.Query("SELECT pg_advisory_lock(?1)", {kMigrationLock}));
  auto version = sql::Migrate(conn);
  auto unlocked = conn.Query("SELECT pg_advisory_unlock(?1)", {kMigrationLock});
  if (version.ok() && !unlocked.ok()) return unlocked.error();
  return version;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const StoreOptions& options) {
  postgres::PgOptions migrate_options;
  migrate_options.statement_timeout_ms = 0;  // waits for another node's migration
  auto migrator = postgres::OpenPostgres(url, migrate_options);
  if (!migrator) return migrator.error();
  auto version = MigratePostgres(**migrator);
  if (!version) return version.error();
  migrator->reset();
  auto factory = [url](bool /*for_writer*/) { return postgres::OpenPostgres(url); };
  return sql::MakeSqlStore(factory, *version, options);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty()) return InvalidArgument("VOUCH_DB", "sqlite: needs a file path");
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error{
          Code::kUnavailable, fmt::format("cannot create {}: {}", parent.string(), ec.message()), {}};
    }
    auto factory = [path, options](bool for_writer) {
      sqlite::SqliteOptions o;
      o.read_only = !for_writer;
      o.synchronous_full = options.synchronous_full;
      return sqlite::OpenSqlite(path, o);
    };
    auto migrator = factory(true);
    if (!migrator) return migrator.error();
    auto version = sql::Migrate(**migrator);
    if (!version) return version.error();
    migrator->reset();
    return sql::MakeSqlStore(factory, *version, options);
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return OpenPostgresStore(url, options);
  }
  return InvalidArgument("VOUCH_DB", "must start with sqlite: or postgres: (e.g. sqlite:data/vouch.db)");
}

}  // namespace vouch::store
