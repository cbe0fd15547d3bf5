// Offer experiments (issue 16): POST/GET /api/v1/experiments, GET /api/v1/experiments/{id}
// (with results), POST /api/v1/experiments/{id}/stop and /adopt; the holdout report,
// GET /api/v1/holdout?from&to.
#include <chrono>

#include "api/audience_param.h"
#include "api/json_experiments.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddExperimentRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/experiments",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto in = ParseExperiment(req.body);
                if (!in) return Problem(in.error());
                auto e = app.experiments().Create(shop, *in);
                if (!e) return Problem(e.error());
                return Json(201, ToJson(*e));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/experiments",
              .handler = Authed(app, [&app](const Request&, const Params&, const store::Shop& shop) {
                auto list = app.experiments().List(shop.id);
                if (!list) return Problem(list.error());
                return Json(200, ToJson(*list));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/experiments/{id}",
              .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto r = app.experiments().Results(shop, IdParam(p.at("id")), *cut);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/experiments/{id}/stop",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto e = app.experiments().Stop(shop.id, IdParam(p.at("id")));
                if (!e) return Problem(e.error());
                return Json(200, ToJson(*e));
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/experiments/{id}/adopt",
              .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
                auto variant = ParseAdopt(req.body);
                if (!variant) return Problem(variant.error());
                auto e = app.experiments().Adopt(shop, IdParam(p.at("id")), *variant);
                if (!e) return Problem(e.error());
                return Json(200, ToJson(*e));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/holdout",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                auto range = ParseRange(req, app.clock().Now(), std::chrono::days{90});
                if (!range) return Problem(range.error());
                auto cut = AudienceParam(app, req, shop);
                if (!cut) return Problem(cut.error());
                auto r = app.experiments().Holdout(shop, range->from, range->to, *cut);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
}

}  // namespace vouch::api
