#include "app/referrals.h"

#include <fmt/format.h>

#include "app/promoter_networks.h"
#include "base/crypto.h"
#include "core/codes.h"
#include "core/fraud.h"
#include "core/identity.h"
#include "core/referral.h"
#include "core/signals.h"

namespace vouch::app {
namespace {

constexpr int kCodeAttempts = 8;

// The person as the identity checks compare them: the stored canonical email (migration 0022,
// core::CanonicalEmail), the raw one where the record is not read back from the store yet (core
// canonicalises it again, so both compare alike).
core::Person PersonOf(const store::Customer& c) {
  return core::Person{c.external_id, c.canonical_email.empty() ? c.email : c.canonical_email, c.phone};
}

core::ShippingAddress AddressOf(const std::optional<store::ShippingAddress>& a) {
  if (!a) return {};
  return core::ShippingAddress{a->line1, a->zip, a->country};
}

// The referral code `order` is attributed to: its first discount code that is one of the shop's
// referral codes, else (attribution by landing URL) the first code its landing_site holds whose
// share link was visited within the shop's attribution_days before the order.
Result<std::optional<store::ReferralCode>> AttributedCode(store::Tx& tx, const store::Shop& shop,
                                                          const store::Order& order) {
  for (const auto& raw : order.discount_codes) {
    auto found = tx.referrals().FindCode(shop.id, core::NormalizeCode(raw));
    if (!found) return found.error();
    if (found->has_value()) return found;
  }
  const int64_t days = shop.settings.attribution_days;
  if (days <= 0 || order.landing_site.empty()) return std::optional<store::ReferralCode>{};
  for (const auto& candidate : core::LandingCodeCandidates(order.landing_site)) {
    if (!core::HasReferralCodeShape(candidate)) continue;
    auto found = tx.referrals().FindCode(shop.id, core::NormalizeCode(candidate));
    if (!found) return found.error();
    if (!found->has_value()) continue;
    auto visits = tx.referrals().CountVisitsOnCode((*found)->id, order.created_at - std::chrono::days{days},
                                                   order.created_at + std::chrono::milliseconds{1});
    if (!visits) return visits.error();
    if (*visits > 0) return found;
  }
  return std::optional<store::ReferralCode>{};
}

// Coupon leak: the rule on a paused code; else, when this order makes the code's unrelated
// buyers in the window exceed its share link's visits by the shop's coupon_leak_buyers, the code
// is paused now, the shop's contact_email (if any) is mailed about it (a coupon_leak job queued in
// this transaction: once per pause, never for a pause that rolled back), and the rule fires.
Result<std::optional<core::FiredRule>> CouponLeakOf(store::Tx& tx, const store::Shop& shop,
                                                    const store::ReferralCode& code,
                                                    core::ReferralVerdict verdict, Instant order_time,
                                                    Instant now) {
  if (code.paused_at)
    return std::optional<core::FiredRule>{core::CouponLeakRule(*code.paused_at, code.paused_buyers)};
  const int64_t threshold = shop.settings.coupon_leak_buyers;
  if (threshold <= 0 || verdict == core::ReferralVerdict::kSelfReferral)
    return std::optional<core::FiredRule>{};
  const int64_t days = shop.settings.attribution_days > 0 ? shop.settings.attribution_days : 30;
  Instant from = order_time - std::chrono::days{days};
  if (code.resumed_at && *code.resumed_at > from) from = *code.resumed_at;  // counts restart
  const Instant to = order_time + std::chrono::milliseconds{1};
  auto buyers = tx.referrals().CountBuyersOnCode(code.id, from, to);
  if (!buyers) return buyers.error();
  auto visits = tx.referrals().CountVisitsOnCode(code.id, from, to);
  if (!visits) return visits.error();
  const int64_t without_visit = *buyers + 1 - *visits;  // this order's buyer is not counted yet
  if (!core::CouponLeaked(without_visit, threshold)) return std::optional<core::FiredRule>{};
  VOUCH_TRY(tx.referrals().PauseCode(code.id, order_time, without_visit));
  if (!shop.settings.contact_email.empty()) {
    auto queued =
        tx.jobs().Enqueue(shop.id, store::JobKind::kCouponLeak, code.id, core::Channel::kEmail, now);
    if (!queued) return queued.error();
  }
  return std::optional<core::FiredRule>{core::CouponLeakRule(order_time, without_visit)};
}

// What the promoter's own orders say: whether one came from the buyer's network, and the newest
// shipping address (for the self-referral check).
struct PromoterOrders {
  bool shares_network = false;
  core::ShippingAddress address;
};
Result<PromoterOrders> PromoterOrdersOf(store::Tx& tx, store::Id promoter, const store::Order& order) {
  auto orders = tx.orders().ListByCustomer(promoter);  // oldest first
  if (!orders) return orders.error();
  PromoterOrders out;
  const auto buyer_network = core::NetworkOf(order.browser_ip);
  for (const auto& o : *orders) {
    if (o.id == order.id) continue;
    if (buyer_network && core::NetworkOf(o.browser_ip) == buyer_network) out.shares_network = true;
    if (o.shipping_address) out.address = AddressOf(o.shipping_address);
  }
  return out;
}

// The evidence of a JudgeReferral verdict, without the other person's personal data.
std::string VerdictDetail(core::ReferralVerdict v, const core::CodeState& code, const core::Person& buyer,
                          int buyer_prior_orders) {
  switch (v) {
    case core::ReferralVerdict::kSelfReferral: {
      // Which identities they share (compared canonically), never their values.
      std::string shared;
      for (const auto& what : core::SharedIdentities(
               core::IdentityOf(code.promoter.customer_id, code.promoter.email, code.promoter.phone,
                                code.promoter.address),
               core::IdentityOf(buyer.customer_id, buyer.email, buyer.phone, buyer.address))) {
        shared += (shared.empty() ? "" : ", ") + what;
      }
      return "the buyer is the promoter (same " + (shared.empty() ? std::string("identity") : shared) + ")";
    }
    case core::ReferralVerdict::kExpired:
      return "the code expired at " + (code.expires_at ? FormatRfc3339(*code.expires_at) : std::string("?"));
    case core::ReferralVerdict::kUsedUp:
      return fmt::format("the code was used {} of {} times", code.uses, code.max_uses);
    case core::ReferralVerdict::kExistingCustomer:
      return fmt::format("the buyer has {} earlier order(s)", buyer_prior_orders);
    default: return "";
  }
}

}  // namespace

Result<std::optional<ReferralOutcome>> Referrals::AttributeInTx(store::Tx& tx, const store::Shop& shop,
                                                                const store::Order& order,
                                                                const store::Customer& buyer, Instant now) {
  auto attributed = AttributedCode(tx, shop, order);
  if (!attributed) return attributed.error();
  if (!attributed->has_value()) return std::optional<ReferralOutcome>{};
  std::optional<store::ReferralCode> code = std::move(*attributed);
  // One attribution per code at a time, on every node: the uses and the buyer's other referrals
  // read below are current, so code_max_uses and the existing-customer check hold under
  // concurrent orders.
  auto locked = tx.referrals().LockCode(code->id);
  if (!locked) return locked.error();
  if (!locked->has_value()) return Internal("referral code vanished");
  code = **locked;

  auto promoter = tx.customers().Get(code->promoter_id);
  if (!promoter) return promoter.error();
  if (!promoter->has_value()) return Internal("referral code without its promoter");

  auto promoter_orders = PromoterOrdersOf(tx, code->promoter_id, order);
  if (!promoter_orders) return promoter_orders.error();

  auto prior = tx.orders().CountBefore(buyer.id, order.created_at, order.id);
  if (!prior) return prior.error();
  auto prior_contact =
      tx.orders().CountByContactBefore(shop.id, buyer.email, buyer.phone, order.created_at, order.id);
  if (!prior_contact) return prior_contact.error();
  auto referred_before = tx.referrals().CountReferralsOfBuyer(shop.id, buyer.id, order.id);
  if (!referred_before) return referred_before.error();

  core::CodeState state;
  state.promoter = PersonOf(**promoter);
  state.promoter.address = promoter_orders->address;
  core::Person buyer_person = PersonOf(buyer);
  buyer_person.address = AddressOf(order.shipping_address);
  state.expires_at = code->expires_at;
  state.max_uses = static_cast<int>(code->max_uses);
  state.uses = static_cast<int>(code->uses);
  const int buyer_prior = static_cast<int>(*prior + *prior_contact + *referred_before);
  const auto verdict = core::JudgeReferral(state, buyer_person, buyer_prior, order.created_at);

  // Every rule that fires, with its evidence; the shop's actions decide.
  std::vector<core::FiredRule> fired;
  if (verdict != core::ReferralVerdict::kQualified) {
    fired.push_back(core::FiredRule{core::VerdictName(verdict),
                                    VerdictDetail(verdict, state, buyer_person, buyer_prior)});
  }
  const auto& st = shop.settings;
  auto recent =
      tx.referrals().CountQualifiedOnCode(code->id, order.created_at - std::chrono::hours{st.velocity_hours},
                                          order.created_at + std::chrono::milliseconds{1});
  if (!recent) return recent.error();
  if (auto f = core::VelocityRule(*recent, st.velocity_max, st.velocity_hours)) fired.push_back(*f);
  if (auto f = core::DisposableEmailRule(buyer.email, core::DisposableDomains::With(st.disposable_domains))) {
    fired.push_back(*f);
  }
  // Shared network: one of the promoter's orders came from the buyer's network, else they
  // answered their survey from it (app/promoter_networks.h).
  std::optional<core::NetworkSource> network;
  if (promoter_orders->shares_network) {
    network = core::NetworkSource::kOrdered;
  } else {
    auto answered = AnswerNetworkOfInTx(tx, keys_, shop.id, code->promoter_id, order.browser_ip);
    if (!answered) return answered.error();
    network = *answered;
  }
  if (auto f = core::SharedNetworkRule(network)) fired.push_back(*f);
  auto leak = CouponLeakOf(tx, shop, *code, verdict, order.created_at, now);
  if (!leak) return leak.error();
  if (*leak) fired.push_back(**leak);
  auto actions = core::RuleActions::Parse(st.rule_actions);  // validated when set
  const core::Judgement judged = core::Decide(fired, actions ? *actions : core::RuleActions{});

  store::Referral referral;
  referral.shop_id = shop.id;
  referral.order_id = order.id;
  referral.code_id = code->id;
  referral.promoter_id = code->promoter_id;
  referral.decision = judged.decision;
  referral.rules = judged.rules;
  referral.status = judged.decision == core::Decision::kQualified
                        ? core::ReferralVerdict::kQualified
                        : core::ParseVerdict(judged.rules.front().rule).value_or(verdict);
  referral.revenue_minor = order.total_minor;
  referral.currency = order.currency;
  referral.created_at = order.created_at;
  auto rid = tx.referrals().Insert(referral);
  if (!rid) return rid.error();
  VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "referral.created", *rid, now));
  if (judged.decision == core::Decision::kQualified) {
    VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "referral.qualified", *rid, now));
  } else if (judged.decision == core::Decision::kRejected) {
    VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "referral.rejected", *rid, now));
  }

  ReferralOutcome out;
  out.referral_id = *rid;
  out.code = code->code;
  out.status = referral.status;
  out.decision = referral.decision;
  out.rules = referral.rules;
  if (judged.decision != core::Decision::kQualified) return std::optional<ReferralOutcome>{out};

  VOUCH_TRY(tx.referrals().AddCodeUse(code->id));
  auto reward = rewards_.EarnInTx(tx, shop, *rid, code->promoter_id, order.created_at, now);
  if (!reward) return reward.error();
  if (reward->status != store::RewardStatus::kVoided) out.reward_code = reward->code;
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

