// Referral generations (issue 16): GET /api/v1/referrals/tree?promoter=ID and
// GET /api/v1/program?from&to; comment themes: GET /api/v1/themes?from&to&category.
#include <chrono>
#include <optional>
#include <string>

#include "api/audience_param.h"
#include "api/json_problem.h"
#include "api/json_program.h"
#include "api/json_themes.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddProgramRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/referrals/tree",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                if (!req.HasQuery("promoter")) return Problem(InvalidArgument("promoter", "is required"));
                const int64_t promoter = IdParam(req.Query("promoter"));
                if (promoter <= 0) return Problem(InvalidArgument("promoter", "must be a customer id"));
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto t = app.program().Tree(shop, promoter, *cut);
                if (!t) return Problem(t.error());
                return Json(200, ToJson(*t));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/program",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{90});
                if (!range) return Problem(range.error());
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto r = app.program().Generations(shop, range->from, range->to, *cut);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/themes",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{90});
                if (!range) return Problem(range.error());
                std::optional<std::string> category;
                if (!req.Query("category").empty()) category = req.Query("category");
                if (category && category->size() > 200) {
                  return Problem(InvalidArgument("category", "must be at most 200 bytes"));
                }
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto r = app.themes().Compare(shop.id, range->from, range->to, category, *cut);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
}

}  // namespace vouch::api
