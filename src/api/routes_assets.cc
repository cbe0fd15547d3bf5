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
  router.Add({.method = "GET", .pattern = "/healthz", .handler = [&app](const Request&, const Params&) {
                const app::HealthInfo health = app.Health();
                return Json(200, fmt::format(R"({{"status":"ok","store":"{}","schema":{}}})",
                                             health.store_kind, health.schema_version));
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
