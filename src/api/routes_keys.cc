// A shop's API keys (admins, or a key): /api/v1/keys. The use cases: app/shops.h (shop_keys.cc).
#include "api/json_keys.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddKeyRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/keys",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params&, const Principal& who) {
                auto keys = app.shops().ListKeys(who.shop.id);
                if (!keys) return Problem(keys.error());
                return Json(200, KeysJson(*keys));
              })});
  // The secret is in this answer only.
  router.Add({.method = "POST",
              .pattern = "/api/v1/keys",
              .handler = AuthedAs(app, true, [&app](const Request& req, const Params&, const Principal& who) {
                auto name = ParseKeyName(req.body);
                if (!name) return Problem(name.error());
                auto created = app.shops().CreateKey(who.shop.id, *name);
                if (!created) return Problem(created.error());
                Response r = Json(201, CreatedKeyJson(*created));
                r.headers.emplace_back("Cache-Control", "no-store");
                return r;
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/keys/{id}",
              .handler = AuthedAs(app, true, [&app](const Request&, const Params& p, const Principal& who) {
                auto done = app.shops().RevokeKey(who.shop.id, IdParam(p.at("id")));
                if (!done) return Problem(done.error());
                return NoContent();
              })});
}

}  // namespace vouch::api
