// GET /metrics: the Prometheus text of api/metrics.h. When a token is configured
// (VOUCH_METRICS_TOKEN) only a request with "Authorization: Bearer <token>" gets it (compared in
// constant time); others get 401. Without one the page is open: bind to a private address then.
#include "api/json_problem.h"
#include "api/params.h"
#include "api/routes.h"
#include "base/crypto.h"

namespace vouch::api {

using http::Request;
using http::Response;

void AddMetricsRoutes(Router& router, std::function<std::string()> text, std::string token) {
  router.Add(
      {.method = "GET",
       .pattern = "/metrics",
       .handler = [text = std::move(text), token = std::move(token)](const Request& req, const Params&) {
         if (!token.empty() && !ConstantTimeEqual(BearerKey(req), token)) {
           return Problem(Error{Code::kUnauthenticated, "a metrics token is required", {}});
         }
         return Response{.status = 200,
                         .content_type = "text/plain; version=0.0.4; charset=utf-8",
                         .headers = {{"Cache-Control", "no-store"}},
                         .body = text()};
       }});
}

}  // namespace vouch::api
