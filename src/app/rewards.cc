#include "app/rewards.h"

#include "app/experiments.h"
#include "base/crypto.h"
#include "core/codes.h"
#include "core/rewards.h"

namespace vouch::app {
namespace {

constexpr int kCodeAttempts = 8;

// A clawed-back reward's voucher: voided when no order carried it, else the order that used it
// is named (the shop settles that by hand).
Status VoidVoucherInTx(store::Tx& tx, const store::Reward& reward, Instant now) {
  auto voided = tx.referrals().VoidVoucher(reward.id, now);
  if (!voided) return voided.error();
  if (*voided) {
    auto entry = tx.referrals().InsertEntry(EntryOf(reward, "voucher_voided", "unused at the clawback", now));
    if (!entry) return entry.error();
    return OkStatus();
  }
  auto current = tx.referrals().GetReward(reward.id);
  if (!current) return current.error();
  if (!current->has_value() || !(*current)->voucher_used_at) return OkStatus();  // voided before
  auto entry = tx.referrals().InsertEntry(
      EntryOf(reward, "voucher_redeemed",
              "already used in order " + (*current)->voucher_used_order + ": settle it by hand", now));
  if (!entry) return entry.error();
  return OkStatus();
}

}  // namespace

store::RewardEntry EntryOf(const store::Reward& reward, const char* kind, const std::string& reason,
                           Instant at) {
  store::RewardEntry e;
  e.shop_id = reward.shop_id;
  e.reward_id = reward.id;
  e.promoter_id = reward.promoter_id;
  e.kind = kind;
  e.amount_minor = reward.amount_minor;
  e.currency = reward.currency;
  e.reason = reason;
  e.at = at;
  return e;
}

Result<store::Reward> Rewards::EarnInTx(store::Tx& tx, const store::Shop& shop, store::Id referral,
                                        store::Id promoter, Instant order_time, Instant now) {
  store::Reward reward;
  reward.shop_id = shop.id;
  reward.referral_id = referral;
  reward.promoter_id = promoter;
  reward.amount_minor = shop.settings.reward_minor;
  // A promoter in an offer experiment earns their variant's reward.
  auto variant = tx.experiments().VariantOfPromoter(shop.id, promoter);
  if (!variant) return variant.error();
  if (*variant) reward.amount_minor = (*variant)->reward_minor;
  reward.currency = shop.settings.currency;
  reward.created_at = order_time;
  const auto month = core::UtcMonthOf(order_time);
  auto earned = tx.referrals().CountStandingRewards(shop.id, promoter, month.from, month.to);
  if (!earned) return earned.error();
  const bool capped = !core::WithinMonthlyCap(*earned, shop.settings.reward_cap_per_month);
  const bool held = !capped && shop.settings.reward_hold_seconds > 0;
  if (capped) {
    reward.status = store::RewardStatus::kVoided;
    reward.reversed_at = now;
    reward.reverse_reason = "monthly_cap";
  } else if (held) {
    reward.status = store::RewardStatus::kHeld;
    reward.hold_until = core::HoldEnds(order_time, shop.settings.reward_hold_seconds);
  } else {
    reward.status = store::RewardStatus::kReleased;
    reward.released_at = now;
  }
  for (int attempt = 0;; ++attempt) {
    reward.code = core::MakeRewardCode(RandomBelow);
    auto id = tx.referrals().InsertReward(reward);
    if (id) {
      reward.id = *id;
      break;
    }
    if (id.error().code != Code::kAlreadyExists || attempt >= kCodeAttempts) return id.error();
  }
  auto entry = tx.referrals().InsertEntry(EntryOf(reward, "earned", "qualified referral", now));
  if (!entry) return entry.error();
  if (capped) {
    entry = tx.referrals().InsertEntry(EntryOf(reward, "voided", "monthly_cap", now));
    if (!entry) return entry.error();
    VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "reward.voided", reward.id, now));
    return reward;
  }
  if (held) {
    entry = tx.referrals().InsertEntry(EntryOf(reward, "held", "return window", now));
    if (!entry) return entry.error();
    auto queued = tx.jobs().Enqueue(shop.id, store::JobKind::kRewardRelease, reward.id, core::Channel::kEmail,
                                    *reward.hold_until);
    if (!queued) return queued.error();
    return reward;
  }
  entry = tx.referrals().InsertEntry(EntryOf(reward, "released", "no hold", now));
  if (!entry) return entry.error();
  auto queued = tx.jobs().Enqueue(shop.id, store::JobKind::kReward, reward.id, core::Channel::kEmail, now);
  if (!queued) return queued.error();
  VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "reward.released", reward.id, now));
  return reward;
}

