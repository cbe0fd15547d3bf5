#pragma once
// What the route areas (routes_*.cc) share: reading query parameters, forms and the API key,
// and the small responses pages and the API both give. Stateless functions; thread-safe.
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "api/json_problem.h"
#include "api/router.h"
#include "app/app.h"
#include "base/result.h"
#include "base/time.h"
#include "http/server.h"

namespace vouch::api {

// An application/x-www-form-urlencoded body: decoded names to decoded values (the last wins).
std::map<std::string, std::string> ParseForm(std::string_view body);

struct Range {
  Instant from, to;
};
// from/to: a date ("2026-11-20", whole days, `to` inclusive) or an RFC 3339 instant (`to`
// exclusive). Default: `default_span` up to the end of today (UTC). kInvalidArgument naming the
// parameter.
Result<Range> ParseRange(const http::Request& req, Instant now, Millis default_span);
// The query parameter `name` as an integer in [lo, hi], or `def` when absent.
Result<int> IntParam(const http::Request& req, const char* name, int def, int lo, int hi);
// An answer's score: "0" to "10".
Result<int> ScoreParam(const std::string& s);
// The answers feed's filters (from, to, category, score, q, followup), as the JSON feed and its
// CSV export take them; kInvalidArgument naming the parameter.
Result<store::ResponseFilter> ResponseFilterParams(const http::Request& req, Instant now);
// The Bearer key of a request, or empty.
std::string_view BearerKey(const http::Request& req);

// The customer page for an error: 404, 400, 503 or 500 by the error's code.
http::Response PageError(const Error& e);
// A redirect that is neither cached nor leaks the link it came from.
http::Response Redirect(int status, const std::string& location);
http::Response NoContent();

// Wraps fn(req, params, shop) into a RouteHandler that first authenticates the Bearer key
// (401 problem without a valid one). `app` must outlive the handler.
template <class Fn>
RouteHandler Authed(app::App& app, Fn fn) {
  return [&app, fn = std::move(fn)](const http::Request& req, const Params& p) -> http::Response {
    auto shop = app.shops().Authenticate(BearerKey(req));
    if (!shop) return Problem(shop.error());
    return fn(req, p, *shop);
  };
}

}  // namespace vouch::api
