#pragma once
// The HTTP surface of Vouch: JSON API under /api/v1 (API key or session), customer pages (/s, /u,
// /r), /healthz and static assets. Api composes the route areas (routes.h) into one Router and
// serves it: handlers are thin (parse, call one App use case, render) and run on a thread pool;
// a route's inline handler (single orders from a known key, answer clicks) runs on the I/O thread.
#include <functional>
#include <memory>

#include "api/metrics.h"
#include "api/rate_limit.h"
#include "api/router.h"
#include "api/routes.h"
#include "app/app.h"
#include "base/thread_pool.h"
#include "http/server.h"

namespace vouch::api {

// Owns the Router; borrows the App and the pool. Handler() may be called from many I/O threads.
class Api {
 public:
  // `pool` runs the handlers (they block on the store); it and `app` must outlive the server.
  // The public routes' rate per client: `per_second` (0: no limit) after a burst of `burst`.
  struct Options {
    double public_per_second = kPublicPerSecond;
    double public_burst = kPublicBurst;
    std::string metrics_token{};  // GET /metrics only with this Bearer token (empty: open)
  };
  // `public_pool`, if given, runs the public pages' handlers (the routes with per_client_limit:
  // /r, /s, /u) and requests no route takes, so that anonymous traffic neither fills `pool`'s
  // queue nor, on a pool of lower-priority threads, takes CPU the shop's API needs.
  Api(app::App& app, ThreadPool& pool, Options options, ThreadPool* public_pool = nullptr);

  // The server's handler: on the I/O thread, finds the route, answers 413 for a body over the
  // route's limit, answers 429 to a client past its rate on a public route (per_client_limit),
  // takes the route's inline handler when it has one that accepts the request, and
  // else runs the route (or the 404/405 answer) on the pool; with the pool's queue full, 503 with
  // Retry-After. A response with a streamed body (http::Response::stream, the CSV exports) has its
  // producer called on the pool too, one piece at a time, so a route's producer may block on the
  // store.
  http::Handler Handler();
  // The server's body-limit decider (http::ServerOptions::body_limit_of): the route's limit, but
  // a route's limit above kDefaultMaxBody (batches, imports) only for a valid Bearer key: one the
  // node knows from the last seconds at once, another after a store lookup on the pool (without
  // a key, or with the pool full, kDefaultMaxBody).
  http::BodyLimitDecider BodyLimitDecider();
  // The server's access-log path (http::ServerOptions::log_path): the route's pattern
  // ("/s/{token}/{score}", "/api/v1/customers/{id}"), so no link token, code or customer id is
  // logged; a path no route takes is logged by its first segment only ("/s/...").
  http::LogPathMapper LogPathMapper();
  // The server's observer (http::ServerOptions::observe): counts each response for /metrics.
  http::RequestObserver RequestObserver();

  // The routes of every area, as registered.
  const Router& router() const { return router_; }

 private:
  http::Response Run(const Router::Match& match, const http::Request& req);
  std::function<void(http::PieceSink)> OnPool(std::function<void(http::PieceSink)> produce);

  app::App& app_;
  ThreadPool& pool_;
  ThreadPool& public_pool_;  // pool_ when none was given
  Router router_;
  bool limit_public_;
  RateLimiter public_limit_;
  std::unique_ptr<HttpMetrics> metrics_;  // after every route is added
};

}  // namespace vouch::api
