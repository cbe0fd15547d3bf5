#pragma once
// The referrals repository: promoters' referral codes (with their uses and share visits), the
// referrals orders made with them, and the rewards those earned. Obtained from a transaction
// (ReadTx::referrals(), Tx::referrals()); not thread-safe, valid only inside the function the
// transaction was handed to. Errors: kUnavailable for a database fault, kAlreadyExists where noted.
#include <optional>
#include <string>

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
};

class Referrals : public ReferralReads {
 public:
  virtual Result<Id> InsertCode(const ReferralCode& c) = 0;  // kAlreadyExists when taken
  virtual Status AddCodeUse(Id code) = 0;
  virtual Status AddCodeVisit(Id code, Instant at) = 0;
  virtual Result<Id> Insert(const Referral& r) = 0;
  virtual Result<Id> InsertReward(
      const Reward& r) = 0;  // kAlreadyExists when the shop's reward code is taken
};

}  // namespace vouch::store
