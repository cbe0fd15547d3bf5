#pragma once
// store::Sessions in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/sessions.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlSessions final : public Sessions, SqlRepo {
 public:
  explicit SqlSessions(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Session>> Find(const std::string& token_hash) override;
  Result<Id> Insert(const Session& session) override;
  Status Touch(Id session, Instant last_seen) override;
  Result<int64_t> Delete(Id session) override;
  Result<int64_t> DeleteForUser(Id user, Id except) override;
  Result<int64_t> DeleteEnded(Id user, Instant now, Instant idle_since) override;
};

}  // namespace vouch::store::sql
