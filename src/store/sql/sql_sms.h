#pragma once
// store::Sms in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/sms.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlSms final : public Sms, SqlRepo {
 public:
  explicit SqlSms(Connection& c) : SqlRepo(c) {}
  Result<bool> IsOptedOut(const std::string& phone) override;
  Result<std::optional<Id>> LatestOpenSurvey(const std::string& phone) override;
  Result<bool> OptOut(const std::string& phone, Instant at) override;
  Result<bool> OptIn(const std::string& phone) override;
  Result<bool> RecordDelivery(Id job, bool delivered, const std::string& detail, Instant at) override;
  Status Defer(Id job, Instant run_at, const std::string& note) override;
};

}  // namespace vouch::store::sql