// --- The review queue ----------------------------------------------------------------------

Result<std::vector<store::ReferralRow>> Referrals::List(store::Id shop, const store::ReferralFilter& filter) {
  return store_.Read<std::vector<store::ReferralRow>>(
      [&](store::ReadTx& tx) { return tx.referrals().List(shop, filter); });
}

namespace {

// The referral `id` of `shop` as the queue lists it, or kNotFound.
Result<store::ReferralRow> RowOf(store::Tx& tx, store::Id shop, store::Id id) {
  auto referral = tx.referrals().Get(id);
  if (!referral) return referral.error();
  if (!referral->has_value() || (*referral)->shop_id != shop)
    return Error{Code::kNotFound, "referral not found", "id"};
  store::ReferralFilter f;
  f.from = Instant{};
  f.to = (*referral)->created_at + std::chrono::milliseconds{1};
  f.before = id + 1;
  f.limit = 1;
  auto rows = tx.referrals().List(shop, f);
  if (!rows) return rows.error();
  if (rows->empty() || rows->front().referral.id != id) return Internal("referral row missing");
  return rows->front();
}

}  // namespace

Result<store::ReferralRow> Referrals::Approve(const store::Shop& shop, store::Id id) {
  const Instant now = clock_.Now();
  return store_.Write<store::ReferralRow>([&](store::Tx& tx) -> Result<store::ReferralRow> {
    auto row = RowOf(tx, shop.id, id);
    if (!row) return row.error();
    // The code's use is counted under the lock attribution takes (AttributeInTx), so approvals
    // and orders on any node together never pass code_max_uses.
    auto code = tx.referrals().LockCode(row->referral.code_id);
    if (!code) return code.error();
    if (!code->has_value()) return Internal("referral code vanished");
    row = RowOf(tx, shop.id, id);  // as it stands now that the code is ours
    if (!row) return row.error();
    if (row->referral.decision == core::Decision::kPendingReview && (*code)->max_uses > 0 &&
        (*code)->uses >= (*code)->max_uses) {
      return Error{
          Code::kFailedPrecondition,
          fmt::format("the code was used {} of {} times (code_max_uses)", (*code)->uses, (*code)->max_uses),
          "id"};
    }
    auto moved =
        tx.referrals().Review(id, core::Decision::kQualified, core::ReferralVerdict::kQualified, now);
    if (!moved) return moved.error();
    if (!*moved) {
      if (row->referral.decision == core::Decision::kQualified && row->referral.reviewed_at) return *row;
      return Error{Code::kFailedPrecondition, "the referral is not pending review", "id"};
    }
    VOUCH_TRY(tx.referrals().AddCodeUse(row->referral.code_id));
    VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "referral.qualified", id, now));
    auto reward = rewards_.EarnInTx(tx, shop, id, row->referral.promoter_id, row->referral.created_at, now);
    if (!reward) return reward.error();
    return RowOf(tx, shop.id, id);
  });
}

