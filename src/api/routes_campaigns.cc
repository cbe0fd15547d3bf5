// Campaigns and the channel comparison (issue 16): POST/GET /api/v1/campaigns,
// DELETE /api/v1/campaigns/{id}, GET /api/v1/compare/channels.
#include <chrono>

#include "api/audience_param.h"
#include "api/json_campaigns.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddCampaignRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/campaigns",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto in = ParseCampaign(req.body);
                if (!in) return Problem(in.error());
                auto c = app.campaigns().Create(shop, *in);
                if (!c) return Problem(c.error());
                return Json(201, ToJson(*c));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/campaigns",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto list = app.campaigns().List(shop.id);
                if (!list) return Problem(list.error());
                return Json(200, ToJson(*list));
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/campaigns/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto s = app.campaigns().Delete(shop.id, IdParam(p.at("id")));
                if (!s) return Problem(s.error());
                return NoContent();
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/compare/channels",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{90});
                if (!range) return Problem(range.error());
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto c = app.campaigns().Compare(shop, range->from, range->to, *cut);
                if (!c) return Problem(c.error());
                return Json(200, ToJson(*c));
              })});
}

}  // namespace vouch::api
