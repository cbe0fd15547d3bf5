#pragma once
// store::Campaigns in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/campaigns.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlCampaigns final : public Campaigns, SqlRepo {
 public:
  explicit SqlCampaigns(Connection& c) : SqlRepo(c) {}
  Result<std::vector<Campaign>> List(Id shop) override;
  Result<std::optional<Campaign>> Find(Id shop, Id campaign) override;
  Status EachNewCustomer(Id shop, Instant from, Instant to, const std::optional<AudienceCut>& cut,
                         const std::function<void(const NewCustomerRow&)>& row) override;
  // sql_generations.cc
  Status EachReferralEdge(Id shop, Instant to, const std::function<void(const ReferralEdge&)>& edge) override;
  Status EachActivation(Id shop, Instant to,
                        const std::function<void(const PromoterActivation&)>& fn) override;
  Result<Id> Insert(const Campaign& c) override;
  Result<int64_t> Delete(Id shop, Id campaign) override;
};

}  // namespace vouch::store::sql
