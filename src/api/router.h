#pragma once
// Maps (method, path) to routes. A pattern is literal segments and {name} captures, optionally
// ending in a {name...} capture that takes the rest of the path: "/s/{token}/{score}",
// "/static/{path...}". No HTTP library types: works on http::Request/Response.
//
// Paths are matched as sent, still percent-encoded: the path is split on '/' first and each
// segment decoded after, so "gid%3A%2F%2Fshop%2FCustomer%2F7" is one segment (one id) and an
// encoded slash never matches a literal segment's boundary. Empty segments are skipped ("//",
// a trailing '/'). A malformed escape ("%zz") is kept as sent, like http::PercentDecode.
//
// Matching runs on the server's I/O threads for every request, so it allocates nothing but the
// decoded captures of the route found: the path is split into string_views, routes are indexed
// by (segment count, first segment), literal segments are compared without decoding unless they
// hold a '%'.
#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace vouch::api {

inline constexpr size_t kDefaultMaxBody = 1 << 20;  // 1 MiB

// The decoded values a route's {name} captures took from one path. Owns its strings, so it stays
// valid after the request moves (e.g. to a pool thread).
class Params {
 public:
  static constexpr size_t kMaxCaptures = 4;

  // The value of {name}; throws std::out_of_range for a name the route's pattern lacks (a bug).
  const std::string& at(std::string_view name) const;
  size_t size() const { return count_; }

 private:
  friend class Router;
  const std::vector<std::string>* names_ = nullptr;  // the route's capture names, in order
  std::array<std::string, kMaxCaptures> values_{};
  size_t count_ = 0;
};

// Runs on a pool thread (may block); returns the response.
using RouteHandler = std::function<http::Response(const http::Request&, const Params&)>;
// Runs on the I/O thread and must not block. Returns false to decline (then `respond` must be
// left untouched and the route's handler runs on the pool); true once it owns `respond`.
using InlineHandler = std::function<bool(http::Request&, const Params&, http::Responder&)>;

// One route and its properties; built with designated initializers:
//   router.Add({.method = "POST", .pattern = "/api/v1/orders", .handler = ..., .max_body = ...});
struct Route {
  std::string method;  // "GET" also serves HEAD
  std::string pattern;
  RouteHandler handler;
  InlineHandler inline_handler{};     // optional fast path on the I/O thread
  size_t max_body = kDefaultMaxBody;  // longer bodies get 413 before any handler runs
  bool release_memory = false;        // return freed heap memory to the OS after the response (batches)
  bool per_client_limit = false;      // public: requests per client IP are rate limited (429)
};

// Not thread-safe while routes are added; Find() (const) may then run on any number of threads.
class Router {
 public:
  static constexpr size_t kMaxSegments = 16;  // in a pattern; longer paths only match {rest...}

  // Adds a route. A pattern with more than kMaxSegments segments, more than Params::kMaxCaptures
  // captures, or a {name...} not at the end is a programming error: std::invalid_argument.
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // the route for this method and path, or null
    Params params;                 // its captures
    // A route for this path under another method (for 405 and its body limit), or null.
    const Route* other_method = nullptr;
  };
  // Routes of fixed length are tried in the order added, then {rest...} routes in that order.
  Match Find(std::string_view method, std::string_view raw_path) const;
  // Every route added, in the order added (tests/api/openapi_test.cc checks them against the
  // OpenAPI document).
  const std::deque<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    const Route* route;
    std::vector<std::string> segments;  // literal segments; captures empty
    std::vector<bool> is_capture;
    std::vector<std::string> names;  // capture names, in order
    std::vector<size_t> capture_at;  // segment index of each capture
    bool rest = false;               // the last capture takes the rest of the path
  };
  // The fixed-length routes with `count` segments whose first segment is `first` (or a capture).
  struct Bucket {
    size_t count;
    std::string first;
    std::vector<const Compiled*> routes;
  };
  struct Segments;

  bool Matches(const Compiled& c, const Segments& segs) const;
  void Capture(const Compiled& c, const Segments& segs, std::string_view raw_path, Params& out) const;

  std::deque<Route> routes_;
  std::deque<Compiled> compiled_;
  std::vector<Bucket> buckets_;
  std::vector<const Compiled*> capture_first_;  // fixed-length routes starting with a capture
  std::vector<const Compiled*> rest_routes_;
};

}  // namespace vouch::api
