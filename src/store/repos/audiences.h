#pragma once
// The audiences repository (issue 16): a shop's audiences, which of them a survey matches, the
// audience offer a promoter's code carries, and the audience cut of the NPS. Membership is the
// SQL condition of store/sql/sql_audiences.h over the survey, its order and its customer, so every
// use (activation, offers, each report's cut) sees the same definition. Scoped by shop. Obtained
// from a transaction (ReadTx::audiences(), Tx::audiences()); not thread-safe, valid only inside
// the function the transaction was handed to. Errors: kUnavailable for a database fault.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/records/audiences.h"
#include "store/records/reports.h"

namespace vouch::store {

class AudienceReads {
 public:
  virtual ~AudienceReads() = default;
  // The shop's audiences (not deleted), oldest first.
  virtual Result<std::vector<Audience>> List(Id shop) = 0;
  virtual Result<std::optional<Audience>> Find(Id shop, Id audience) = 0;
  // Whether `survey` (of the audience's shop) is in the audience; `shop_locale` stands for a
  // customer without a locale.
  virtual Result<bool> Contains(const Audience& audience, Id survey, const std::string& shop_locale) = 0;
  // Counted answers of surveys in the audience by the day they were answered (as the NPS rollup
  // counts them), days in [from_day, to_day), in day order.
  // With `segment`, only the surveys of that product category.
  virtual Result<std::vector<DayCounts>> AnswersByDay(const AudienceCut& cut, int64_t from_day,
                                                      int64_t to_day,
                                                      const std::optional<std::string>& segment) = 0;
  // Every promoter whose surveyed order (the survey their code was made from) is in the audience,
  // one call per code, in no particular order.
  virtual Status EachPromoter(const AudienceCut& cut, const std::function<void(Id customer)>& fn) = 0;
};

class Audiences : public AudienceReads {
 public:
  virtual Result<Id> Insert(const Audience& a) = 0;
  // Deletes the audience (kept for the codes that carry its offer): how many changed (0 or 1).
  virtual Result<int64_t> Delete(Id shop, Id audience, Instant at) = 0;
  // Records that the promoter's code carries the audience's offer; a promoter keeps their first.
  virtual Status AssignOffer(Id shop, Id customer, Id audience, Id code, Instant at) = 0;
};

}  // namespace vouch::store
