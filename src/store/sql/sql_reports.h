#pragma once
// store::Reports in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/reports.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlReports final : public Reports, SqlRepo {
 public:
  explicit SqlReports(Connection& c) : SqlRepo(c) {}
  Result<std::vector<DayCounts>> RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                             const std::optional<std::string>& segment) override;
  Result<std::vector<std::string>> Segments(Id shop) override;
  Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) override;
  Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to, int limit) override;
  Result<std::vector<ResponseRow>> ListResponses(Id shop, Instant from, Instant to, int min_score,
                                                 int max_score, Id after_survey, int limit) override;
};

}  // namespace vouch::store::sql
