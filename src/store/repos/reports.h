#pragma once
// The reports repository: read-only figures over the other aggregates (the NPS rollup, the
// funnel, promoters, a promoter's page, responses). The Each* reads stream their rows through a
// callback (one row alive at a time), a page of `limit` rows after a keyset position, so an
// export reads a large table in many short reads. The same interface in a ReadTx and a Tx
// (ReadTx::reports()); not thread-safe, valid only inside the function the transaction was handed to. Errors:
// kUnavailable for a database fault.
#include <cstdint>
#include <functional>
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
  // Each segment with answers in days [from_day, to_day), its counts summed, by segment name.
  virtual Result<std::vector<SegmentCounts>> SegmentTotals(Id shop, int64_t from_day, int64_t to_day) = 0;
  virtual Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) = 0;
  virtual Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to, int limit) = 0;
  // Promoters (one code each) by code id after `after_code`, figures over [from, to), as
  // TopPromoters counts them.
  virtual Status EachPromoter(Id shop, Instant from, Instant to, Id after_code, int limit,
                              const std::function<void(const PromoterRow&)>& row) = 0;
  // The customer with this external id and their codes, answers, referrals and rewards; nullopt
  // when the shop has no such customer.
  virtual Result<std::optional<PromoterPage>> Promoter(Id shop, const std::string& external_id) = 0;
  // Answers matching `filter`, newest survey first, with survey ids below `after_survey` (0: from
  // the newest), each with its stored follow-up.
  virtual Status EachResponse(Id shop, const ResponseFilter& filter, Id after_survey, int limit,
                              const std::function<void(const ResponseRow&)>& row) = 0;

  Result<std::vector<ResponseRow>> ListResponses(Id shop, const ResponseFilter& filter, Id after_survey,
                                                 int limit) {
    std::vector<ResponseRow> out;
    VOUCH_TRY(
        EachResponse(shop, filter, after_survey, limit, [&out](const ResponseRow& r) { out.push_back(r); }));
    return out;
  }
  Result<std::vector<ResponseRow>> ListResponses(Id shop, Instant from, Instant to, int min_score,
                                                 int max_score, Id after_survey, int limit) {
    ResponseFilter f;
    f.from = from;
    f.to = to;
    f.min_score = min_score;
    f.max_score = max_score;
    return ListResponses(shop, f, after_survey, limit);
  }
};

}  // namespace vouch::store
