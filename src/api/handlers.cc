#include "api/handlers.h"

#include <malloc.h>

#include <atomic>
#include <chrono>

#include <fmt/format.h>

#include "api/json.h"
#include "api/pages.h"
#include "base/log.h"
#include "delivery/templates.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

// Parses an application/x-www-form-urlencoded body.
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

struct Range {
  Instant from, to;
};

// from/to: a date ("2026-11-20", whole days, `to` inclusive) or an RFC 3339 instant (`to`
// exclusive). Default: the 30 days up to the end of today (UTC).
Result<Range> ParseRange(const Request& req, Instant now, Millis default_span) {
  Range r;
  r.to = DayStart(DayNumber(now) + 1);
  if (req.HasQuery("to")) {
    const std::string t = req.Query("to");
    auto v = ParseDateOrTime(t, "to");
    if (!v) return v.error();
    r.to = t.size() == 10 ? *v + std::chrono::days{1} : *v;
  }
  r.from = r.to - default_span;
  if (req.HasQuery("from")) {
    auto v = ParseDateOrTime(req.Query("from"), "from");
    if (!v) return v.error();
    r.from = *v;
  }
  if (r.to <= r.from) return InvalidArgument("to", "must be after from");
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

Response PageError(const Error& e) {
  if (e.code == Code::kNotFound) {
    return MessagePage(404, "Link not found", "This link is unknown or has been mistyped.");
  }
  if (e.code == Code::kInvalidArgument) return MessagePage(400, "Invalid link", e.message);
  if (e.code == Code::kUnavailable) {
    return MessagePage(503, "Please try again", "We could not save that just now. Please try again in a moment.");
  }
  return MessagePage(500, "Something went wrong", "Please try again later.");
}

Response Redirect(int status, const std::string& location) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", location);
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  return r;
}

bool IsBatch(const Request& req) { return req.path == "/api/v1/orders/batch"; }

// The page for an answer click: the answer as recorded, or for a click judged a scanner's, the
// question's page without saying anything was recorded.
Response ClickPage(const app::App& app, const Result<app::AnswerView>& v, std::string_view token, int score,
                   std::string_view method) {
  if (!v) return PageError(v.error());
  if (v->verdict == core::ClickVerdict::kIgnore && method == "GET") {
    app::AnswerView shown = *v;
    shown.survey.score = score;
    shown.survey.answer_state = store::AnswerState::kSuspect;
    shown.code.reset();
    return AnswerPage(app, shown, token, false);
  }
  return AnswerPage(app, *v, token, !v->survey.comment.empty());
}

}  // namespace

Api::Api(app::App& app, ThreadPool& pool) : app_(app), pool_(pool) { AddRoutes(); }

namespace {

// A batch request allocates tens of megabytes (its body, the parsed orders, the writer's work)
// across glibc's per-thread arenas, which keep freed memory for reuse: resident memory climbed
// with every concurrent batch and stayed after it. Handing it back after a batch, at most once
// a second, took bench/run's worst peak from 272 MB to 99 MB (with SQLite's default page cache
// for the writer; docs/BENCHMARKS.md). A trim after every batch went lower but cost ~10 % of the
// batch rate.
void ReturnFreedMemory() {
  static std::atomic<int64_t> last_ms{0};
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  int64_t last = last_ms.load(std::memory_order_relaxed);
  if (now - last < 1000 || !last_ms.compare_exchange_strong(last, now)) return;
  malloc_trim(0);
}

// 201 for a new order, 200 for a replay, else the problem.
Response IngestResponse(const Result<app::IngestResult>& done) {
  return done ? Json(done->created ? 201 : 200, ToJson(*done)) : Problem(done.error());
}

// The Bearer key of a request, or empty.
std::string_view BearerKey(const Request& req) {
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) return auth.substr(7);
  return {};
}

}  // namespace

// POST /api/v1/orders without a thread of its own, when the key is one this node knows from the
// last seconds: parsed on the I/O thread, queued for the writer, and answered from the writer's
// completion, the response body built back on the I/O thread. A request otherwise crossed four
// threads (I/O → handler pool → writer → handler → I/O) and held a pool thread asleep for its
// commit. False: take the pool path (a key to look up, or another route).
bool Api::TryIngestInline(Request& req, http::Responder& respond) {
  // Small bodies only: parsing a large one would hold up every connection on this I/O thread.
  constexpr size_t kMaxInlineBody = 64 * 1024;
  if (req.method != "POST" || req.path != "/api/v1/orders" || req.body.size() > kMaxInlineBody) return false;
  auto shop = app_.shops().AuthenticateCached(BearerKey(req));
  if (!shop) return false;
  auto order = ParseOrder(req.body);
  if (!order) {
    respond(Problem(order.error()));
    return true;
  }
  // The JSON is written on the I/O thread (Response::finish), not on the writer's.
  app_.ingest().OrderAsync(std::move(*shop), std::move(*order), [respond = std::move(respond)](Result<app::IngestResult> done) {
    Response r;
    r.finish = [done = std::move(done)](Response& out) { out = IngestResponse(done); };
    respond(std::move(r));
  });
  return true;
}

