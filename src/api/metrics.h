#pragma once
// GET /metrics (Prometheus text format 0.0.4): requests by route pattern and status with latency
// histograms (counted by the server for every response, through http::ServerOptions::observe),
// the store's writer (queue depth, write functions per group commit), jobs by kind and status
// (one GROUP BY at scrape time), messages sent, failed and retried per channel on this node, the
// handler pool's queue, and the store's kind. Updates are relaxed atomics: cheap on every path.
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/router.h"
#include "app/app.h"
#include "base/metrics.h"

namespace vouch::api {

class HttpMetrics {
 public:
  // One series per route pattern of `router` (its routes are all added), and one for paths no
  // route takes.
  explicit HttpMetrics(const Router& router);
  // Thread-safe; `pattern` as the access log names the path (Api::LogPathMapper).
  void Observe(std::string_view pattern, int status, double ms);
  void Write(std::string& out) const;

 private:
  struct Series {
    explicit Series(std::string p);
    std::string pattern;
    KeyedCounter statuses;
    Histogram seconds;
  };
  std::deque<Series> series_;
  std::unordered_map<std::string_view, Series*> by_pattern_;
  Series* other_ = nullptr;
};

// The whole /metrics page. `handler_queue` is the requests waiting for a handler thread.
std::string MetricsText(app::App& app, const HttpMetrics& http, size_t handler_queue);

}  // namespace vouch::api