Result<store::Reward> Rewards::ReverseInTx(store::Tx& tx, const store::Reward& reward,
                                           const std::string& reason, Instant now) {
  for (auto [from, to, kind] :
       {std::tuple{store::RewardStatus::kHeld, store::RewardStatus::kVoided, "voided"},
        std::tuple{store::RewardStatus::kReleased, store::RewardStatus::kClawedBack, "clawed_back"}}) {
    auto moved = tx.referrals().MoveReward(reward.id, from, to, now, reason);
    if (!moved) return moved.error();
    if (!*moved) continue;
    auto entry = tx.referrals().InsertEntry(EntryOf(reward, kind, reason, now));
    if (!entry) return entry.error();
    if (to == store::RewardStatus::kVoided) {
      VOUCH_TRY(webhooks_.EmitInTx(tx, reward.shop_id, "reward.voided", reward.id, now));
    } else {
      VOUCH_TRY(VoidVoucherInTx(tx, reward, now));
      VOUCH_TRY(webhooks_.EmitInTx(tx, reward.shop_id, "reward.clawed_back", reward.id, now));
    }
    break;
  }
  auto now_stands = tx.referrals().GetReward(reward.id);
  if (!now_stands) return now_stands.error();
  if (!now_stands->has_value()) return Internal("reward vanished");
  return **now_stands;
}

Status Rewards::NoteVouchersInTx(store::Tx& tx, store::Id shop, const store::Order& order, Instant now) {
  for (const auto& raw : order.discount_codes) {
    const std::string code = core::NormalizeCode(raw);
    if (!core::MayBeRewardCode(code)) continue;
    auto found = tx.referrals().FindRewardByCode(shop, code);
    if (!found) return found.error();
    if (!found->has_value()) continue;
    store::Reward reward = std::move(**found);
    if (!reward.voucher_used_at) {
      auto marked = tx.referrals().MarkVoucherUsed(reward.id, order.external_id, order.created_at);
      if (!marked) return marked.error();
      if (*marked) {  // read again: a clawback on another node may have voided it meanwhile
        auto now_stands = tx.referrals().GetReward(reward.id);
        if (!now_stands) return now_stands.error();
        if (now_stands->has_value()) reward = std::move(**now_stands);
      }
    }
    if (!reward.voucher_voided_at) continue;
    auto entry = tx.referrals().InsertEntry(EntryOf(
        reward, "voided_voucher_used", "order " + order.external_id + " carried the voided voucher", now));
    if (!entry) return entry.error();
  }
  return OkStatus();
}

Result<std::string> Rewards::Release(const store::Job& job) {
  const Instant now = clock_.Now();
  return store_.Write<std::string>([&](store::Tx& tx) -> Result<std::string> {
    auto reward = tx.referrals().GetReward(job.ref_id);
    if (!reward) return reward.error();
    std::string skipped;
    if (!reward->has_value()) {
      skipped = "reward no longer exists";
    } else {
      auto moved = tx.referrals().MoveReward((*reward)->id, store::RewardStatus::kHeld,
                                             store::RewardStatus::kReleased, now, "");
      if (!moved) return moved.error();
      if (*moved) {
        auto entry = tx.referrals().InsertEntry(EntryOf(**reward, "released", "hold ended", now));
        if (!entry) return entry.error();
        auto queued = tx.jobs().Enqueue(job.shop_id, store::JobKind::kReward, (*reward)->id,
                                        core::Channel::kEmail, now);
        if (!queued) return queued.error();
        VOUCH_TRY(webhooks_.EmitInTx(tx, job.shop_id, "reward.released", (*reward)->id, now));
      } else {
        auto current = tx.referrals().GetReward(job.ref_id);
        if (!current) return current.error();
        skipped = std::string("reward ") +
                  (current->has_value() ? store::RewardStatusName((*current)->status) : "no longer exists");
      }
    }
    VOUCH_TRY(tx.jobs().Finish(job.id, skipped.empty() ? store::JobStatus::kDone : store::JobStatus::kSkipped,
                               skipped, now));
    return skipped;
  });
}

Result<PromoterRewards> Rewards::ForPromoter(store::Id shop, store::Id promoter) {
  return store_.Read<PromoterRewards>([&](store::ReadTx& tx) -> Result<PromoterRewards> {
    auto customer = tx.customers().Get(promoter);
    if (!customer) return customer.error();
    if (!customer->has_value() || (*customer)->shop_id != shop) return NotFound("promoter not found");
    PromoterRewards out;
    auto rewards = tx.referrals().ListRewards(shop, promoter);
    if (!rewards) return rewards.error();
    out.rewards = std::move(*rewards);
    auto entries = tx.referrals().ListEntries(shop, promoter);
    if (!entries) return entries.error();
    out.entries = std::move(*entries);
    return out;
  });
}

}  // namespace vouch::app
