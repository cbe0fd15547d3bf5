#include "api/json_settings.h"

#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "api/json_internal.h"

namespace vouch::api {

using internal::Iso;
using nlohmann::json;

Result<app::SettingsPatch> ParseSettingsPatch(std::string_view body) {
  if (internal::NestsDeeperThan(body, internal::kMaxJsonDepth))
    return InvalidArgument("body", internal::kTooDeep);
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("body", "is not valid JSON");
  if (!j.is_object()) return InvalidArgument("body", "must be a JSON object");
  app::SettingsPatch p;
  auto str = [&](const char* key, std::optional<std::string>& out) -> Status {
    if (!j.contains(key)) return OkStatus();
    if (!j[key].is_string()) return InvalidArgument(key, "must be a string");
    out = j[key].get<std::string>();
    if (out->size() > 2000) return InvalidArgument(key, "is too long");
    return OkStatus();
  };
  auto num = [&](const char* key, std::optional<int64_t>& out) -> Status {
    if (!j.contains(key)) return OkStatus();
    if (!j[key].is_number_integer()) return InvalidArgument(key, "must be an integer");
    out = j[key].get<int64_t>();
    return OkStatus();
  };
  static const std::set<std::string> kKnown = {"name",
                                               "url",
                                               "survey_delay_seconds",
                                               "throttle_days",
                                               "discount_kind",
                                               "discount_value",
                                               "reward_minor",
                                               "currency",
                                               "code_expiry_days",
                                               "code_max_uses",
                                               "landing_url",
                                               "locale",
                                               "sender_name",
                                               "reward_min_order",
                                               "reward_hold_seconds",
                                               "reward_hold_days",
                                               "reward_cap_per_month",
                                               "velocity_max",
                                               "velocity_hours",
                                               "rule_actions",
                                               "disposable_domains",
                                               "shopify_webhook_secret",
                                               "shopify_ingest_on",
                                               "woocommerce_webhook_secret",
                                               "reminder_after_seconds",
                                               "channel",
                                               "default_region",
                                               "max_messages",
                                               "budget_days",

                                               "messages_per_hour",
                                               "attribution_days",
                                               "coupon_leak_buyers",
                                               "contact_email",
                                               "holdout_percent"};
  for (const auto& [k, v] : j.items()) {
    if (!kKnown.count(k)) return InvalidArgument(k, "is not a setting");
  }
  VOUCH_TRY(str("name", p.name));
  VOUCH_TRY(str("url", p.url));
  VOUCH_TRY(num("survey_delay_seconds", p.survey_delay_seconds));
  VOUCH_TRY(num("throttle_days", p.throttle_days));
  VOUCH_TRY(str("discount_kind", p.discount_kind));
  VOUCH_TRY(num("discount_value", p.discount_value));
  VOUCH_TRY(num("reward_minor", p.reward_minor));
  VOUCH_TRY(str("currency", p.currency));
  VOUCH_TRY(num("code_expiry_days", p.code_expiry_days));
  VOUCH_TRY(num("code_max_uses", p.code_max_uses));
  VOUCH_TRY(str("landing_url", p.landing_url));
  VOUCH_TRY(str("locale", p.locale));
  VOUCH_TRY(str("sender_name", p.sender_name));
  VOUCH_TRY(num("reward_min_order", p.reward_min_order));
  VOUCH_TRY(num("reward_hold_seconds", p.reward_hold_seconds));
  // The setting's old name, in days, taken on input for one release.
  if (std::optional<int64_t> days; j.contains("reward_hold_days")) {
    if (p.reward_hold_seconds)
      return InvalidArgument("reward_hold_days", "give reward_hold_seconds or reward_hold_days, not both");
    VOUCH_TRY(num("reward_hold_days", days));
    if (*days < 0 || *days > 365) return InvalidArgument("reward_hold_days", "must be between 0 and 365");
    p.reward_hold_seconds = *days * 86400;
  }
  VOUCH_TRY(num("reward_cap_per_month", p.reward_cap_per_month));
  VOUCH_TRY(num("velocity_max", p.velocity_max));
  VOUCH_TRY(num("velocity_hours", p.velocity_hours));
  VOUCH_TRY(str("rule_actions", p.rule_actions));
  if (j.contains("disposable_domains")) {  // longer than other texts: a list of domains
    if (!j["disposable_domains"].is_string())
      return InvalidArgument("disposable_domains", "must be a string");
    p.disposable_domains = j["disposable_domains"].get<std::string>();
  }
  VOUCH_TRY(str("shopify_webhook_secret", p.shopify_webhook_secret));
  VOUCH_TRY(str("shopify_ingest_on", p.shopify_ingest_on));
  VOUCH_TRY(str("woocommerce_webhook_secret", p.woocommerce_webhook_secret));
  VOUCH_TRY(num("reminder_after_seconds", p.reminder_after_seconds));
  VOUCH_TRY(str("channel", p.channel));
  VOUCH_TRY(str("default_region", p.default_region));
  VOUCH_TRY(num("max_messages", p.max_messages));
  VOUCH_TRY(num("budget_days", p.budget_days));
  VOUCH_TRY(num("messages_per_hour", p.messages_per_hour));
  VOUCH_TRY(num("attribution_days", p.attribution_days));
  VOUCH_TRY(num("coupon_leak_buyers", p.coupon_leak_buyers));
  VOUCH_TRY(str("contact_email", p.contact_email));
  VOUCH_TRY(num("holdout_percent", p.holdout_percent));
  return p;
}

std::string ToJson(const store::Shop& s) {
  const auto& st = s.settings;
  return json{{"id", s.id},
              {"name", s.name},
              {"url", s.url},
              {"survey_delay_seconds", st.survey_delay_seconds},
              {"throttle_days", st.throttle_days},
              {"discount_kind", st.discount_kind},
              {"discount_value", st.discount_value},
              {"reward_minor", st.reward_minor},
              {"currency", st.currency},
              {"code_expiry_days", st.code_expiry_days},
              {"code_max_uses", st.code_max_uses},
              {"landing_url", st.landing_url},
              {"locale", st.locale},
              {"sender_name", st.sender_name},
              {"reward_min_order", st.reward_min_order},
              {"reward_hold_seconds", st.reward_hold_seconds},
              {"reward_cap_per_month", st.reward_cap_per_month},
              {"velocity_max", st.velocity_max},
              {"velocity_hours", st.velocity_hours},
              {"rule_actions", st.rule_actions},
              {"disposable_domains", st.disposable_domains},
              // Secrets are never shown back: only whether they are set.
              {"shopify_webhook_secret_set", !st.shopify_webhook_secret.empty()},
              {"shopify_ingest_on", st.shopify_ingest_on},
              {"woocommerce_webhook_secret_set", !st.woocommerce_webhook_secret.empty()},
              {"reminder_after_seconds", st.reminder_after_seconds},
              {"channel", st.channel},
              {"default_region", st.default_region},
              {"max_messages", st.max_messages},
              {"budget_days", st.budget_days},
              {"messages_per_hour", st.messages_per_hour},
              {"attribution_days", st.attribution_days},
              {"coupon_leak_buyers", st.coupon_leak_buyers},
              {"contact_email", st.contact_email},
              {"holdout_percent", st.holdout_percent},
              {"created_at", Iso(s.created_at)}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string CreatedShopJson(const app::CreatedShop& s) {
  json j = json::parse(ToJson(s.shop));
  j["api_key"] = s.api_key;
  return json{{"shop", j}, {"api_key", s.api_key}, {"shop_id", s.shop.id}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string TemplatesToJson(const std::map<std::string, std::string>& overrides,
                            const std::vector<std::string>& names) {
  return json{{"names", names}, {"overrides", overrides}}.dump(-1, ' ', false,
                                                               json::error_handler_t::replace);
}

}  // namespace vouch::api