Result<store::ReferralRow> Referrals::Reject(const store::Shop& shop, store::Id id) {
  const Instant now = clock_.Now();
  return store_.Write<store::ReferralRow>([&](store::Tx& tx) -> Result<store::ReferralRow> {
    auto row = RowOf(tx, shop.id, id);
    if (!row) return row.error();
    auto moved = tx.referrals().Review(id, core::Decision::kRejected, row->referral.status, now);
    if (!moved) return moved.error();
    if (!*moved) {
      if (row->referral.decision == core::Decision::kRejected && row->referral.reviewed_at) return *row;
      return Error{Code::kFailedPrecondition, "the referral is not pending review", "id"};
    }
    VOUCH_TRY(webhooks_.EmitInTx(tx, shop.id, "referral.rejected", id, now));
    return RowOf(tx, shop.id, id);
  });
}

Result<store::ReferralCode> Referrals::ResumeCode(const store::Shop& shop, const std::string& code) {
  const Instant now = clock_.Now();
  return store_.Write<store::ReferralCode>([&](store::Tx& tx) -> Result<store::ReferralCode> {
    auto found = tx.referrals().FindCode(shop.id, code);
    if (!found) return found.error();
    if (!found->has_value()) return Error{Code::kNotFound, "code not found", "code"};
    auto locked = tx.referrals().LockCode((*found)->id);
    if (!locked) return locked.error();
    if (!locked->has_value()) return Error{Code::kNotFound, "code not found", "code"};
    if (!(*locked)->paused_at) {
      if ((*locked)->resumed_at) return **locked;  // resumed before: the same call again
      return Error{Code::kFailedPrecondition, "the code is not paused", "code"};
    }
    auto resumed = tx.referrals().ResumeCode((*locked)->id, now);
    if (!resumed) return resumed.error();
    auto now_code = tx.referrals().GetCode((*locked)->id);
    if (!now_code) return now_code.error();
    if (!now_code->has_value()) return Internal("referral code vanished");
    return **now_code;
  });
}

}  // namespace vouch::app
