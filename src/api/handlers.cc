#include "api/handlers.h"

#include <malloc.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <utility>

#include <fmt/format.h>

#include "api/json_problem.h"
#include "api/pages.h"
#include "api/params.h"
#include "base/log.h"

namespace vouch::api {
namespace {

using http::Request;
using http::Response;

// The route areas, in the order their routes are tried. A new area is one more line.
// clang-format off
constexpr void (*kAreas[])(Router&, app::App&) = {
    AddAssetRoutes,
    AddOrderRoutes,
    AddSettingsRoutes,
    AddReportRoutes,
    AddJobRoutes,
    AddPrivacyRoutes,
    AddPageRoutes,
    AddSessionRoutes,
    AddFollowupRoutes,
    AddExportRoutes,
    AddUserRoutes,
    AddKeyRoutes,
    AddMoneyRoutes,
    AddHookRoutes,
    AddCampaignRoutes,
    AddProgramRoutes,
    AddDashboardRoutes,
    AddSmsRoutes,
    AddWebhookRoutes,
    AddExperimentRoutes,
    AddDefinedThemeRoutes,
    AddAudienceRoutes,
};
// clang-format on

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

// The body limit for a request: its route's, else that of a route for its path under another
// method (the 405 comes after the 413, as before routes carried limits), else the default.
size_t BodyLimit(const Router::Match& m) {
  if (m.route != nullptr) return m.route->max_body;
  if (m.other_method != nullptr) return m.other_method->max_body;
  return kDefaultMaxBody;
}

}  // namespace

Api::Api(app::App& app, ThreadPool& pool, Options options, ThreadPool* public_pool)
    : app_(app),
      pool_(pool),
      public_pool_(public_pool != nullptr ? *public_pool : pool),
      limit_public_(options.public_per_second > 0),
      public_limit_(options.public_per_second, options.public_burst, kPublicMaxClients) {
  for (auto add : kAreas) add(router_, app_);
  AddMetricsRoutes(
      router_,
      [this] {
        return MetricsText(app_, *metrics_,
                           pool_.Queued() + (&public_pool_ != &pool_ ? public_pool_.Queued() : 0));
      },
      std::move(options.metrics_token));
  metrics_ = std::make_unique<HttpMetrics>(router_);
}

http::RequestObserver Api::RequestObserver() {
  return [this](std::string_view path, int status, double ms) { metrics_->Observe(path, status, ms); };
}

http::Handler Api::Handler() {
  return [this](Request&& req, http::Responder respond) {
    Router::Match match = router_.Find(req.method, req.path);
    const size_t limit = BodyLimit(match);
    if (req.body.size() > limit) {
      respond(Problem(
          Error{Code::kPayloadTooLarge, fmt::format("request body exceeds {} bytes", limit), "body"}));
      return;
    }
    if (match.route != nullptr && match.route->per_client_limit && limit_public_ &&
        !public_limit_.Allow(req.remote_address)) {
      Response slow =
          MessagePage(429, PageMessage::kTooManyRequests, PageLocale(req.Header("accept-language")));
      slow.headers.emplace_back("Retry-After", "1");
      respond(std::move(slow));
      return;
    }
    if (match.route != nullptr && match.route->inline_handler &&
        match.route->inline_handler(req, match.params, respond)) {
      return;
    }
    // The public pages and unrouted paths go to the public pool (the same pool when none is set).
    const bool page = match.route != nullptr && match.route->per_client_limit;
    const bool anonymous = page || match.route == nullptr;
    const std::string page_locale = page ? PageLocale(req.Header("accept-language")) : std::string();
    // The responder is shared so that a task the full pool refuses can still answer.
    auto responder = std::make_shared<http::Responder>(std::move(respond));
    std::function<void()> task = [this, match = std::move(match), req = std::move(req), responder]() mutable {
      Response r;
      try {
        r = Run(match, req);
      } catch (const std::exception& e) {
        Log(LogLevel::kError, "http.handler_exception",
            {{"request_id", req.request_id}, {"error", e.what()}});
        r = Problem(Internal(e.what()));
      }
      if (r.stream) r.stream = OnPool(std::move(r.stream));
      (*responder)(std::move(r));
      if (match.route != nullptr && match.route->release_memory) ReturnFreedMemory();
    };
    if (!(anonymous ? public_pool_ : pool_).TryPost(task)) {
      if (page) {  // a customer's page: a page in their language, as the 429 above
        Response busy = MessagePage(503, PageMessage::kTryAgain, page_locale);
        busy.headers.emplace_back("Retry-After", "1");
        (*responder)(std::move(busy));
      } else {
        (*responder)(Problem(Unavailable("the server is busy; try again shortly")));  // with Retry-After
      }
    }
  };
}

http::LogPathMapper Api::LogPathMapper() {
  return [this](std::string_view method, std::string_view path) -> std::string {
    const Router::Match m = router_.Find(method, path);
    if (m.route != nullptr) return m.route->pattern;
    if (m.other_method != nullptr) return m.other_method->pattern;
    const size_t second = path.find('/', 1);
    return second == std::string_view::npos ? std::string(path)
                                            : std::string(path.substr(0, second)) + "/...";
  };
}

http::BodyLimitDecider Api::BodyLimitDecider() {
  return [this](const Request& head, std::function<void(size_t)> decide) {
    const size_t limit = BodyLimit(router_.Find(head.method, head.path));
    if (limit <= kDefaultMaxBody) return decide(limit);
    const std::string key(BearerKey(head));
    if (key.empty()) return decide(kDefaultMaxBody);
    if (app_.shops().AuthenticateCached(key)) return decide(limit);
    auto shared = std::make_shared<std::function<void(size_t)>>(std::move(decide));
    std::function<void()> lookup = [this, key, limit, shared] {
      (*shared)(app_.shops().Authenticate(key).ok() ? limit : kDefaultMaxBody);
    };
    if (!pool_.TryPost(lookup)) (*shared)(kDefaultMaxBody);
  };
}

// A streamed body's producer may block (it reads the store); the server calls it on an I/O
// thread, so each call goes to the pool.
std::function<void(http::PieceSink)> Api::OnPool(std::function<void(http::PieceSink)> produce) {
  auto shared = std::make_shared<std::function<void(http::PieceSink)>>(std::move(produce));
  return [this, shared](http::PieceSink sink) {
    pool_.Post([shared, sink = std::move(sink)]() mutable {
      try {
        (*shared)(std::move(sink));
      } catch (const std::exception& e) {
        // The sink, dropped uncalled, aborts the body.
        Log(LogLevel::kError, "http.stream_exception", {{"error", e.what()}});
      }
    });
  };
}

Response Api::Run(const Router::Match& match, const Request& req) {
  if (match.route == nullptr) {
    if (match.other_method != nullptr) {
      Response r = Json(405, R"({"type":"about:blank","title":"Method Not Allowed","status":405})");
      r.content_type = "application/problem+json";
      return r;
    }
    if (req.path.rfind("/api/", 0) == 0) return Problem(NotFound("no such endpoint"));
    return MessagePage(404, "Not found", "There is nothing here.");
  }
  return match.route->handler(req, match.params);
}

}  // namespace vouch::api
