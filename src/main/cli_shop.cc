// vouch shop create | list | show | set | rotate-key: shops and their settings.
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "api/json_settings.h"
#include "main/cli.h"

namespace vouch::main::cli {
namespace {

struct ShopOptions {
  std::string name, url;
  int64_t id = 0;
  std::vector<std::string> assignments;
};

// "key=value" pairs into a settings patch; an unknown key or a bad number names itself.
Result<app::SettingsPatch> ParseAssignments(const std::vector<std::string>& pairs) {
  app::SettingsPatch p;
  for (const auto& kv : pairs) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return InvalidArgument(kv, "expected key=value");
    const std::string k = kv.substr(0, eq), v = kv.substr(eq + 1);
    auto num = [&](std::optional<int64_t>& out) -> Status {
      try {
        size_t used = 0;
        out = std::stoll(v, &used);
        if (used != v.size()) throw std::invalid_argument(k);
      } catch (const std::exception&) {
        return InvalidArgument(k, "must be an integer");
      }
      return OkStatus();
    };
    if (k == "name")
      p.name = v;
    else if (k == "url")
      p.url = v;
    else if (k == "survey_delay_seconds")
      VOUCH_TRY(num(p.survey_delay_seconds));
    else if (k == "throttle_days")
      VOUCH_TRY(num(p.throttle_days));
    else if (k == "discount_kind")
      p.discount_kind = v;
    else if (k == "discount_value")
      VOUCH_TRY(num(p.discount_value));
    else if (k == "reward_minor")
      VOUCH_TRY(num(p.reward_minor));
    else if (k == "currency")
      p.currency = v;
    else if (k == "code_expiry_days")
      VOUCH_TRY(num(p.code_expiry_days));
    else if (k == "code_max_uses")
      VOUCH_TRY(num(p.code_max_uses));
    else if (k == "landing_url")
      p.landing_url = v;
    else if (k == "locale")
      p.locale = v;
    else if (k == "sender_name")
      p.sender_name = v;
    else if (k == "reward_min_order")
      VOUCH_TRY(num(p.reward_min_order));
    else if (k == "reward_hold_seconds")
      VOUCH_TRY(num(p.reward_hold_seconds));
    else if (k == "reward_hold_days") {  // the old name, in days, for one release
      std::optional<int64_t> days;
      VOUCH_TRY(num(days));
      if (*days < 0 || *days > 365) return InvalidArgument(k, "must be between 0 and 365");
      p.reward_hold_seconds = *days * 86400;
    } else if (k == "reward_cap_per_month")
      VOUCH_TRY(num(p.reward_cap_per_month));
    else if (k == "velocity_max")
      VOUCH_TRY(num(p.velocity_max));
    else if (k == "velocity_hours")
      VOUCH_TRY(num(p.velocity_hours));
    else if (k == "rule_actions")
      p.rule_actions = v;
    else if (k == "disposable_domains")
      p.disposable_domains = v;
    else if (k == "shopify_webhook_secret")
      p.shopify_webhook_secret = v;
    else if (k == "shopify_ingest_on")
      p.shopify_ingest_on = v;
    else if (k == "woocommerce_webhook_secret")
      p.woocommerce_webhook_secret = v;
    else if (k == "reminder_after_seconds")
      VOUCH_TRY(num(p.reminder_after_seconds));
    else if (k == "channel")
      p.channel = v;
    else if (k == "default_region")
      p.default_region = v;
    else if (k == "max_messages")
      VOUCH_TRY(num(p.max_messages));
    else if (k == "budget_days")
      VOUCH_TRY(num(p.budget_days));
    else if (k == "messages_per_hour")
      VOUCH_TRY(num(p.messages_per_hour));
    else if (k == "attribution_days")
      VOUCH_TRY(num(p.attribution_days));
    else if (k == "coupon_leak_buyers")
      VOUCH_TRY(num(p.coupon_leak_buyers));
    else if (k == "contact_email")
      p.contact_email = v;
    else if (k == "holdout_percent")
      VOUCH_TRY(num(p.holdout_percent));
    else
      return InvalidArgument(k, "is not a setting");
  }
  return p;
}

// Prints the shop's settings after applying `patch` (an empty patch: just shows them).
int PrintUpdated(app::App& app, int64_t id, const app::SettingsPatch& patch) {
  auto updated = app.shops().UpdateSettings(id, patch);
  if (!updated) return Fail(updated.error());
  std::cout << api::ToJson(*updated) << "\n";
  return 0;
}

}  // namespace

void AddShopCommands(CLI::App& cli, Commands& out) {
  auto* shop = cli.add_subcommand("shop", "manage shops");
  shop->require_subcommand(1);
  auto o = std::make_shared<ShopOptions>();

  auto* create = shop->add_subcommand("create", "create a shop and print its API key");
  create->add_option("--name", o->name, "shop name")->required();
  create->add_option("--url", o->url, "shop URL")->required();
  out.push_back({create, [o](const Config& c) {
                   return WithApp(c, [&](app::App& app) {
                     auto created = app.shops().Create(o->name, o->url);
                     if (!created) return Fail(created.error());
                     std::cout << api::CreatedShopJson(*created) << "\n";
                     return 0;
                   });
                 }});

  auto* list = shop->add_subcommand("list", "list shops");
  out.push_back({list, [](const Config& c) {
                   return WithApp(c, [](app::App& app) {
                     auto shops = app.shops().List();
                     if (!shops) return Fail(shops.error());
                     for (const auto& s : *shops) std::cout << api::ToJson(s) << "\n";
                     return 0;
                   });
                 }});

  auto* show = shop->add_subcommand("show", "print a shop's settings");
  show->add_option("--id", o->id, "shop id")->required();
  out.push_back({show, [o](const Config& c) {
                   return WithApp(c, [&](app::App& app) { return PrintUpdated(app, o->id, {}); });
                 }});

  auto* set = shop->add_subcommand("set", "change settings: vouch shop set --id 1 survey_delay_seconds=0");
  set->add_option("--id", o->id, "shop id")->required();
  set->add_option("settings", o->assignments, "key=value pairs")->required();
  out.push_back({set, [o](const Config& c) {
                   auto patch = ParseAssignments(o->assignments);
                   if (!patch) return Fail(patch.error());
                   return WithApp(c, [&](app::App& app) { return PrintUpdated(app, o->id, *patch); });
                 }});

  auto* rotate = shop->add_subcommand("rotate-key", "replace a shop's API key");
  rotate->add_option("--id", o->id, "shop id")->required();
  out.push_back({rotate, [o](const Config& c) {
                   return WithApp(c, [&](app::App& app) {
                     auto key = app.shops().RotateApiKey(o->id);
                     if (!key) return Fail(key.error());
                     std::cout << fmt::format(R"({{"shop_id":{},"api_key":"{}"}})", o->id, *key) << "\n";
                     return 0;
                   });
                 }});
}

}  // namespace vouch::main::cli
