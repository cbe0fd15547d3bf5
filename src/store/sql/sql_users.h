#pragma once
// store::Users in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/users.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlUsers final : public Users, SqlRepo {
 public:
  explicit SqlUsers(Connection& c) : SqlRepo(c) {}
  Result<std::optional<User>> Find(Id shop, const std::string& email) override;
  Result<std::vector<User>> List(Id shop) override;
  Result<Id> Insert(const User& user) override;
};

}  // namespace vouch::store::sql
