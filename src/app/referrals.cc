#include "app/referrals.h"

#include "base/crypto.h"
#include "core/codes.h"
#include "core/referral.h"

namespace vouch::app {
namespace {

constexpr int kCodeAttempts = 8;

core::Person PersonOf(const store::Customer& c) { return core::Person{c.external_id, c.email, c.phone}; }

}  // namespace

Result<std::optional<ReferralOutcome>> Referrals::AttributeInTx(store::Tx& tx, const store::Shop& shop,
                                                                const store::Order& order,
                                                                const store::Customer& buyer, Instant now) {
  // The first discount code that is one of our referral codes makes the order a referral.
  std::optional<store::ReferralCode> code;
  for (const auto& raw : order.discount_codes) {
    auto found = tx.referrals().FindCode(shop.id, core::NormalizeCode(raw));
    if (!found) return found.error();
    if (found->has_value()) {
      code = **found;
      break;
    }
  }
  if (!code) return std::optional<ReferralOutcome>{};

  auto promoter = tx.customers().Get(code->promoter_id);
  if (!promoter) return promoter.error();
  if (!promoter->has_value()) return Internal("referral code without its promoter");

  auto prior = tx.orders().CountBefore(buyer.id, order.created_at, order.id);
  if (!prior) return prior.error();
  auto prior_contact =
      tx.orders().CountByContactBefore(shop.id, buyer.email, buyer.phone, order.created_at, order.id);
  if (!prior_contact) return prior_contact.error();

  core::CodeState state;
  state.promoter = PersonOf(**promoter);
  state.expires_at = code->expires_at;
  state.max_uses = static_cast<int>(code->max_uses);
  state.uses = static_cast<int>(code->uses);
  const auto verdict = core::JudgeReferral(state, PersonOf(buyer), static_cast<int>(*prior + *prior_contact),
                                           order.created_at);

  store::Referral referral;
  referral.shop_id = shop.id;
  referral.order_id = order.id;
  referral.code_id = code->id;
  referral.promoter_id = code->promoter_id;
  referral.status = verdict;
  referral.revenue_minor = order.total_minor;
  referral.currency = order.currency;
  referral.created_at = order.created_at;
  auto rid = tx.referrals().Insert(referral);
  if (!rid) return rid.error();

  ReferralOutcome out;
  out.referral_id = *rid;
  out.code = code->code;
  out.status = referral.status;
  if (verdict != core::ReferralVerdict::kQualified) return std::optional<ReferralOutcome>{out};

  VOUCH_TRY(tx.referrals().AddCodeUse(code->id));
  store::Reward reward;
  reward.shop_id = shop.id;
  reward.referral_id = *rid;
  reward.promoter_id = code->promoter_id;
  reward.amount_minor = shop.settings.reward_minor;
  reward.currency = shop.settings.currency;
  reward.created_at = order.created_at;
  for (int attempt = 0;; ++attempt) {
    reward.code = core::MakeRewardCode(RandomBelow);
    auto wid = tx.referrals().InsertReward(reward);
    if (wid) {
      reward.id = *wid;
      break;
    }
    if (wid.error().code != Code::kAlreadyExists || attempt >= kCodeAttempts) return wid.error();
  }
  auto queued = tx.jobs().Enqueue(shop.id, store::JobKind::kReward, reward.id, core::Channel::kEmail, now);
  if (!queued) return queued.error();
  out.reward_code = reward.code;
  return std::optional<ReferralOutcome>{out};
}

Result<store::ReferralCode> Referrals::EnsureCodeInTx(store::Tx& tx, const store::Shop& shop,
                                                      const store::Customer& promoter, store::Id survey,
                                                      Instant now) {
  auto existing = tx.referrals().FindCodeByPromoter(shop.id, promoter.id);
  if (!existing) return existing.error();
  if (existing->has_value()) return **existing;
  store::ReferralCode code;
  code.shop_id = shop.id;
  code.promoter_id = promoter.id;
  code.survey_id = survey;
  code.created_at = now;
  if (shop.settings.code_expiry_days > 0) {
    code.expires_at = now + std::chrono::days{shop.settings.code_expiry_days};
  }
  code.max_uses = shop.settings.code_max_uses;
  for (int attempt = 0;; ++attempt) {
    // Eight symbols first ("ANNA-7K3FQ9XM"); a longer suffix after collisions.
    code.code =
        core::MakeReferralCode(promoter.first_name, core::kReferralSuffixLength + attempt / 2, RandomBelow);
    auto id = tx.referrals().InsertCode(code);
    if (id) {
      code.id = *id;
      return code;
    }
    if (id.error().code != Code::kAlreadyExists || attempt >= kCodeAttempts) return id.error();
  }
}

}  // namespace vouch::app
