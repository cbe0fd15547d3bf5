// Personal data: a customer's export and erasure, /api/v1/customers/{id}. The id is one path
// segment, percent-decoded: "gid%3A%2F%2Fshopify%2FCustomer%2F7" is "gid://shopify/Customer/7".
#include "api/json_privacy.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddPrivacyRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/customers/{id}/export",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto e = app.privacy().Export(shop.id, p.at("id"));
                if (!e) return Problem(e.error());
                return Json(200, ToJson(*e));
              })});
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/customers/{id}",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto s = app.privacy().Erase(shop.id, p.at("id"));
                if (!s) return Problem(s.error());
                return NoContent();
              })});
}

}  // namespace vouch::api
