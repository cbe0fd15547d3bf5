#include <filesystem>

#include <fmt/format.h>

#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace vouch::store {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);
    if (path.empty()) return InvalidArgument("VOUCH_DB", "sqlite: needs a file path");
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Error{Code::kUnavailable, fmt::format("cannot create {}: {}", parent.string(), ec.message()), {}};
    }
    auto factory = [path, options](bool for_writer) {
      sqlite::SqliteOptions o;
      o.read_only = !for_writer;
      o.synchronous_full = options.synchronous_full;
      return sqlite::OpenSqlite(path, o);
    };
    auto migrator = factory(true);
    if (!migrator) return migrator.error();
    auto version = sql::Migrate(**migrator, "sqlite");
    if (!version) return version.error();
    migrator->reset();
    return sql::MakeSqlStore(factory, sql::Dialect{"sqlite", "BEGIN IMMEDIATE", "BEGIN"}, *version,
                             options);
  }
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    return Error{Code::kFailedPrecondition,
                 "PostgreSQL is not supported by this build yet; use sqlite:path", "VOUCH_DB"};
  }
  return InvalidArgument("VOUCH_DB", "must start with sqlite: (e.g. sqlite:data/vouch.db)");
}

}  // namespace vouch::store
