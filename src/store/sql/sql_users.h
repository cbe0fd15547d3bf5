#pragma once
// store::Users in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/users.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlUsers final : public Users, SqlRepo {
 public:
  explicit SqlUsers(Connection& c) : SqlRepo(c) {}
  Result<std::optional<User>> Find(Id shop, const std::string& email) override;
  Result<std::optional<User>> Get(Id shop, Id user) override;
  Result<std::vector<User>> FindByEmail(const std::string& email) override;
  Result<int64_t> CountAdmins(Id shop) override;
  Result<std::vector<User>> List(Id shop) override;
  Result<Id> Insert(const User& user) override;
  Status SetRole(Id user, Role role) override;
  Status SetPasswordHash(Id user, const std::string& password_hash) override;
  Status SetLastSignIn(Id user, Instant at) override;
  Result<int64_t> Delete(Id shop, Id user) override;
};

}  // namespace vouch::store::sql
