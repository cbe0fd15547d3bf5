// Money (issue 11): refunds and cancellations of orders, and a promoter's reward ledger.
//   POST /api/v1/orders/{id}/refunds  {"refund_id", "amount"}  → 201 (new) or 200 (known refund)
//   POST /api/v1/orders/{id}/cancel                             → 201 (new) or 200 (was cancelled)
//   GET  /api/v1/promoters/{id}/rewards                          → the rewards and their ledger
//   GET  /api/v1/referrals?from&to&status&after&limit             → referrals, newest first
//   POST /api/v1/referrals/{id}/approve, /reject                  → the review queue
//   POST /api/v1/codes/{code}/resume                               → resumes a paused code
// {id} is the shop's external order id (one path segment, percent-decoded); for promoters the
// customer's id in Vouch.
#include <cstdint>
#include <string>

#include "api/json_money.h"
#include "api/json_problem.h"
#include "api/json_reports.h"
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

// A positive decimal id from a path segment, or kNotFound naming `id`.
Result<int64_t> PathId(const std::string& raw, const char* what) {
  int64_t id = 0;
  for (char c : raw) {
    if (c < '0' || c > '9' || id > (INT64_MAX - 9) / 10)
      return Error{Code::kNotFound, std::string(what) + " not found", "id"};
    id = id * 10 + (c - '0');
  }
  if (raw.empty() || id == 0) return Error{Code::kNotFound, std::string(what) + " not found", "id"};
  return id;
}

Response ListReferrals(app::App& app, const Request& req, const store::Shop& shop) {
  auto range = ParseRange(req, app.clock().Now(), std::chrono::days{30});
  if (!range) return Problem(range.error());
  store::ReferralFilter f;
  f.from = range->from;
  f.to = range->to;
  const std::string status = req.Query("status");
  if (!status.empty()) {
    f.decision = core::ParseDecision(status);
    if (!f.decision)
      return Problem(InvalidArgument("status", "must be qualified, pending_review or rejected"));
  }
  auto after = IntParam(req, "after", 0, 0, INT32_MAX);
  if (!after) return Problem(after.error());
  f.before = *after;
  auto limit = IntParam(req, "limit", 50, 1, 500);
  if (!limit) return Problem(limit.error());
  f.limit = *limit;
  auto rows = app.referrals().List(shop.id, f);
  if (!rows) return Problem(rows.error());
  return Json(200, ReferralsJson(*rows, f.limit));
}

Response Review(app::App& app, const Params& p, const store::Shop& shop, bool approve) {
  auto id = PathId(p.at("id"), "referral");
  if (!id) return Problem(id.error());
  auto row = approve ? app.referrals().Approve(shop, *id) : app.referrals().Reject(shop, *id);
  if (!row) return Problem(row.error());
  return Json(200, ReferralJson(*row));
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
                auto id = PathId(p.at("id"), "promoter");
                if (!id) return Problem(id.error());
                auto r = app.rewards().ForPromoter(shop.id, *id);
                if (!r) return Problem(r.error());
                return Json(200, ToJson(*r));
              })});
  router.Add({.method = "GET",
              .pattern = "/api/v1/referrals",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                return ListReferrals(app, req, shop);
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/referrals/{id}/approve",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                return Review(app, p, shop, true);
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/referrals/{id}/reject",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                return Review(app, p, shop, false);
              })});
  router.Add({.method = "POST",
              .pattern = "/api/v1/codes/{code}/resume",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto code = app.referrals().ResumeCode(shop, p.at("code"));
                if (!code) return Problem(code.error());
                return Json(200, CodeToJson(*code));
              })});
}

}  // namespace vouch::api
