#pragma once
// store::Referrals in SQL over one transaction's connection (composed by SqlTx). Not thread-safe.
#include "store/repos/referrals.h"
#include "store/sql/rows.h"

namespace vouch::store::sql {

class SqlReferrals final : public Referrals, SqlRepo {
 public:
  explicit SqlReferrals(Connection& c) : SqlRepo(c) {}
  Result<std::optional<ReferralCode>> FindCodeByPromoter(Id shop, Id promoter) override;
  Result<std::optional<ReferralCode>> FindCode(Id shop, const std::string& code) override;
  Result<std::optional<ReferralCode>> GetCode(Id code) override;
  Result<std::optional<ReferralCode>> FindCodeAnyShop(const std::string& code) override;
  Result<std::optional<Referral>> Get(Id referral) override;
  Result<std::optional<Reward>> GetReward(Id reward) override;
  Result<std::optional<Reward>> FindRewardByReferral(Id referral) override;
  Result<std::optional<Reward>> FindRewardByCode(Id shop, const std::string& code) override;
  Result<Id> InsertCode(const ReferralCode& c) override;
  Status AddCodeUse(Id code) override;
  Result<std::optional<ReferralCode>> LockCode(Id code) override;
  Result<int64_t> CountReferralsOfBuyer(Id shop, Id customer, Id excluding_order) override;
  Status AddCodeVisit(Id code, Instant at) override;
  Result<Id> Insert(const Referral& r) override;
  Result<Id> InsertReward(const Reward& w) override;
  Result<bool> MarkVoucherUsed(Id reward, const std::string& order_external_id, Instant at) override;
  Result<bool> VoidVoucher(Id reward, Instant at) override;
  Result<std::optional<std::string>> FindPromoterNetwork(Id customer,
                                                         const std::string& network_hash) override;
  Status AddPromoterNetwork(Id shop, Id customer, const std::string& network_hash, const std::string& source,
                            Instant at, int keep) override;
  Result<std::vector<Reward>> ListRewards(Id shop, Id promoter) override;
  Result<std::vector<RewardEntry>> ListEntries(Id shop, Id promoter) override;
  Result<int64_t> CountStandingRewards(Id shop, Id promoter, Instant from, Instant to) override;
  Result<int64_t> CountQualifiedOnCode(Id code, Instant from, Instant to) override;
  Result<int64_t> CountVisitsOnCode(Id code, Instant from, Instant to) override;
  Result<int64_t> CountBuyersOnCode(Id code, Instant from, Instant to) override;
  Status PauseCode(Id code, Instant at, int64_t buyers) override;
  Result<bool> ResumeCode(Id code, Instant at) override;
  Result<std::vector<ReferralRow>> List(Id shop, const ReferralFilter& filter) override;
  Result<bool> Review(Id referral, core::Decision decision, core::ReferralVerdict status,
                      Instant at) override;
  Status SetRevenue(Id referral, int64_t revenue_minor) override;
  Result<bool> MoveReward(Id reward, RewardStatus from, RewardStatus to, Instant at,
                          const std::string& reason) override;
  Result<Id> InsertEntry(const RewardEntry& e) override;
};

}  // namespace vouch::store::sql
