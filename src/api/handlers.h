#pragma once
// The HTTP surface of Vouch: JSON API under /api/v1 (Bearer API key), customer pages (/s, /u,
// /r), /healthz and static assets. Handlers are thin: parse, call one App use case, render.
#include <memory>

#include "api/router.h"
#include "app/app.h"
#include "base/thread_pool.h"
#include "http/server.h"

namespace vouch::api {

inline constexpr size_t kMaxBody = 1 << 20;          // 1 MiB for everything but batches
inline constexpr size_t kMaxBatchBody = 64 << 20;    // 64 MiB for /api/v1/orders/batch
inline constexpr size_t kMaxBatchOrders = 10'000;

class Api {
 public:
  // `pool` runs the handlers (they block on the store); it must outlive the server.
  Api(app::App& app, ThreadPool& pool);

  // The server's handler: routes on the I/O thread, runs the route on the pool (single orders
  // from a known key and answer clicks go to the writer straight from the I/O thread).
  http::Handler Handler();

 private:
  void AddRoutes();
  bool TryIngestInline(http::Request& req, http::Responder& respond);
  bool TryClickInline(http::Request& req, http::Responder& respond);
  http::Response Dispatch(const http::Request& req);

  app::App& app_;
  ThreadPool& pool_;
  Router router_;
};

}  // namespace vouch::api
