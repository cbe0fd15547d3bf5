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

// The store's dialect is its writer connection's (Connection::dialect()).
Result<std::unique_ptr<Store>> MakeSqlStore(const ConnectionFactory& factory, int schema_version,
                                            const StoreOptions& options);

// Applies the embedded migrations "<kind>/NNNN_name" of the connection's dialect newer than the
// database's version, each in its own transaction. Returns the resulting version;
// kFailedPrecondition when the database is newer than we know.
Result<int> Migrate(Connection& conn);
// The newest migration version this binary has for `kind`.
int LatestMigration(const std::string& kind);

}  // namespace vouch::store::sql
