#include "store/sql/sql_referrals.h"

#include <fmt/format.h>

namespace vouch::store::sql {

Result<std::optional<ReferralCode>> SqlReferrals::FindCodeByPromoter(Id shop, Id promoter) {
  return One<ReferralCode>(
      c_, fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND promoter_id = ?2", kCodeCols),
      {shop, promoter}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::FindCode(Id shop, const std::string& code) {
  return One<ReferralCode>(
      c_, fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND code = ?2", kCodeCols),
      {shop, code}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::FindCodeAnyShop(const std::string& code) {
  return One<ReferralCode>(c_, fmt::format("SELECT {} FROM referral_codes WHERE code = ?1", kCodeCols),
                           {code}, CodeFrom);
}

Result<std::optional<ReferralCode>> SqlReferrals::GetCode(Id code) {
  return One<ReferralCode>(c_, fmt::format("SELECT {} FROM referral_codes WHERE id = ?1", kCodeCols), {code},
                           CodeFrom);
}

Result<Id> SqlReferrals::InsertCode(const ReferralCode& c) {
  // Only a taken code is "already exists" (the app retries with another); a second code for the
  // same promoter is a uniqueness violation that fails the whole write.
  return InsertUnlessTaken(
      c_,
      "INSERT INTO referral_codes (shop_id, code, promoter_id, survey_id, created_at, expires_at, "
      "max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "code",
      {c.shop_id, c.code, c.promoter_id, c.survey_id, Ms(c.created_at), Opt(c.expires_at), c.max_uses},
      "referral code " + c.code);
}

Status SqlReferrals::AddCodeUse(Id code) {
  return Exec(c_, "UPDATE referral_codes SET uses = uses + 1 WHERE id = ?1", {code});
}

Status SqlReferrals::AddCodeVisit(Id code, Instant at) {
  VOUCH_TRY(Exec(c_, "UPDATE referral_codes SET visits = visits + 1 WHERE id = ?1", {code}));
  return Exec(c_, "INSERT INTO share_visits (code_id, at) VALUES (?1, ?2)", {code, Ms(at)});
}

Result<Id> SqlReferrals::Insert(const Referral& r) {
  return InsertReturningId(
      c_,
      "INSERT INTO referrals (shop_id, order_id, code_id, promoter_id, status, revenue_minor, "
      "currency, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      {r.shop_id, r.order_id, r.code_id, r.promoter_id, Stored(r.status), r.revenue_minor, r.currency,
       Ms(r.created_at)});
}

Result<std::optional<Referral>> SqlReferrals::Get(Id referral) {
  return One<Referral>(c_, fmt::format("SELECT {} FROM referrals WHERE id = ?1", kReferralCols), {referral},
                       ReferralFrom);
}

Result<Id> SqlReferrals::InsertReward(const Reward& w) {
  return InsertUnlessTaken(
      c_,
      "INSERT INTO rewards (shop_id, referral_id, promoter_id, code, amount_minor, currency, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      "shop_id, code",
      {w.shop_id, w.referral_id, w.promoter_id, w.code, w.amount_minor, w.currency, Ms(w.created_at)},
      "reward code " + w.code);
}

Result<std::optional<Reward>> SqlReferrals::GetReward(Id reward) {
  return One<Reward>(c_, fmt::format("SELECT {} FROM rewards WHERE id = ?1", kRewardCols), {reward},
                     RewardFrom);
}

Result<std::optional<Reward>> SqlReferrals::FindRewardByReferral(Id referral) {
  return One<Reward>(c_, fmt::format("SELECT {} FROM rewards WHERE referral_id = ?1", kRewardCols),
                     {referral}, RewardFrom);
}

}  // namespace vouch::store::sql
