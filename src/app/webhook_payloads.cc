// Webhook bodies. The one file of app that writes JSON (nlohmann-json; scripts/check.sh): the
// payload is the app's own output, built from the store at send time, not an API response.
#include "app/webhook_payloads.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/money.h"
#include "core/fraud.h"
#include "core/referral.h"

namespace vouch::app {
namespace {

using nlohmann::json;

json Money(int64_t minor, const std::string& currency) {
  return json{{"amount", FormatAmount(minor, currency)}, {"minor", minor}, {"currency", currency}};
}

// The customer as the shop knows them (its own id, contact points, name).
json Person(const std::optional<store::Customer>& c) {
  if (!c) return nullptr;
  return json{{"id", c->external_id},
              {"email", c->email},
              {"phone", c->phone},
              {"first_name", c->first_name},
              {"last_name", c->last_name}};
}

std::string NameOf(const std::optional<store::Customer>& c) {
  if (!c) return "a customer";
  std::string name = c->first_name + (c->last_name.empty() ? "" : " " + c->last_name);
  if (name.empty())
    name = c->email.empty() ? c->external_id : c->email;
  else if (!c->email.empty())
    name += " (" + c->email + ")";
  return name;
}

// Slack's mrkdwn reserves &, < and >.
std::string SlackEscape(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '&')
      out += "&amp;";
    else if (ch == '<')
      out += "&lt;";
    else if (ch == '>')
      out += "&gt;";
    else
      out += ch;
  }
  return out;
}

// What an event is about, read once: the data of the standard body and the line Slack shows.
struct Facts {
  json data;
  std::string text;  // already escaped for Slack
  std::string skip;
};

Result<std::optional<store::Customer>> CustomerOf(store::ReadTx& tx, store::Id id) {
  return tx.customers().Get(id);
}

Result<std::string> OrderIdOf(store::ReadTx& tx, store::Id order) {
  auto o = tx.orders().Get(order);
  if (!o) return o.error();
  return o->has_value() ? (*o)->external_id : std::string{};
}

Result<Facts> SurveyFacts(store::ReadTx& tx, const store::WebhookDelivery& d) {
  auto s = tx.surveys().Get(d.ref_id);
  if (!s) return s.error();
  if (!s->has_value() || !(*s)->score) return Facts{{}, {}, "answer no longer exists"};
  const store::Survey& v = **s;
  auto c = CustomerOf(tx, v.customer_id);
  if (!c) return c.error();
  auto order = OrderIdOf(tx, v.order_id);
  if (!order) return order.error();
  Facts f;
  f.data = json{{"survey_id", v.id},    {"score", *v.score},  {"category", v.segment},
                {"comment", v.comment}, {"order_id", *order}, {"customer", Person(*c)}};
  f.data["answered_at"] = v.answered_at ? json(FormatRfc3339(*v.answered_at)) : json(nullptr);
  const bool detractor = *v.score <= 6;
  f.text = fmt::format("{} *{}/10* from {} on order {}{}",
                       detractor ? ":rotating_light: Detractor:" : "New answer:", *v.score,
                       SlackEscape(NameOf(*c)), SlackEscape(*order),
                       v.segment.empty() ? "" : " (" + SlackEscape(v.segment) + ")");
  if (!v.comment.empty()) {  // quoted, each of its lines
    std::string quoted = SlackEscape(v.comment);
    for (size_t at = quoted.find('\n'); at != std::string::npos; at = quoted.find('\n', at + 3)) {
      quoted.replace(at, 1, "\n> ");
    }
    f.text += "\n> " + quoted;
  }
  if (detractor) f.text += "\nWorth a follow-up.";
  return f;
}

Result<Facts> PromoterFacts(store::ReadTx& tx, const store::WebhookDelivery& d) {
  auto code = tx.referrals().GetCode(d.ref_id);
  if (!code) return code.error();
  if (!code->has_value()) return Facts{{}, {}, "code no longer exists"};
  // A scanner burst or a changed mind since the click: no promoter, no event (as the mail).
  auto s = tx.surveys().Get((*code)->survey_id);
  if (!s) return s.error();
  if (!s->has_value() || !(*s)->score || !store::IsCounted((*s)->answer_state) || *(*s)->score < 9) {
    return Facts{{}, {}, "answer is no longer a counted promoter answer"};
  }
  auto c = CustomerOf(tx, (*code)->promoter_id);
  if (!c) return c.error();
  Facts f;
  f.data = json{{"code", (*code)->code}, {"survey_id", (*code)->survey_id}, {"promoter", Person(*c)}};
  f.text = fmt::format(":star2: {} became a promoter: code *{}*", SlackEscape(NameOf(*c)),
                       SlackEscape((*code)->code));
  return f;
}

