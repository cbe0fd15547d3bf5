// /healthz and the embedded static files, /static/{path...} (nested paths: "/static/app/main.js").
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
}

}  // namespace vouch::api
