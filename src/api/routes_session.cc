// Dashboard sign-in: /api/v1/session (sign in, who am I, sign out). The session cookie and CSRF
// rules are in params.h; the use case is app/sessions.h.
#include <algorithm>
#include <chrono>

#include "api/json_problem.h"
#include "api/json_session.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {

using http::Request;
using http::Response;

namespace {

Response NoStore(Response r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddSessionRoutes(Router& router, app::App& app) {
  // Sign in. Runs on the pool: checking the password takes Argon2id's time.
  router.Add({.method = "POST",
              .pattern = "/api/v1/session",
              .handler = [&app](const Request& req, const Params&) -> Response {
                // Login CSRF: another site must not sign a browser in to an account of its choosing.
                if (auto same = SameOriginRequest(app, req); !same) return Problem(same.error());
                auto in = ParseSignIn(req.body);
                if (!in) return Problem(in.error());
                in->client = req.remote_address;
                auto s = app.sessions().SignIn(*in);
                if (!s) {
                  Response r = Problem(s.error());
                  if (s.error().code == Code::kResourceExhausted) {
                    const auto wait = std::chrono::ceil<std::chrono::seconds>(app.sessions().RetryAfter(*in));
                    r.headers.emplace_back("Retry-After", std::to_string(std::max<int64_t>(1, wait.count())));
                  }
                  return r;
                }
                Response r = NoStore(Json(200, SessionJson(s->info)));
                r.headers.emplace_back("Set-Cookie", SessionCookie(s->token, app.sessions().policy().lifetime,
                                                                   SecureCookies(app)));
                return r;
              }});
  router.Add({.method = "GET",
              .pattern = "/api/v1/session",
              .handler = [&app](const Request& req, const Params&) -> Response {
                auto s = AuthenticateSession(app, req);
                if (!s) return Problem(s.error());
                return NoStore(Json(200, SessionJson(*s)));
              }});
  // Sign out: 204 and the cookie cleared, also when the session had already ended.
  router.Add({.method = "DELETE",
              .pattern = "/api/v1/session",
              .handler = [&app](const Request& req, const Params&) -> Response {
                auto s = AuthenticateSession(app, req);
                if (!s && s.error().code != Code::kUnauthenticated) return Problem(s.error());
                if (s) {
                  auto out = app.sessions().SignOut(CookieValue(req, kSessionCookie));
                  if (!out) return Problem(out.error());
                }
                Response r = NoContent();
                r.headers.emplace_back("Set-Cookie", ClearedSessionCookie(SecureCookies(app)));
                return r;
              }});
}

}  // namespace vouch::api
