// Shop-defined comment themes (issue 16): POST/GET /api/v1/themes/defined,
// GET/PUT/DELETE /api/v1/themes/defined/{id}, GET /api/v1/themes/tagged?from&to&category and
// GET /api/v1/themes/over-time?from&to&interval&category.
#include <chrono>
#include <optional>
#include <string>

#include "api/audience_param.h"
#include "api/json_defined_themes.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

namespace {

// ?category= (a product category), as /api/v1/themes takes it.
Result<std::optional<std::string>> CategoryParam(const Request& req) {
  std::optional<std::string> category;
  if (!req.Query("category").empty()) category = req.Query("category");
  if (category && category->size() > 200) return InvalidArgument("category", "must be at most 200 bytes");
  return category;
}

}  // namespace

void AddDefinedThemeRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/themes/defined",
              .handler = Authed(app,
                                [&app](const Request& req, const Params&, const store::Shop& shop) {
                                  auto in = ParseDefinedTheme(req.body);
                                  if (!in) return Problem(in.error());
                                  auto t = app.defined_themes().Create(shop.id, *in);
                                  if (!t) return Problem(t.error());
                                  return Json(201, ToJson(*t));
                                }),
              .max_body = 64 * 1024});
  router.Add({.method = "GET",
              .pattern = "/api/v1/themes/defined",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto list = app.defined_themes().List(shop.id);
                if (!list) return Problem(list.error());
                return Json(200, ToJson(*list));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/themes/defined/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto t = app.defined_themes().Get(shop.id, IdParam(p.at("id")));
                if (!t) return Problem(t.error());
                return Json(200, ToJson(*t));
              })});
  router.Add({.method = "PUT",
              .pattern = "/api/v1/themes/defined/{id}",
              .handler = Authed(app,
                                [&app](const Request& req, const Params& p, const store::Shop& shop) {
                                  auto in = ParseDefinedTheme(req.body);
                                  if (!in) return Problem(in.error());
                                  auto t = app.defined_themes().Update(shop.id, IdParam(p.at("id")), *in);
                                  if (!t) return Problem(t.error());
                                  return Json(200, ToJson(*t));
                                }),
              .max_body = 64 * 1024});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/themes/defined/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto s = app.defined_themes().Delete(shop.id, IdParam(p.at("id")));
                if (!s) return Problem(s.error());
                return NoContent();
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/themes/tagged",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{90});
                if (!range) return Problem(range.error());
                auto category = CategoryParam(req);
                if (!category) return Problem(category.error());
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto r = app.defined_themes().Report(shop.id, range->from, range->to, *category, *cut);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/themes/over-time",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{180});
                if (!range) return Problem(range.error());
                auto category = CategoryParam(req);
                if (!category) return Problem(category.error());
                app::Interval interval = app::Interval::kWeek;
                if (req.HasQuery("interval")) {
                  auto parsed = app::ParseInterval(req.Query("interval"));
                  if (!parsed) return Problem(parsed.error());
                  interval = *parsed;
                }
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                const std::string terms = req.Query("terms");
                if (req.HasQuery("terms") && terms != "defined" && terms != "discovered") {
                  return Problem(InvalidArgument("terms", "must be defined or discovered"));
                }
                auto t = app.defined_themes().OverTime(shop.id, range->from, range->to, interval, *category,
                                                       *cut, terms == "discovered");
                if (!t) return Problem(t.error());
                return Json(200, ToJson(*t));
              })});
}

}  // namespace vouch::api
