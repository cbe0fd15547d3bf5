// A shop's settings and its message templates: /api/v1/settings, /api/v1/templates (the list, one
// template's text, saved or built-in, an override's upload and removal, and "send me a test").
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/json_problem.h"
#include "api/json_settings.h"
#include "api/params.h"
#include "api/routes.h"
#include "delivery/templates.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddSettingsRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/settings",
              .handler = Authed(app, [](const Request&, const Params&, const store::Shop& shop) {
                return Json(200, ToJson(shop));
              })});
  router.Add({.method = "PATCH",
              .pattern = "/api/v1/settings",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto patch = ParseSettingsPatch(req.body);
                if (!patch) return Problem(patch.error());
                auto updated = app.shops().UpdateSettings(shop.id, *patch);
                if (!updated) return Problem(updated.error());
                return Json(200, ToJson(*updated));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/templates",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto t = app.templates().List(shop.id);
                if (!t) return Problem(t.error());
                return Json(200, TemplatesToJson(*t, delivery::BuiltinTemplateNames()));
              })});
  // One template's text: the shop's override, else the built-in (?builtin=1: the built-in always),
  // so the dashboard can preview and edit a template before the shop has overridden it.
  router.Add(
      {.method = "GET",
       .pattern = "/api/v1/templates/{locale}/{name}",
       .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
         const std::string builtin = req.Query("builtin");
         if (!builtin.empty() && builtin != "0" && builtin != "1") {
           return Problem(InvalidArgument("builtin", "must be 0 or 1"));
         }
         auto t = app.templates().Get(shop.id, p.at("locale"), p.at("name"), builtin == "1");
         if (!t) return Problem(t.error());
         return Json(200, nlohmann::json{{"key", t->key}, {"body", t->body}, {"source", t->source}}.dump());
       })});
  // "Send me a test": {"body": draft} (optional: else what the template renders from now) rendered
  // with sample values and mailed to the signed-in user; 202 {"key", "to", "subject"}. "variant"
  // (a variant of the running experiment) or "audience" (an audience's id) shows their offer.
  router.Add(
      {.method = "POST",
       .pattern = "/api/v1/templates/{locale}/{name}/test",
       .handler = AuthedAs(app, false, [&app](const Request& req, const Params& p, const Principal& who) {
         if (!who.session) {
           return Problem(
               Error{Code::kPermissionDenied, "a test mail goes to a signed-in user: use a session", {}});
         }
         auto key = app::TemplateKey(p.at("locale"), p.at("name"));
         if (!key) return Problem(key.error());
         std::optional<std::string> draft;
         app::TestMailOffer offer;
         if (!req.body.empty()) {
           auto j = nlohmann::json::parse(req.body, nullptr, false);
           if (j.is_discarded() || !j.is_object())
             return Problem(InvalidArgument("body", "must be a JSON object"));
           if (j.contains("body") && !j["body"].is_null()) {
             if (!j["body"].is_string()) return Problem(InvalidArgument("body", "must be a string"));
             draft = j["body"].get<std::string>();
           }
           for (const char* field : {"variant", "audience"}) {
             if (!j.contains(field) || j[field].is_null()) continue;
             if (!j[field].is_number_integer() || j[field].get<int64_t>() < 0 ||
                 j[field].get<int64_t>() > INT32_MAX)
               return Problem(InvalidArgument(field, "must be a whole number"));
             if (std::string_view(field) == "variant")
               offer.variant = j[field].get<int>();
             else
               offer.audience = j[field].get<int64_t>();
           }
         }
         const std::string locale = key->substr(0, key->find('/'));
         const store::User& user = who.session->user;
         auto sent = app.test_mails().Send(who.shop, user.id, user.email, locale, p.at("name"), draft, offer);
         if (!sent) {
           Response r = Problem(sent.error());
           if (sent.error().code == Code::kResourceExhausted) {
             const auto wait = std::chrono::ceil<std::chrono::seconds>(app.test_mails().RetryAfter(user.id));
             r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, wait.count())));
           }
           return r;
         }
         return Json(202,
                     nlohmann::json{{"key", sent->key}, {"to", sent->to}, {"subject", sent->subject}}.dump());
       })});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/templates/{locale}/{name}",
              .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
                auto key = app::TemplateKey(p.at("locale"), p.at("name"));
                if (!key) return Problem(key.error());
                auto ok = delivery::ValidateTemplate(req.body);
                if (!ok) return Problem(ok.error());
                auto honest = app::CheckShareDisclosure(p.at("name"), req.body);
                if (!honest) return Problem(honest.error());
                auto put = app.templates().Put(shop.id, *key, req.body);
                if (!put) return Problem(put.error());
                return Json(200, fmt::format(R"({{"key":"{}"}})", *key));
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/templates/{locale}/{name}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto key = app::TemplateKey(p.at("locale"), p.at("name"));
                if (!key) return Problem(key.error());
                auto del = app.templates().Delete(shop.id, *key);
                if (!del) return Problem(del.error());
                return NoContent();
              })});
}

}  // namespace vouch::api
