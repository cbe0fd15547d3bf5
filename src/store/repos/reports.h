#pragma once
// The reports repository: read-only figures over the other aggregates (the NPS rollup, the
// funnel, promoters, responses). The same interface in a ReadTx and a Tx (ReadTx::reports()); not
// thread-safe, valid only inside the function the transaction was handed to. Errors:
// kUnavailable for a database fault.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/reports.h"

namespace vouch::store {

class Reports {
 public:
  virtual ~Reports() = default;
  virtual Result<std::vector<DayCounts>> RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                                     const std::optional<std::string>& segment) = 0;
  virtual Result<std::vector<std::string>> Segments(Id shop) = 0;
  virtual Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) = 0;
  virtual Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to, int limit) = 0;
  virtual Result<std::vector<ResponseRow>> ListResponses(Id shop, Instant from, Instant to, int min_score,
                                                         int max_score, Id after_survey, int limit) = 0;
};

}  // namespace vouch::store
