// The dashboard: index.html of the bundle (embedded as "dashboard/index.html", built from
// web/dashboard by cmake/dashboard.cmake) at `/` and at each of its client-side paths, so a
// reload or a shared link opens the same page. Its script and style sheet are served from
// /static/dashboard/ by the asset routes. The Content-Security-Policy allows scripts and style
// sheets from this origin only: no inline script, no style attribute in markup.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

// The pages the dashboard routes itself: web/dashboard/build.mjs writes their patterns (each
// `page({pattern})` of web/dashboard/src) to dashboard/paths.txt, one a line. Without a dashboard
// built in, "/" and "/signin" still answer (with a page saying so).
std::vector<std::string> DashboardPaths() {
  std::vector<std::string> out{"/", "/signin"};
  const Asset* list = FindAsset(WebStatic(), "dashboard/paths.txt");
  if (!list) return out;
  std::string_view rest = list->bytes;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (line.empty() || line.front() != '/' || std::find(out.begin(), out.end(), line) != out.end()) continue;
    out.emplace_back(line);
  }
  return out;
}

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
  for (const std::string& path : DashboardPaths()) {
    router.Add({.method = "GET", .pattern = path, .handler = [](const Request& req, const Params&) {
                  return Index(req);
                }});
  }
}

}  // namespace vouch::api
