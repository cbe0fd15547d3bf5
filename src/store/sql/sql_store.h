#pragma once
// A Store over sql::Connection: one writer thread doing group commit, a pool of readers opened
// on first need. The factory is kept for that, so it must own what it captures.
#include <functional>
#include <memory>
#include <string>

#include "store/sql/connection.h"
#include "store/store.h"

namespace vouch::store::sql {

using ConnectionFactory = std::function<Result<std::unique_ptr<Connection>>(bool for_writer)>;

struct Dialect {
  std::string kind;                 // "sqlite"
  std::string begin_write;          // "BEGIN IMMEDIATE"
  std::string begin_read;           // "BEGIN"
};

Result<std::unique_ptr<Store>> MakeSqlStore(const ConnectionFactory& factory, const Dialect& dialect,
                                            int schema_version, const StoreOptions& options);

// Applies the embedded migrations "<kind>/NNNN_name" newer than the database's version.
// Returns the resulting version; kFailedPrecondition when the database is newer than we know.
Result<int> Migrate(Connection& conn, const std::string& kind);
// The newest migration version this binary has for `kind`.
int LatestMigration(const std::string& kind);

}  // namespace vouch::store::sql
