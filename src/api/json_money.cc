#include "api/json_money.h"

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using internal::MoneyJson;
using nlohmann::json;

namespace {

json OptIso(const std::optional<Instant>& t) { return t ? json(Iso(*t)) : json(nullptr); }

json RewardValue(const store::Reward& w) {
  return json{
      {"id", w.id},
      {"referral_id", w.referral_id},
      {"promoter_customer_id", w.promoter_id},
      {"code", w.code},
      {"amount", MoneyJson<json>(w.amount_minor, w.currency)},
      {"status", store::RewardStatusName(w.status)},
      {"created_at", Iso(w.created_at)},
      {"hold_until", OptIso(w.hold_until)},
      {"released_at", OptIso(w.released_at)},
      {"reversed_at", OptIso(w.reversed_at)},
      {"reason", w.reverse_reason},
      {"voucher_used_order", w.voucher_used_order.empty() ? json(nullptr) : json(w.voucher_used_order)},
      {"voucher_used_at", OptIso(w.voucher_used_at)},
      {"voucher_voided_at", OptIso(w.voucher_voided_at)}};
}

json ReferralValue(const store::ReferralRow& row) {
  const store::Referral& r = row.referral;
  json rules = json::array();
  for (const auto& f : r.rules) rules.push_back(json{{"rule", f.rule}, {"detail", f.detail}});
  return json{{"id", r.id},
              {"order_id", row.order_external_id},
              {"code", row.code},
              {"promoter_customer_id", r.promoter_id},
              {"buyer_customer_id", row.buyer_id},
              {"status", core::DecisionName(r.decision)},
              {"verdict", core::VerdictName(r.status)},
              {"rules", rules},
              {"revenue", MoneyJson<json>(r.revenue_minor, r.currency)},
              {"created_at", Iso(r.created_at)},
              {"reviewed_at", OptIso(r.reviewed_at)},
              {"reward", row.reward ? RewardValue(*row.reward) : json(nullptr)}};
}

}  // namespace

std::string ReferralsJson(const std::vector<store::ReferralRow>& rows, int limit) {
  json list = json::array();
  for (const auto& row : rows) list.push_back(ReferralValue(row));
  json next = nullptr;
  if (!rows.empty() && static_cast<int>(rows.size()) == limit) next = rows.back().referral.id;
  return json{{"referrals", list}, {"next_after", next}}.dump();
}

std::string ReferralJson(const store::ReferralRow& row) {
  return json{{"referral", ReferralValue(row)}}.dump();
}

Result<RefundRequest> ParseRefund(std::string_view body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  RefundRequest r;
  auto id = j.find("refund_id");
  if (id == j.end() || id->is_null()) return InvalidArgument("refund_id", "is required");
  if (id->is_string()) {
    r.refund_id = id->get<std::string>();
  } else if (id->is_number_integer()) {
    r.refund_id = id->dump();
  } else {
    return InvalidArgument("refund_id", "must be a string or an integer");
  }
  auto amount = j.find("amount");
  if (amount == j.end() || amount->is_null()) return InvalidArgument("amount", "is required");
  if (amount->is_string()) {
    r.amount = amount->get<std::string>();
  } else if (amount->is_number()) {
    r.amount = amount->dump();
  } else {
    return InvalidArgument("amount", "must be a decimal amount");
  }
  return r;
}

std::string ToJson(const app::OrderChange& c) {
  const store::Order& o = c.order;
  json order{{"id", o.external_id},
             {"total", MoneyJson<json>(o.total_minor, o.currency)},
             {"refunded", MoneyJson<json>(o.refunded_minor, o.currency)},
             {"cancelled_at", OptIso(o.cancelled_at)}};
  json out{{"created", c.created}, {"order", order}, {"referral", nullptr}, {"reward", nullptr}};
  if (c.refund) {
    out["refund"] = json{{"refund_id", c.refund->refund_id},
                         {"amount", MoneyJson<json>(c.refund->amount_minor, o.currency)},
                         {"created_at", Iso(c.refund->created_at)}};
  }
  if (c.referral) {
    out["referral"] = json{{"id", c.referral->id},
                           {"revenue", MoneyJson<json>(c.referral->revenue_minor, c.referral->currency)}};
  }
  if (c.reward) out["reward"] = RewardValue(*c.reward);
  return out.dump();
}

std::string ToJson(const app::PromoterRewards& r) {
  json rewards = json::array();
  for (const auto& w : r.rewards) rewards.push_back(RewardValue(w));
  json entries = json::array();
  for (const auto& e : r.entries) {
    entries.push_back(json{{"reward_id", e.reward_id},
                           {"kind", e.kind},
                           {"amount", MoneyJson<json>(e.amount_minor, e.currency)},
                           {"reason", e.reason},
                           {"at", Iso(e.at)}});
  }
  return json{{"rewards", rewards}, {"ledger", entries}}.dump();
}

std::string RewardJson(const store::Reward& w) { return RewardValue(w).dump(); }

}  // namespace vouch::api
