#include "api/metrics.h"

#include <fmt/format.h>

namespace vouch::api {
namespace {

// Latency buckets in seconds: 0.5 ms to 10 s.
std::vector<double> LatencyBounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};
}

void Gauge(std::string& out, std::string_view name, std::string_view help, double v) {
  PromHeader(out, name, "gauge", help);
  out += fmt::format("{} {}\n", name, v);
}

}  // namespace

HttpMetrics::Series::Series(std::string p) : pattern(std::move(p)), seconds(LatencyBounds()) {}

HttpMetrics::HttpMetrics(const Router& router) {
  for (const Route& r : router.routes()) {
    if (by_pattern_.contains(r.pattern)) continue;
    Series& s = series_.emplace_back(r.pattern);
    by_pattern_.emplace(s.pattern, &s);
  }
  other_ = &series_.emplace_back("other");
}

void HttpMetrics::Observe(std::string_view pattern, int status, double ms) {
  auto it = by_pattern_.find(pattern);
  Series& s = it == by_pattern_.end() ? *other_ : *it->second;
  s.statuses.Add(status);
  s.seconds.Observe(ms / 1000.0);
}

void HttpMetrics::Write(std::string& out) const {
  PromHeader(out, "vouch_http_requests_total", "counter", "HTTP responses by route pattern and status.");
  for (const Series& s : series_) {
    for (const auto& [status, n] : s.statuses.Snapshot()) {
      out += fmt::format("vouch_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", PromLabel(s.pattern),
                         status == 0 ? std::string("other") : std::to_string(status), n);
    }
  }
  PromHeader(out, "vouch_http_request_seconds", "histogram",
             "Time from a request's head to its response written, by route pattern.");
  for (const Series& s : series_) {
    if (s.statuses.Snapshot().empty()) continue;
    s.seconds.Write(out, "vouch_http_request_seconds", fmt::format("route=\"{}\"", PromLabel(s.pattern)));
  }
}

std::string MetricsText(app::App& app, const HttpMetrics& http, size_t handler_queue) {
  std::string out;
  http.Write(out);
  Gauge(out, "vouch_handler_queue_depth", "Requests waiting for a handler thread.",
        static_cast<double>(handler_queue));

  const store::WriterStats w = app.WriterStats();
  Gauge(out, "vouch_store_writer_queue_depth", "Write functions waiting for the store's writer.",
        static_cast<double>(w.queued));
  PromHeader(out, "vouch_store_group_commit_size", "histogram", "Write functions per writer transaction.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < store::WriterStats::kBuckets; ++i) {
    cumulative += w.commit_sizes[i];
    const std::string le = i + 1 < store::WriterStats::kBuckets ? std::to_string(size_t{1} << i) : "+Inf";
    out += fmt::format("vouch_store_group_commit_size_bucket{{le=\"{}\"}} {}\n", le, cumulative);
  }
  out += fmt::format("vouch_store_group_commit_size_sum {}\n", w.writes);
  out += fmt::format("vouch_store_group_commit_size_count {}\n", w.commits);

  PromHeader(out, "vouch_jobs", "gauge", "Jobs in the store by kind and status (all shops).");
  if (auto tally = app.outbox().Tally(); tally) {
    for (const auto& t : *tally) {
      out += fmt::format("vouch_jobs{{kind=\"{}\",status=\"{}\"}} {}\n", store::JobKindName(t.kind),
                         store::JobStatusName(t.status), t.count);
    }
  }
  PromHeader(out, "vouch_messages_total", "counter",
             "Messages this node's workers sent, had refused for good, or retried, by channel.");
  for (core::Channel c : core::kAllChannels) {
    const auto& n = app.outbox().Sent(c);
    for (auto [outcome, v] : {std::pair<const char*, uint64_t>{"sent", n.sent.Get()},
                              {"failed", n.failed.Get()},
                              {"retried", n.retried.Get()}}) {
      out += fmt::format("vouch_messages_total{{channel=\"{}\",outcome=\"{}\"}} {}\n", core::ChannelName(c),
                         outcome, v);
    }
  }
  const app::HealthInfo h = app.Health();
  PromHeader(out, "vouch_store_info", "gauge", "The store's kind and schema version.");
  out += fmt::format("vouch_store_info{{kind=\"{}\",schema=\"{}\"}} 1\n", PromLabel(h.store_kind),
                     h.schema_version);
  return out;
}

}  // namespace vouch::api
