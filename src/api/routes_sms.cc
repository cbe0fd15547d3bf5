// Text messages: the gateways' callbacks and a texted survey's question page.
//   GET|POST /hooks/kannel?secret=S&from=%p&text=%a   inbound (Kannel sms-service get-url); the
//            answer's body is Kannel's reply text (empty: none, with omit-empty = true)
//   GET|POST /hooks/kannel/dlr?secret=S&job=J&type=%d&reply=%A   delivery reports (dlr-url)
//   POST     /hooks/twilio[?job=J]   inbound messages (From, Body) and status callbacks
//            (MessageStatus) signed with X-Twilio-Signature; answered with TwiML
//   GET      /q/{token}   the question with its eleven answers
// A wrong secret or signature is a 403 problem, before anything is read or written.
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "api/json_problem.h"
#include "api/json_sms.h"
#include "api/pages.h"
#include "api/params.h"
#include "api/routes.h"
#include "app/text_messages.h"
#include "base/log.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

Response Forbidden(const std::string& why) { return Problem(Error{Code::kPermissionDenied, why, {}}); }

Response Text(int status, std::string body, std::string type = "text/plain; charset=utf-8") {
  Response r;
  r.status = status;
  r.content_type = std::move(type);
  r.body = std::move(body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 && Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every name=value pair of a form body in order, decoded (names may repeat).
std::vector<std::pair<std::string, std::string>> FormPairs(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const size_t amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    out.emplace_back(FormDecode(pair.substr(0, eq)),
                     eq == std::string_view::npos ? "" : FormDecode(pair.substr(eq + 1)));
  }
  return out;
}

std::string Field(const std::vector<std::pair<std::string, std::string>>& pairs, std::string_view name) {
  for (const auto& [k, v] : pairs) {
    if (k == name) return v;
  }
  return "";
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::optional<int64_t> JobId(std::string_view s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || end != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

// Kannel's request: the query, or for a POST, a form body too.
std::string KannelParam(const Request& req, std::string_view name) {
  if (req.HasQuery(name)) return req.Query(name);
  return req.method == "POST" ? Field(FormPairs(req.body), name) : "";
}

Response KannelInbound(app::App& app, const Request& req) {
  if (!app.sms().KannelSecretOk(req.Query("secret"))) return Forbidden("wrong or missing secret");
  auto out = app.sms().Receive({KannelParam(req, "from"), KannelParam(req, "text")});
  if (!out) return Problem(out.error());
  Log(LogLevel::kInfo, "sms.inbound", {{"gateway", "kannel"}, {"action", out->action}});
  return Text(200, out->reply);
}

Response KannelReport(app::App& app, const Request& req) {
  if (!app.sms().KannelSecretOk(req.Query("secret"))) return Forbidden("wrong or missing secret");
  auto job = JobId(req.Query("job"));
  if (!job) return Problem(InvalidArgument("job", "must be a job id"));
  const std::string type = req.Query("type"), reply = req.Query("reply");
  // Kannel's report types: 1 delivered to the phone, 2 not delivered, 16 rejected by the SMSC;
  // 4 (queued) and 8 (accepted by the SMSC) change nothing.
  if (type != "1" && type != "2" && type != "16") return Text(200, "ignored");
  const std::string detail = type == "1"   ? reply
                             : type == "2" ? "not delivered: " + reply
                                           : "rejected by the SMSC: " + reply;
  auto known = app.sms().Report(*job, type == "1", detail.substr(0, 500));
  if (!known) return Problem(known.error());
  return Text(200, *known ? "recorded" : "unknown job");
}

Response TwilioHook(app::App& app, const Request& req) {
  const auto pairs = FormPairs(req.body);
  const std::string url = app.config().public_url + req.target;
  if (!app.sms().TwilioSignatureOk(url, pairs, req.Header("x-twilio-signature"))) {
    return Forbidden("X-Twilio-Signature does not verify");
  }
  const std::string status = Field(pairs, "MessageStatus");
  if (!status.empty() && req.HasQuery("job")) {
    auto job = JobId(req.Query("job"));
    if (!job) return Problem(InvalidArgument("job", "must be a job id"));
    if (status == "delivered" || status == "failed" || status == "undelivered") {
      std::string detail = status == "delivered" ? "" : status;
      if (const std::string code = Field(pairs, "ErrorCode"); !code.empty())
        detail += " (error " + code + ")";
      auto known = app.sms().Report(*job, status == "delivered", detail.substr(0, 500));
      if (!known) return Problem(known.error());
    }
    return Text(204, "");
  }
  auto out = app.sms().Receive({Field(pairs, "From"), Field(pairs, "Body")});
  if (!out) return Problem(out.error());
  Log(LogLevel::kInfo, "sms.inbound", {{"gateway", "twilio"}, {"action", out->action}});
  std::string twiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>";
  if (!out->reply.empty()) twiml += "<Message>" + XmlEscape(out->reply) + "</Message>";
  twiml += "</Response>";
  return Text(200, twiml, "text/xml; charset=utf-8");
}

}  // namespace

void AddSmsRoutes(Router& router, app::App& app) {
  for (const char* method : {"GET", "POST"}) {
    router.Add({.method = method,
                .pattern = "/hooks/kannel",
                .handler = [&app](const Request& req, const Params&) { return KannelInbound(app, req); }});
    router.Add({.method = method,
                .pattern = "/hooks/kannel/dlr",
                .handler = [&app](const Request& req, const Params&) { return KannelReport(app, req); }});
  }
  router.Add({.method = "POST",
              .pattern = "/hooks/twilio",
              .handler = [&app](const Request& req, const Params&) { return TwilioHook(app, req); }});
  // A text template rendered with sample values, and its characters and segments.
  router.Add({.method = "GET",
              .pattern = "/api/v1/templates/{locale}/{name}/preview",
              .handler = Authed(app, [&app](const Request&, const Params& p, const store::Shop& shop) {
                auto key = app::TemplateKey(p.at("locale"), p.at("name"));
                if (!key) return Problem(key.error());
                auto overrides = app.templates().List(shop.id);
                if (!overrides) return Problem(overrides.error());
                auto preview = app::PreviewText(app.links(), shop, p.at("locale"), p.at("name"), *overrides);
                if (!preview) return Problem(preview.error());
                return Json(200, TextPreviewJson(p.at("name"), p.at("locale"), *preview));
              })});
  router.Add({.method = "GET",
              .pattern = "/q/{token}",
              .handler =
                  [&app](const Request&, const Params& p) {
                    auto v = app.answers().View(p.at("token"));
                    if (!v) return PageError(v.error());
                    if (v->survey.score)
                      return AnswerPage(app, *v, p.at("token"), !v->survey.comment.empty());
                    return QuestionPage(app, *v, p.at("token"));
                  },
              .per_client_limit = true});
}

}  // namespace vouch::api
