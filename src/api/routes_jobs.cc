// The outbox as a shop sees it: /api/v1/jobs (failed mail with the server's reason).
#include <string>

#include "api/json_jobs.h"
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddJobRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/api/v1/jobs",
              .handler = Authed(app, [&app](const Request& req, const Params&, const store::Shop& shop) {
                const std::string status_name = req.Query("status");
                const auto status = store::ParseJobStatus(status_name);
                if (!status_name.empty() && !status) {
                  return Problem(
                      InvalidArgument("status", "must be pending, running, done, failed or skipped"));
                }
                auto limit = IntParam(req, "limit", 100, 1, 1000);
                if (!limit) return Problem(limit.error());
                auto jobs = app.outbox().List(shop.id, status, *limit);
                if (!jobs) return Problem(jobs.error());
                auto counts = app.outbox().Counts(shop.id);
                if (!counts) return Problem(counts.error());
                return Json(200, ToJson(*jobs, *counts));
              })});
}

}  // namespace vouch::api
