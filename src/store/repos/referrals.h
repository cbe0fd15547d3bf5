#pragma once
// The referrals repository: promoters' referral codes (with their uses and share visits), the
// referrals orders made with them, and the rewards those earned. Obtained from a transaction
// (ReadTx::referrals(), Tx::referrals()); not thread-safe, valid only inside the function the
// transaction was handed to. Errors: kUnavailable for a database fault, kAlreadyExists where noted.
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/records/referrals.h"

namespace vouch::store {

class ReferralReads {
 public:
  virtual ~ReferralReads() = default;
  virtual Result<std::optional<ReferralCode>> FindCodeByPromoter(Id shop, Id promoter) = 0;
  virtual Result<std::optional<ReferralCode>> FindCode(Id shop, const std::string& code) = 0;
  virtual Result<std::optional<ReferralCode>> GetCode(Id code) = 0;
  // Codes are unique across shops, so a share link can find its code alone.
  virtual Result<std::optional<ReferralCode>> FindCodeAnyShop(const std::string& code) = 0;
  virtual Result<std::optional<Referral>> Get(Id referral) = 0;
  virtual Result<std::optional<Reward>> GetReward(Id reward) = 0;
  virtual Result<std::optional<Reward>> FindRewardByReferral(Id referral) = 0;
  // The shop's reward whose voucher is `code` (normalised, core::NormalizeCode): one index look-up.
  virtual Result<std::optional<Reward>> FindRewardByCode(Id shop, const std::string& code) = 0;
  // A promoter's rewards, newest first, and the ledger entries of them, oldest first.
  virtual Result<std::vector<Reward>> ListRewards(Id shop, Id promoter) = 0;
  virtual Result<std::vector<RewardEntry>> ListEntries(Id shop, Id promoter) = 0;
  // The promoter's rewards made in [from, to) that stand (held or released): the monthly cap.
  virtual Result<int64_t> CountStandingRewards(Id shop, Id promoter, Instant from, Instant to) = 0;
  // The code's qualified referrals made in [from, to) (the velocity rule).
  virtual Result<int64_t> CountQualifiedOnCode(Id code, Instant from, Instant to) = 0;
  // Visits to the code's share link in [from, to) (attribution by landing URL).
  virtual Result<int64_t> CountVisitsOnCode(Id code, Instant from, Instant to) = 0;
  // The distinct buyers of the code's referrals made in [from, to) that were not rejected as
  // self-referrals (the coupon-leak rule's unrelated buyers).
  virtual Result<int64_t> CountBuyersOnCode(Id code, Instant from, Instant to) = 0;
  virtual Result<std::vector<ReferralRow>> List(Id shop, const ReferralFilter& filter) = 0;
  // The source ("answered") under which the promoter `customer` was seen on the network whose
  // keyed hash is `network_hash` (promoter_networks), if any: one index look-up.
  virtual Result<std::optional<std::string>> FindPromoterNetwork(Id customer,
                                                                 const std::string& network_hash) = 0;
  // The referrals (not rejected) of the buyer `customer`'s orders other than `excluding_order`:
  // a buyer once referred is no new customer, whichever of their orders came first.
  virtual Result<int64_t> CountReferralsOfBuyer(Id shop, Id customer, Id excluding_order) = 0;
};

class Referrals : public ReferralReads {
 public:
  virtual Result<Id> InsertCode(const ReferralCode& c) = 0;  // kAlreadyExists when taken
  virtual Status AddCodeUse(Id code) = 0;
  // Locks the code's row until the transaction ends (an attribution on the same code by another
  // node waits for this one to commit) and returns the code as it then stands: its uses count
  // and the other node's referrals are current from here on. nullopt for an unknown code.
  virtual Result<std::optional<ReferralCode>> LockCode(Id code) = 0;
  virtual Status AddCodeVisit(Id code, Instant at) = 0;
  // Pauses the code at `at` (coupon leak) with the count that paused it, unless it is paused.
  virtual Status PauseCode(Id code, Instant at, int64_t buyers) = 0;
  // Resumes a paused code at `at`: paused_at cleared, resumed_at set, and its coupon_leak job
  // deleted so that a later pause mails the shop again. false when the code was not paused.
  virtual Result<bool> ResumeCode(Id code, Instant at) = 0;
  virtual Result<Id> Insert(const Referral& r) = 0;
  // With its status, hold_until and released_at. kAlreadyExists when the shop's reward code is taken.
  virtual Result<Id> InsertReward(const Reward& r) = 0;
  // The referred order's net revenue after a refund or a cancellation.
  virtual Status SetRevenue(Id referral, int64_t revenue_minor) = 0;
  // Moves the reward from `from` to `to` at `at` (released_at for kReleased, reversed_at and
  // `reason` for kVoided and kClawedBack) only if it still stands at `from`: false when it does
  // not (another transaction moved it first), so no step is ever taken twice.
  virtual Result<bool> MoveReward(Id reward, RewardStatus from, RewardStatus to, Instant at,
                                  const std::string& reason) = 0;
  virtual Result<Id> InsertEntry(const RewardEntry& e) = 0;
  // Remembers that the promoter `customer` of `shop` was seen on the network `network_hash` from
  // `source` at `at` (seen again: the time moves on), keeping the latest `keep` per promoter.
  virtual Status AddPromoterNetwork(Id shop, Id customer, const std::string& network_hash,
                                    const std::string& source, Instant at, int keep) = 0;
  // Records that the shop's order `order_external_id`, placed at `at`, carried the reward's
  // voucher, unless an earlier order already did: false then.
  virtual Result<bool> MarkVoucherUsed(Id reward, const std::string& order_external_id, Instant at) = 0;
  // Voids the reward's voucher at `at` only if no order carried it and it is not void yet: false
  // otherwise. Conditional like MoveReward, so a clawback racing an order with the voucher on
  // another node ends either voided (and the order flagged) or used (and never voided).
  virtual Result<bool> VoidVoucher(Id reward, Instant at) = 0;
  // A person's review of a referral pending review: its decision becomes `decision` (and its
  // status `status`) at `at`, only if it is still pending; false when it was not.
  virtual Result<bool> Review(Id referral, core::Decision decision, core::ReferralVerdict status,
                              Instant at) = 0;
};

}  // namespace vouch::store
