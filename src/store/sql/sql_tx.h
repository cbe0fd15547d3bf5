#pragma once
// Tx implemented once in portable SQL over a sql::Connection; shared by every backend.
#include <memory>

#include "store/sql/connection.h"
#include "store/store.h"

namespace vouch::store::sql {

std::unique_ptr<Tx> MakeSqlTx(Connection& conn);

}  // namespace vouch::store::sql
