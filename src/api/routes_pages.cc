// Customer pages: answers (/s/{token}...), unsubscribes (/u/{token}) and share links (/r/{code}).
#include <string>
#include <string_view>
#include <utility>

#include "api/json_problem.h"
#include "api/pages.h"
#include "api/params.h"
#include "api/routes.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

// The page for an answer click: the answer as recorded, or for a click judged a scanner's, the
// question's page without saying anything was recorded.
Response ClickPage(const app::App& app, const Result<app::AnswerView>& v, std::string_view token, int score,
                   std::string_view method, std::string_view locale) {
  if (!v) return PageError(v.error(), locale);
  if (v->verdict == core::ClickVerdict::kIgnore && method == "GET") {
    app::AnswerView shown = *v;
    shown.survey.score = score;
    shown.survey.answer_state = store::AnswerState::kSuspect;
    shown.code.reset();
    return AnswerPage(app, shown, token, false);
  }
  return AnswerPage(app, *v, token, !v->survey.comment.empty());
}

// GET /s/{token}/{score} (an answer click, mostly on a new connection from a mail client) from the
// I/O thread: the answer is queued for the writer, and the page is rendered back on the I/O thread
// (Response::finish) once the answer is durable, so the writer thread never renders. HEAD,
// malformed scores and requests with a body take the pool path.
bool ClickInline(app::App& app, Request& req, const Params& p, http::Responder& respond) {
  if (req.method != "GET" || !req.body.empty()) return false;
  auto score = ScoreParam(p.at("score"));
  if (!score) return false;
  const std::string& token = p.at("token");
  app.answers().RecordClickAsync(
      token, *score, req.method, std::string(req.Header("user-agent")),
      [&app, respond = std::move(respond), token, score = *score,
       locale = PageLocale(req.Header("accept-language"))](Result<app::AnswerView> v) {
        Response r;
        r.finish = [&app, v = std::move(v), token, score, locale](Response& out) {
          out = ClickPage(app, v, token, score, "GET", locale);
        };
        respond(std::move(r));
      },
      req.remote_address);
  return true;
}

// The language of an error page: the browser's, as the link named no shop we could find.
std::string Lang(const Request& req) { return PageLocale(req.Header("accept-language")); }

}  // namespace

void AddPageRoutes(Router& router, app::App& app) {
  router.Add({.method = "GET",
              .pattern = "/s/{token}",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    auto v = app.answers().View(p.at("token"));
                    if (!v) return PageError(v.error(), Lang(req));
                    return AnswerPage(app, *v, p.at("token"), !v->survey.comment.empty());
                  },
              .per_client_limit = true});
  // GET usually takes the inline handler; HEAD and bad scores come to the handler.
  router.Add(
      {.method = "GET",
       .pattern = "/s/{token}/{score}",
       .handler =
           [&app](const Request& req, const Params& p) {
             auto score = ScoreParam(p.at("score"));
             if (!score) return PageError(NotFound("bad score"), Lang(req));
             auto v = app.answers().RecordClick(p.at("token"), *score, req.method, req.Header("user-agent"),
                                                req.remote_address);
             return ClickPage(app, v, p.at("token"), *score, req.method, Lang(req));
           },
       .inline_handler = [&app](Request& req, const Params& p,
                                http::Responder& respond) { return ClickInline(app, req, p, respond); },
       .per_client_limit = true});
  router.Add({.method = "POST",
              .pattern = "/s/{token}/{score}/confirm",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    auto score = ScoreParam(p.at("score"));
                    if (!score) return PageError(NotFound("bad score"), Lang(req));
                    auto v = app.answers().Confirm(p.at("token"), *score, req.remote_address);
                    if (!v) return PageError(v.error(), Lang(req));
                    if (!req.Header("x-vouch-confirm").empty()) return Json(200, R"({"confirmed":true})");
                    return Redirect(303, app.config().public_url + "/s/" + p.at("token"));
                  },
              .per_client_limit = true});
  router.Add({.method = "POST",
              .pattern = "/s/{token}/comment",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    auto form = ParseForm(req.body);
                    auto s = app.answers().SaveComment(p.at("token"), form["comment"]);
                    if (!s) return PageError(s.error(), Lang(req));
                    return Redirect(303, app.config().public_url + "/s/" + p.at("token"));
                  },
              .per_client_limit = true});
  router.Add({.method = "GET",
              .pattern = "/u/{token}",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    auto shop = app.answers().UnsubscribeShop(p.at("token"));
                    if (!shop) return PageError(shop.error(), Lang(req));
                    return UnsubscribePage(*shop, app.config().public_url + "/u/" + p.at("token"), false);
                  },
              .per_client_limit = true});
  // RFC 8058 one-click (body "List-Unsubscribe=One-Click") and the page's button both POST here.
  router.Add({.method = "POST",
              .pattern = "/u/{token}",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    auto s = app.answers().Unsubscribe(p.at("token"));
                    if (!s) return PageError(s.error(), Lang(req));
                    if (ParseForm(req.body).count("List-Unsubscribe"))
                      return Json(200, R"({"unsubscribed":true})");
                    auto shop = app.answers().UnsubscribeShop(p.at("token"));
                    if (!shop) return PageError(shop.error(), Lang(req));
                    return UnsubscribePage(*shop, app.config().public_url + "/u/" + p.at("token"), true);
                  },
              .per_client_limit = true});
  router.Add({.method = "GET",
              .pattern = "/r/{code}",
              .handler =
                  [&app](const Request& req, const Params& p) {
                    if (req.method == "HEAD") {
                      // Link previews: answer without counting a visit.
                      return Response{200, "text/plain; charset=utf-8", {}, ""};
                    }
                    auto to = app.shares().Visit(p.at("code"), req.remote_address);
                    if (!to) return PageError(to.error(), Lang(req));
                    return Redirect(302, *to);
                  },
              .per_client_limit = true});
}

}  // namespace vouch::api