Result<Facts> ReferralFacts(store::ReadTx& tx, const store::WebhookDelivery& d) {
  auto r = tx.referrals().Get(d.ref_id);
  if (!r) return r.error();
  if (!r->has_value()) return Facts{{}, {}, "referral no longer exists"};
  const store::Referral& ref = **r;
  auto code = tx.referrals().GetCode(ref.code_id);
  if (!code) return code.error();
  auto order = OrderIdOf(tx, ref.order_id);
  if (!order) return order.error();
  auto c = CustomerOf(tx, ref.promoter_id);
  if (!c) return c.error();
  Facts f;
  json rules = json::array();
  for (const auto& fired : ref.rules) rules.push_back(json{{"rule", fired.rule}, {"detail", fired.detail}});
  f.data = json{{"referral_id", ref.id},
                {"code", code->has_value() ? (*code)->code : ""},
                {"order_id", *order},
                {"status", core::VerdictName(ref.status)},
                {"decision", core::DecisionName(ref.decision)},
                {"rules", rules},
                {"revenue", Money(ref.revenue_minor, ref.currency)},
                {"promoter", Person(*c)}};
  f.text = fmt::format("Referral on order {} with {}'s code {}: *{}* ({})", SlackEscape(*order),
                       SlackEscape(NameOf(*c)), SlackEscape(code->has_value() ? (*code)->code : ""),
                       core::DecisionName(ref.decision),
                       FormatAmount(ref.revenue_minor, ref.currency) + " " + ref.currency);
  return f;
}

Result<Facts> RewardFacts(store::ReadTx& tx, const store::WebhookDelivery& d) {
  auto w = tx.referrals().GetReward(d.ref_id);
  if (!w) return w.error();
  if (!w->has_value()) return Facts{{}, {}, "reward no longer exists"};
  const store::Reward& reward = **w;
  auto c = CustomerOf(tx, reward.promoter_id);
  if (!c) return c.error();
  Facts f;
  f.data = json{{"reward_id", reward.id},
                {"referral_id", reward.referral_id},
                {"code", reward.code},
                {"amount", Money(reward.amount_minor, reward.currency)},
                {"status", store::RewardStatusName(reward.status)},
                {"reason", reward.reverse_reason},
                {"voucher_voided_at",
                 reward.voucher_voided_at ? json(FormatRfc3339(*reward.voucher_voided_at)) : json(nullptr)},
                {"voucher_used_order",
                 reward.voucher_used_order.empty() ? json(nullptr) : json(reward.voucher_used_order)},
                {"promoter", Person(*c)}};
  f.text =
      fmt::format("Reward {} for {}: *{}*{}{}",
                  FormatAmount(reward.amount_minor, reward.currency) + " " + reward.currency,
                  SlackEscape(NameOf(*c)), store::RewardStatusName(reward.status),
                  reward.reverse_reason.empty() ? "" : " (" + SlackEscape(reward.reverse_reason) + ")",
                  reward.voucher_voided_at ? "; voucher voided"
                  : reward.status == store::RewardStatus::kClawedBack && !reward.voucher_used_order.empty()
                      ? "; voucher already used in order " + SlackEscape(reward.voucher_used_order)
                      : std::string());
  return f;
}

Result<Facts> FactsOf(store::ReadTx& tx, const store::WebhookDelivery& d) {
  const std::string_view t = d.event_type;
  if (t == "response.created" || t == "detractor.created") return SurveyFacts(tx, d);
  if (t == "promoter.activated") return PromoterFacts(tx, d);
  if (t.starts_with("referral.")) return ReferralFacts(tx, d);
  if (t.starts_with("reward.")) return RewardFacts(tx, d);
  return Facts{{}, {}, "unknown event " + d.event_type};
}

}  // namespace

Result<WebhookBody> BuildWebhookBody(store::ReadTx& tx, const store::WebhookDelivery& delivery,
                                     store::WebhookKind kind, const std::string& dashboard_url) {
  auto facts = FactsOf(tx, delivery);
  if (!facts) return facts.error();
  if (!facts->skip.empty()) return WebhookBody{{}, facts->skip};
  json body;
  if (kind == store::WebhookKind::kSlack) {
    const std::string text = facts->text + "\n<" + dashboard_url + "/|Open Vouch>";
    body = json{
        {"text", text},
        {"blocks", json::array({json{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}}})}};
  } else {
    body = json{{"type", delivery.event_type},
                {"timestamp", FormatRfc3339(delivery.created_at)},
                {"data", std::move(facts->data)}};
  }
  return WebhookBody{body.dump(-1, ' ', false, json::error_handler_t::replace), ""};
}

}  // namespace vouch::app
