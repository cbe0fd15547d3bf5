// A shop's outgoing webhook endpoints (admins, or a key): /api/v1/webhooks. The use cases:
// app/webhooks.h.
#include "api/json_problem.h"
#include "api/json_webhooks.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddWebhookRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/webhooks",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params&, const Principal& who) {
                auto endpoints = app.webhooks().List(who.shop.id);
                if (!endpoints) return Problem(endpoints.error());
                return Json(200, WebhooksJson(*endpoints));
              })});
  // The signing secret is in this answer only.
  router.Add({.method = "POST",
              .pattern = "/api/v1/webhooks",
              .handler = AuthedAs(app, true, [&app](const Request& req, const Params&, const Principal& who) {
                auto body = ParseNewWebhook(req.body);
                if (!body) return Problem(body.error());
                auto created = app.webhooks().Create(who.shop.id, body->url, body->kind, body->events);
                if (!created) return Problem(created.error());
                Response r = Json(201, CreatedWebhookJson(*created));
                r.headers.emplace_back("Cache-Control", "no-store");
                return r;
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/webhooks/{id}",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params& p, const Principal& who) {
                auto done = app.webhooks().Delete(who.shop.id, IdParam(p.at("id")));
                if (!done) return Problem(done.error());
                return NoContent();
              })});
}

}  // namespace vouch::api