// GET /s/{token}/{score} (an answer click, mostly on a new connection from a mail client) the same
// way: the answer is queued for the writer from the I/O thread, and the page is rendered back on
// the I/O thread (Response::finish) once the answer is durable, so the writer thread never renders.
// HEAD, malformed scores and requests with a body (413 past kMaxBody) take the pool path.
bool Api::TryClickInline(Request& req, http::Responder& respond) {
  if (req.method != "GET" || !req.body.empty() || req.path.rfind("/s/", 0) != 0) return false;
  auto segs = SplitPath(req.path);
  if (segs.size() != 3 || segs[0] != "s") return false;
  auto score = ScoreParam(segs[2]);
  if (!score) return false;
  std::string token = segs[1];
  app_.answers().RecordClickAsync(token, *score, req.method, std::string(req.Header("user-agent")),
                        [&app = app_, respond = std::move(respond), token, score = *score](
                            Result<app::AnswerView> v) {
                          Response r;
                          r.finish = [&app, v = std::move(v), token, score](Response& out) {
                            out = ClickPage(app, v, token, score, "GET");
                          };
                          respond(std::move(r));
                        });
  return true;
}

http::Handler Api::Handler() {
  return [this](Request&& req, http::Responder respond) {
    if (TryIngestInline(req, respond) || TryClickInline(req, respond)) return;
    pool_.Post([this, req = std::move(req), respond = std::move(respond)]() mutable {
      Response r;
      try {
        r = Dispatch(req);
      } catch (const std::exception& e) {
        Log(LogLevel::kError, "http.handler_exception", {{"request_id", req.request_id}, {"error", e.what()}});
        r = Problem(Internal(e.what()));
      }
      respond(std::move(r));
      if (IsBatch(req)) ReturnFreedMemory();
    });
  };
}

Response Api::Dispatch(const Request& req) {
  if (req.body.size() > (IsBatch(req) ? kMaxBatchBody : kMaxBody)) {
    return Problem(Error{Code::kPayloadTooLarge,
                         fmt::format("request body exceeds {} bytes", IsBatch(req) ? kMaxBatchBody : kMaxBody),
                         "body"});
  }
  auto match = router_.Find(req.method, req.path);
  if (!match.handler) {
    if (match.path_known) {
      Response r = Json(405, R"({"type":"about:blank","title":"Method Not Allowed","status":405})");
      r.content_type = "application/problem+json";
      return r;
    }
    if (req.path.rfind("/api/", 0) == 0) return Problem(NotFound("no such endpoint"));
    return MessagePage(404, "Not found", "There is nothing here.");
  }
  return (*match.handler)(req, match.params);
}

