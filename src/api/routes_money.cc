// Money (issue 11): refunds and cancellations of orders, and a promoter's reward ledger.
//   POST /api/v1/orders/{id}/refunds  {"refund_id", "amount"}  → 201 (new) or 200 (known refund)
//   POST /api/v1/orders/{id}/cancel                             → 201 (new) or 200 (was cancelled)
//   GET  /api/v1/promoters/{id}/rewards                          → the rewards and their ledger
// {id} is the shop's external order id (one path segment, percent-decoded); for promoters the
// customer's id in Vouch.
#include <cstdint>
#include <string>

#include "api/json_money.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

namespace {

Response ChangeResponse(const Result<app::OrderChange>& c) {
  if (!c) return Problem(c.error());
  return Json(c->created ? 201 : 200, ToJson(*c));
}

}  // namespace

void AddMoneyRoutes(Router& router, app::App& app) {
  router.Add({.method = "POST",
              .pattern = "/api/v1/orders/{id}/refunds",
              .handler = Authed(app, [&app](const Request& req, const Params& p, const store::Shop& shop) {
                auto body = ParseRefund(req.body);
                if (!body) return Problem(body.error());
                return ChangeResponse(app.orders().Refund(shop, p.at("id"), body->refund_id, body->amount));
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/orders/{id}/cancel",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                return ChangeResponse(app.orders().Cancel(shop, p.at("id")));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/promoters/{id}/rewards",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                const std::string& raw = p.at("id");
                int64_t id = 0;
                for (char c : raw) {
                  if (c < '0' || c > '9' || id > (INT64_MAX - 9) / 10) {
                    return Problem(Error{Code::kNotFound, "promoter not found", "id"});
                  }
                  id = id * 10 + (c - '0');
                }
                if (raw.empty()) return Problem(Error{Code::kNotFound, "promoter not found", "id"});
                auto r = app.rewards().ForPromoter(shop.id, id);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
}

}  // namespace vouch::api
