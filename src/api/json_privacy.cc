#include "api/json_privacy.h"

#include <utility>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

std::string ToJson(const app::CustomerExport& e) {
  const auto& c = e.customer;
  json orders = json::array();
  for (const auto& o : e.orders) {
    json j{{"id", o.external_id},
           {"created_at", Iso(o.created_at)},
           {"total", internal::MoneyJson<json>(o.total_minor, o.currency)},
           {"discount_codes", o.discount_codes},
           {"landing_site", o.landing_site},
           {"browser_ip", o.browser_ip}};
    j["shipping_address"] = o.shipping_address ? json{{"line1", o.shipping_address->line1},
                                                      {"zip", o.shipping_address->zip},
                                                      {"country", o.shipping_address->country}}
                                               : json(nullptr);
    orders.push_back(std::move(j));
  }
  json surveys = json::array();
  for (const auto& s : e.surveys) {
    json j{{"id", s.id},
           {"due_at", Iso(s.due_at)},
           {"status", store::SurveyStatusName(s.status)},
           {"comment", s.comment},
           {"answer_state", store::AnswerStateName(s.answer_state)}};
    j["score"] = s.score ? json(*s.score) : json(nullptr);
    j["answered_at"] = s.answered_at ? json(Iso(*s.answered_at)) : json(nullptr);
    surveys.push_back(std::move(j));
  }
  json out{{"customer",
            {{"id", c.external_id},
             {"email", c.email},
             {"phone", c.phone},
             {"first_name", c.first_name},
             {"last_name", c.last_name},
             {"locale", c.locale}}},
           {"orders", orders},
           {"surveys", surveys}};
  auto consent = [](const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); };
  out["customer"]["accepts_email_marketing"] = consent(c.accepts_email_marketing);
  out["customer"]["accepts_sms_marketing"] = consent(c.accepts_sms_marketing);
  out["customer"]["unsubscribed_at"] = c.unsubscribed_at ? json(Iso(*c.unsubscribed_at)) : json(nullptr);
  out["referral_code"] =
      e.code ? json{{"code", e.code->code}, {"uses", e.code->uses}, {"visits", e.code->visits}}
             : json(nullptr);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vouch::api
