// A shop's settings and its message templates: /api/v1/settings, /api/v1/templates.
#include <fmt/format.h>

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
