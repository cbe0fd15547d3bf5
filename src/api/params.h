#pragma once
// What the route areas (routes_*.cc) share: reading query parameters, forms and the API key,
// and the small responses pages and the API both give. Stateless functions; thread-safe.
#include <cstdint>
#include <map>
#include <optional>
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
// The same with other parameter names ("a_from", "a_to") and a default end other than today's.
Result<Range> ParseRange(const http::Request& req, const char* from_name, const char* to_name,
                         Instant default_to, Millis default_span);
// The query parameter `name` as an integer in [lo, hi], or `def` when absent.
Result<int> IntParam(const http::Request& req, const char* name, int def, int lo, int hi);
// An answer's score: "0" to "10".
Result<int> ScoreParam(const std::string& s);
// The answers feed's filters (from, to, category, score, q, followup), as the JSON feed and its
// CSV export take them; kInvalidArgument naming the parameter.
Result<store::ResponseFilter> ResponseFilterParams(const http::Request& req, Instant now);
// A row id from the path: 0 (no row has it) for anything but a positive integer.
int64_t IdParam(const std::string& s);
// The Bearer key of a request, or empty.
std::string_view BearerKey(const http::Request& req);
// The value of cookie `name` in the request's Cookie header, or empty.
std::string_view CookieValue(const http::Request& req, std::string_view name);

// The dashboard's session cookie (app/sessions.h holds what it names).
inline constexpr std::string_view kSessionCookie = "vouch_session";
// Set-Cookie for a new session: HttpOnly, SameSite=Lax, Path=/, Max-Age the session's lifetime,
// Secure when `secure` (the configured public URL is https). `token` is base64url: no escaping.
std::string SessionCookie(std::string_view token, Millis max_age, bool secure);
// Set-Cookie that removes it.
std::string ClearedSessionCookie(bool secure);
// Whether cookies should carry Secure: the public URL is https.
bool SecureCookies(const app::App& app);

// Who a request is from: a shop's API key (all rights, no CSRF token), or a dashboard session
// with its user and role.
struct Principal {
  store::Shop shop;
  std::optional<app::SessionInfo> session;  // empty for an API key
  bool admin() const { return !session || session->user.role == store::Role::kAdmin; }
};

// Whether a method changes nothing (GET, HEAD): the only ones without a CSRF token or for viewers.
bool SafeMethod(std::string_view method);

// The request's principal. A Bearer key, when the request has an Authorization header, through
// the key cache (401 for an unknown key); else the `vouch_session` cookie (401 without a live
// session), and for a method other than GET/HEAD also header X-CSRF-Token equal to the
// session's (compared in constant time; 403 without it or wrong) and the admin role (a viewer:
// 403). Blocks on the store: pool threads only.
Result<Principal> Authenticate(app::App& app, const http::Request& req);
// The session part alone (the cookie, and the CSRF token for unsafe methods), for the routes a
// session of any role may use on itself (sign-out, password change).
Result<app::SessionInfo> AuthenticateSession(app::App& app, const http::Request& req);

// The customer page for an error: 404, 400, 503 or 500 by the error's code, in `locale`'s words.
http::Response PageError(const Error& e, std::string_view locale = "en");
// A redirect that is neither cached nor leaks the link it came from.
http::Response Redirect(int status, const std::string& location);
http::Response NoContent();

// Wraps fn(req, params, shop) into a RouteHandler that first authenticates the request (an API
// key or a session, with Authenticate's CSRF and role rules; a 401 or 403 problem otherwise).
// `app` must outlive the handler.
template <class Fn>
RouteHandler Authed(app::App& app, Fn fn) {
  return [&app, fn = std::move(fn)](const http::Request& req, const Params& p) -> http::Response {
    auto who = Authenticate(app, req);
    if (!who) return Problem(who.error());
    return fn(req, p, who->shop);
  };
}

// As Authed, handing fn the whole Principal; with `admin_only`, a viewer's session gets 403 for
// GET and HEAD too (users and API keys are for admins only).
template <class Fn>
RouteHandler AuthedAs(app::App& app, bool admin_only, Fn fn) {
  return [&app, admin_only, fn = std::move(fn)](const http::Request& req, const Params& p) -> http::Response {
    auto who = Authenticate(app, req);
    if (!who) return Problem(who.error());
    if (admin_only && !who->admin()) {
      return Problem(Error{Code::kPermissionDenied, "only an admin may do this", {}});
    }
    return fn(req, p, *who);
  };
}

}  // namespace vouch::api
