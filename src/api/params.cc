#include "api/params.h"

#include <chrono>
#include <stdexcept>

#include <fmt/format.h>

#include "api/pages.h"
#include "base/crypto.h"

namespace vouch::api {

using http::Request;
using http::Response;

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> out;
  size_t i = 0;
  while (i <= body.size()) {
    size_t amp = body.find('&', i);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(i, amp - i);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      out[http::PercentDecode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1), true);
    }
    i = amp + 1;
  }
  return out;
}

Result<Range> ParseRange(const Request& req, Instant now, Millis default_span) {
  return ParseRange(req, "from", "to", DayStart(DayNumber(now) + 1), default_span);
}

Result<Range> ParseRange(const Request& req, const char* from_name, const char* to_name, Instant default_to,
                         Millis default_span) {
  Range r;
  r.to = default_to;
  if (req.HasQuery(to_name)) {
    const std::string t = req.Query(to_name);
    auto v = ParseDateOrTime(t, to_name);
    if (!v) return v.error();
    r.to = t.size() == 10 ? *v + std::chrono::days{1} : *v;
  }
  r.from = r.to - default_span;
  if (req.HasQuery(from_name)) {
    auto v = ParseDateOrTime(req.Query(from_name), from_name);
    if (!v) return v.error();
    r.from = *v;
  }
  if (r.to <= r.from) return InvalidArgument(to_name, fmt::format("must be after {}", from_name));
  return r;
}

Result<int> IntParam(const Request& req, const char* name, int def, int lo, int hi) {
  if (!req.HasQuery(name)) return def;
  const std::string v = req.Query(name);
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used != v.size() || n < lo || n > hi) throw std::out_of_range(name);
    return n;
  } catch (const std::exception&) {
    return InvalidArgument(name, fmt::format("must be an integer from {} to {}", lo, hi));
  }
}

Result<int> ScoreParam(const std::string& s) {
  if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument("score", "must be an integer from 0 to 10");
  }
  int v = std::stoi(s);
  if (v > 10) return InvalidArgument("score", "must be an integer from 0 to 10");
  return v;
}

Result<store::ResponseFilter> ResponseFilterParams(const Request& req, Instant now) {
  auto range = ParseRange(req, now, std::chrono::days{3650});
  if (!range) return range.error();
  app::ResponseQuery q;
  q.from = range->from;
  q.to = range->to;
  q.category = req.Query("category");
  if (req.HasQuery("score")) {
    auto score = ScoreParam(req.Query("score"));
    if (!score) return score.error();
    q.score = *score;
  }
  q.text = req.Query("q");
  q.followup = req.Query("followup");
  return app::ResponseFilterOf(q);
}

int64_t IdParam(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoll(s);
}

std::string_view BearerKey(const Request& req) {
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer "))
    return auth.substr(7);
  return {};
}

std::string_view CookieValue(const Request& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return value;
    }
  }
  return {};
}

std::string SessionCookie(std::string_view token, Millis max_age, bool secure) {
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kSessionCookie, token,
                     std::chrono::duration_cast<std::chrono::seconds>(max_age).count(),
                     secure ? "; Secure" : "");
}

std::string ClearedSessionCookie(bool secure) {
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", kSessionCookie,
                     secure ? "; Secure" : "");
}

bool SecureCookies(const app::App& app) { return app.config().public_url.rfind("https://", 0) == 0; }

bool SafeMethod(std::string_view method) { return method == "GET" || method == "HEAD"; }

Result<app::SessionInfo> AuthenticateSession(app::App& app, const Request& req) {
  const std::string_view token = CookieValue(req, kSessionCookie);
  if (token.empty()) return Error{Code::kUnauthenticated, "not signed in", {}};
  auto session = app.sessions().Resume(token);
  if (!session) return session.error();
  if (!SafeMethod(req.method)) {
    const std::string_view csrf = req.Header("x-csrf-token");
    if (csrf.empty() || !ConstantTimeEqual(csrf, session->csrf_token)) {
      return Error{Code::kPermissionDenied, "missing or wrong CSRF token", "X-CSRF-Token"};
    }
  }
  return session;
}

Result<Principal> Authenticate(app::App& app, const Request& req) {
  if (!req.Header("authorization").empty() || CookieValue(req, kSessionCookie).empty()) {
    auto shop = app.shops().Authenticate(BearerKey(req));
    if (!shop) return shop.error();
    return Principal{std::move(*shop), std::nullopt};
  }
  auto session = AuthenticateSession(app, req);
  if (!session) return session.error();
  if (!SafeMethod(req.method) && session->user.role != store::Role::kAdmin) {
    return Error{Code::kPermissionDenied, "a viewer may only read", {}};
  }
  store::Shop shop = session->shop;
  return Principal{std::move(shop), std::move(*session)};
}

Response PageError(const Error& e, std::string_view locale) {
  if (e.code == Code::kNotFound) return MessagePage(404, PageMessage::kNotFound, locale);
  if (e.code == Code::kInvalidArgument) return MessagePage(400, PageMessage::kInvalidLink, locale, e.message);
  if (e.code == Code::kUnavailable) return MessagePage(503, PageMessage::kTryAgain, locale);
  return MessagePage(500, PageMessage::kError, locale);
}

Response Redirect(int status, const std::string& location) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

}  // namespace vouch::api
