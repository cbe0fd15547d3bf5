#pragma once
// SQLite connection with a prepared-statement cache. WAL mode, foreign keys on, busy timeout.
#include <memory>
#include <string>

#include "store/sql/connection.h"

namespace vouch::store::sqlite {

struct SqliteOptions {
  bool read_only = false;
  bool synchronous_full = true;
  int busy_timeout_ms = 5000;
};

Result<std::unique_ptr<sql::Connection>> OpenSqlite(const std::string& path, const SqliteOptions& o);

}  // namespace vouch::store::sqlite
