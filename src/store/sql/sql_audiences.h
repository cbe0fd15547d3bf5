#pragma once
// store::Audiences in SQL over one transaction's connection (composed by SqlTx), and the SQL
// condition that decides audience membership everywhere. Not thread-safe.
#include <string>
#include <vector>

#include "store/repos/audiences.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

// "The survey s (with its order o and customer c, joined by the caller) is in `a`", its
// parameters appended to `params` (numbered after the ones already there). `shop_locale` stands
// for a customer without a locale.
std::string AudienceCondition(const Audience& a, const std::string& shop_locale, std::vector<Value>& params);

class SqlAudiences final : public Audiences, SqlRepo {
 public:
  explicit SqlAudiences(Connection& c) : SqlRepo(c) {}
  Result<std::vector<Audience>> List(Id shop) override;
  Result<std::optional<Audience>> Find(Id shop, Id audience) override;
  Result<bool> Contains(const Audience& audience, Id survey, const std::string& shop_locale) override;
  Result<std::vector<DayCounts>> AnswersByDay(const AudienceCut& cut, int64_t from_day, int64_t to_day,
                                              const std::optional<std::string>& segment) override;
  Status EachPromoter(const AudienceCut& cut, const std::function<void(Id customer)>& fn) override;
  Result<Id> Insert(const Audience& a) override;
  Result<int64_t> Delete(Id shop, Id audience, Instant at) override;
  Status AssignOffer(Id shop, Id customer, Id audience, Id code, Instant at) override;
};

}  // namespace vouch::store::sql
