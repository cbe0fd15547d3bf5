// The dashboard: index.html of the bundle (embedded as "dashboard/index.html", built from
// web/dashboard by cmake/dashboard.cmake) at `/` and at each of its client-side paths, so a
// reload or a shared link opens the same page. Its script and style sheet are served from
// /static/dashboard/ by the asset routes. The Content-Security-Policy allows scripts and style
// sheets from this origin only: no inline script, no style attribute in markup.
#include <string>

#include "api/assets.h"
#include "api/pages.h"
#include "api/routes.h"

namespace vouch::api {

namespace {

using http::Request;
using http::Response;

constexpr const char* kDashboardCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// The pages the dashboard routes itself (web/dashboard/src: each `page({pattern})`); a page that
// a later feature adds (webhooks, SMS, imports) adds its path here too.
constexpr const char* kDashboardPaths[] = {
    "/", "/signin", "/overview", "/promoters", "/promoters/{id}", "/responses", "/referrals", "/settings",
};

Response Index(const Request& req) {
  Response r = ServeAsset(WebStatic(), req, "dashboard/index.html");
  if (r.status == 404) {
    return MessagePage(404, "No dashboard",
                       "This vouch binary was built without the dashboard (VOUCH_DASHBOARD=OFF).");
  }
  for (auto& [name, value] : r.headers) {
    if (name == "Cache-Control") value = "no-cache";  // revalidated (ETag): a new build shows at once
  }
  r.headers.emplace_back("Content-Security-Policy", kDashboardCsp);
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return r;
}

}  // namespace

void AddDashboardRoutes(Router& router, app::App&) {
  for (const char* path : kDashboardPaths) {
    router.Add({.method = "GET", .pattern = path, .handler = [](const Request& req, const Params&) {
                  return Index(req);
                }});
  }
}

}  // namespace vouch::api
