#pragma once
// store::Followups in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/followups.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlFollowups final : public Followups, SqlRepo {
 public:
  explicit SqlFollowups(Connection& c) : SqlRepo(c) {}
  Result<std::optional<Followup>> Find(Id shop, Id survey) override;
  Result<FollowupCounts> Counts(Id shop, Instant from, Instant to) override;
  Status Upsert(const Followup& f) override;
};

}  // namespace vouch::store::sql
