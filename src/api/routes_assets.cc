// /healthz, the embedded static files, /static/{path...} (nested paths: "/static/app/main.js"), and
// the OpenAPI document, /api/v1/openapi.json (docs/api/openapi.json, embedded at build time).
#include <fmt/format.h>

#include "api/assets.h"
#include "api/json_problem.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddAssetRoutes(Router& router, app::App& app) {
  // Answered on the I/O thread (it reads two values fixed at start-up): a probe costs no hop to the
  // pool and back, so it also shows the HTTP stack's own ceiling (bench/run, scenario 1).
  auto health = [&app] {
    const app::HealthInfo info = app.Health();
    return Json(200, fmt::format(R"({{"status":"ok","store":"{}","schema":{}}})", info.store_kind,
                                 info.schema_version));
  };
  router.Add({.method = "GET",
              .pattern = "/healthz",
              .handler = [health](const Request&, const Params&) { return health(); },
              .inline_handler =
                  [health](Request&, const Params&, http::Responder& respond) {
                    respond(health());
                    return true;
                  }});
  router.Add(
      {.method = "GET", .pattern = "/static/{path...}", .handler = [](const Request& req, const Params& p) {
         return ServeAsset(WebStatic(), req, p.at("path"));
       }});
  router.Add(
      {.method = "GET", .pattern = "/api/v1/openapi.json", .handler = [](const Request& req, const Params&) {
         return ServeAsset(ApiDocs(), req, "openapi.json");
       }});
}

}  // namespace vouch::api