void Api::AddRoutes() {
  app::App& app = app_;

  // Authenticates the Bearer key, then runs `fn` with the caller's shop.
  auto authed = [&app](auto fn) {
    return [&app, fn](const Request& req, const Params& p) -> Response {
      auto shop = app.shops().Authenticate(BearerKey(req));
      if (!shop) return Problem(shop.error());
      return fn(req, p, *shop);
    };
  };

  router_.Add("GET", "/healthz", [&app](const Request&, const Params&) {
    const app::HealthInfo health = app.Health();
    return Json(200, fmt::format(R"({{"status":"ok","store":"{}","schema":{}}})", health.store_kind,
                                 health.schema_version));
  });
  router_.Add("GET", "/static/{file}", [](const Request&, const Params& p) { return StaticFile(p.at("file")); });

  // --- Orders ---------------------------------------------------------------------------------
  router_.Add("POST", "/api/v1/orders", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto order = ParseOrder(req.body);
    if (!order) return Problem(order.error());
    return IngestResponse(app.ingest().Order(shop, *order));
  }));
  router_.Add("POST", "/api/v1/orders/batch", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto parsed = ParseOrderBatch(req.body, kMaxBatchOrders);
    if (!parsed) return Problem(parsed.error());
    std::vector<app::OrderInput> valid;
    std::vector<size_t> where;
    std::vector<Result<app::IngestResult>> results(parsed->size(), Result<app::IngestResult>(Internal("")));
    std::vector<std::string> ids(parsed->size());
    for (size_t i = 0; i < parsed->size(); ++i) {
      auto& item = (*parsed)[i];
      ids[i] = item.id;
      if (item.order) {
        where.push_back(i);
        valid.push_back(std::move(*item.order));
      } else {
        results[i] = item.order.error();
      }
    }
    auto done = app.ingest().Batch(shop, valid);
    for (size_t k = 0; k < done.size(); ++k) results[where[k]] = std::move(done[k]);
    return Json(200, BatchToJson(results, ids));
  }));

  // --- Settings and templates ---------------------------------------------------------------
  router_.Add("GET", "/api/v1/settings", authed([](const Request&, const Params&, const store::Shop& shop) {
    return Json(200, ToJson(shop));
  }));
  router_.Add("PATCH", "/api/v1/settings", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto patch = ParseSettingsPatch(req.body);
    if (!patch) return Problem(patch.error());
    auto updated = app.shops().UpdateSettings(shop.id, *patch);
    if (!updated) return Problem(updated.error());
    return Json(200, ToJson(*updated));
  }));
  router_.Add("GET", "/api/v1/templates", authed([&app](const Request&, const Params&, const store::Shop& shop) {
    auto t = app.templates().List(shop.id);
    if (!t) return Problem(t.error());
    return Json(200, TemplatesToJson(*t, delivery::BuiltinTemplateNames()));
  }));
  router_.Add("PUT", "/api/v1/templates/{locale}/{name}", authed([&app](const Request& req, const Params& p, const store::Shop& shop) {
    auto key = app::TemplateKey(p.at("locale"), p.at("name"));
    if (!key) return Problem(key.error());
    auto ok = delivery::ValidateTemplate(req.body);
    if (!ok) return Problem(ok.error());
    auto put = app.templates().Put(shop.id, *key, req.body);
    if (!put) return Problem(put.error());
    return Json(200, fmt::format(R"({{"key":"{}"}})", *key));
  }));
  router_.Add("DELETE", "/api/v1/templates/{locale}/{name}", authed([&app](const Request&, const Params& p, const store::Shop& shop) {
    auto key = app::TemplateKey(p.at("locale"), p.at("name"));
    if (!key) return Problem(key.error());
    auto del = app.templates().Delete(shop.id, *key);
    if (!del) return Problem(del.error());
    Response r;
    r.status = 204;
    return r;
  }));

  // --- Reports --------------------------------------------------------------------------------
  router_.Add("GET", "/api/v1/nps", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto range = ParseRange(req, app.clock().Now(), std::chrono::days{30});
    if (!range) return Problem(range.error());
    std::string interval = req.HasQuery("interval") ? req.Query("interval") : "";
    if (interval.empty()) {
      const auto span = range->to - range->from;
      interval = span <= std::chrono::days{92} ? "day" : span <= std::chrono::days{731} ? "week" : "month";
    }
    std::optional<std::string> segment;
    if (req.HasQuery("segment")) segment = req.Query("segment");
    auto report = app.reports().Nps(shop.id, range->from, range->to, interval, segment);
    if (!report) return Problem(report.error());
    return Json(200, ToJson(*report));
  }));
  router_.Add("GET", "/api/v1/funnel", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto range = ParseRange(req, app.clock().Now(), std::chrono::days{30});
    if (!range) return Problem(range.error());
    auto f = app.reports().Funnel(shop.id, range->from, range->to);
    if (!f) return Problem(f.error());
    return Json(200, ToJson(*f, range->from, range->to));
  }));
  router_.Add("GET", "/api/v1/promoters", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto range = ParseRange(req, app.clock().Now(), std::chrono::days{3650});
    if (!range) return Problem(range.error());
    auto limit = IntParam(req, "limit", 50, 1, 1000);
    if (!limit) return Problem(limit.error());
    auto rows = app.reports().Promoters(shop.id, range->from, range->to, *limit);
    if (!rows) return Problem(rows.error());
    return Json(200, ToJson(*rows, shop.settings.currency));
  }));
  router_.Add("GET", "/api/v1/responses", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    auto range = ParseRange(req, app.clock().Now(), std::chrono::days{3650});
    if (!range) return Problem(range.error());
    auto limit = IntParam(req, "limit", 100, 1, 1000);
    if (!limit) return Problem(limit.error());
    auto after = IntParam(req, "after", 0, 0, INT32_MAX);
    if (!after) return Problem(after.error());
    auto rows = app.reports().Responses(shop.id, range->from, range->to, req.Query("category"), *after, *limit);
    if (!rows) return Problem(rows.error());
    return Json(200, ToJson(*rows));
  }));
  router_.Add("GET", "/api/v1/jobs", authed([&app](const Request& req, const Params&, const store::Shop& shop) {
    const std::string status_name = req.Query("status");
    const auto status = store::ParseJobStatus(status_name);
    if (!status_name.empty() && !status) {
      return Problem(InvalidArgument("status", "must be pending, running, done, failed or skipped"));
    }
    auto limit = IntParam(req, "limit", 100, 1, 1000);
    if (!limit) return Problem(limit.error());
    auto jobs = app.outbox().List(shop.id, status, *limit);
    if (!jobs) return Problem(jobs.error());
    auto counts = app.outbox().Counts(shop.id);
    if (!counts) return Problem(counts.error());
    return Json(200, ToJson(*jobs, *counts));
  }));

  // --- Personal data --------------------------------------------------------------------------
  router_.Add("GET", "/api/v1/customers/{id}/export", authed([&app](const Request&, const Params& p, const store::Shop& shop) {
    auto e = app.privacy().Export(shop.id, p.at("id"));
    if (!e) return Problem(e.error());
    return Json(200, ToJson(*e));
  }));
  router_.Add("DELETE", "/api/v1/customers/{id}", authed([&app](const Request&, const Params& p, const store::Shop& shop) {
    auto s = app.privacy().Erase(shop.id, p.at("id"));
    if (!s) return Problem(s.error());
    Response r;
    r.status = 204;
    return r;
  }));

  // --- Customer pages -------------------------------------------------------------------------
  router_.Add("GET", "/s/{token}", [&app](const Request&, const Params& p) {
    auto v = app.answers().View(p.at("token"));
    if (!v) return PageError(v.error());
    return AnswerPage(app, *v, p.at("token"), !v->survey.comment.empty());
  });
  // GET usually takes TryClickInline; HEAD and bad scores come here.
  router_.Add("GET", "/s/{token}/{score}", [&app](const Request& req, const Params& p) {
    auto score = ScoreParam(p.at("score"));
    if (!score) return PageError(NotFound("bad score"));
    auto v = app.answers().RecordClick(p.at("token"), *score, req.method, req.Header("user-agent"));
    return ClickPage(app, v, p.at("token"), *score, req.method);
  });
  router_.Add("POST", "/s/{token}/{score}/confirm", [&app](const Request& req, const Params& p) {
    auto score = ScoreParam(p.at("score"));
    if (!score) return PageError(NotFound("bad score"));
    auto v = app.answers().Confirm(p.at("token"), *score);
    if (!v) return PageError(v.error());
    if (!req.Header("x-vouch-confirm").empty()) return Json(200, R"({"confirmed":true})");
    return Redirect(303, app.config().public_url + "/s/" + p.at("token"));
  });
  router_.Add("POST", "/s/{token}/comment", [&app](const Request& req, const Params& p) {
    auto form = ParseForm(req.body);
    auto s = app.answers().SaveComment(p.at("token"), form["comment"]);
    if (!s) return PageError(s.error());
    return Redirect(303, app.config().public_url + "/s/" + p.at("token"));
  });
  router_.Add("GET", "/u/{token}", [&app](const Request&, const Params& p) {
    auto shop = app.answers().UnsubscribeShop(p.at("token"));
    if (!shop) return PageError(shop.error());
    return UnsubscribePage(*shop, app.config().public_url + "/u/" + p.at("token"), false);
  });
  // RFC 8058 one-click (body "List-Unsubscribe=One-Click") and the page's button both POST here.
  router_.Add("POST", "/u/{token}", [&app](const Request& req, const Params& p) {
    auto s = app.answers().Unsubscribe(p.at("token"));
    if (!s) return PageError(s.error());
    if (ParseForm(req.body).count("List-Unsubscribe")) return Json(200, R"({"unsubscribed":true})");
    auto shop = app.answers().UnsubscribeShop(p.at("token"));
    if (!shop) return PageError(shop.error());
    return UnsubscribePage(*shop, app.config().public_url + "/u/" + p.at("token"), true);
  });
  router_.Add("GET", "/r/{code}", [&app](const Request& req, const Params& p) {
    if (req.method == "HEAD") {
      // Link previews: answer without counting a visit.
      return Response{200, "text/plain; charset=utf-8", {}, ""};
    }
    auto to = app.referrals().ShareVisit(p.at("code"));
    if (!to) return PageError(to.error());
    return Redirect(302, *to);
  });
}

}  // namespace vouch::api
