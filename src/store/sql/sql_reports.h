#pragma once
// store::Reports in SQL over one transaction's connection (composed by SqlTx): figures in
// sql_reports.cc, paged feeds and a promoter's page in sql_reports_feeds.cc. Not thread-safe.
#include "store/repos/reports.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlReports final : public Reports, SqlRepo {
 public:
  explicit SqlReports(Connection& c) : SqlRepo(c) {}
  Result<std::vector<DayCounts>> RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                             const std::optional<std::string>& segment) override;
  Result<std::vector<std::string>> Segments(Id shop) override;
  Result<std::vector<SegmentCounts>> SegmentTotals(Id shop, int64_t from_day, int64_t to_day) override;
  Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) override;
  Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to, int limit) override;
  // sql_reports_feeds.cc: the paged reads of the exports and a promoter's page.
  Status EachPromoter(Id shop, Instant from, Instant to, Id after_code, int limit,
                      const std::function<void(const PromoterRow&)>& row) override;
  Result<std::optional<PromoterPage>> Promoter(Id shop, const std::string& external_id) override;
  Status EachResponse(Id shop, const ResponseFilter& filter, Id after_survey, int limit,
                      const std::function<void(const ResponseRow&)>& row) override;
};

}  // namespace vouch::store::sql
