#pragma once
// Maps (method, path pattern) to handlers. Patterns are literal segments and {name} captures:
// "/s/{token}/{score}". No HTTP library types: works on http::Request/Response.
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.h"

namespace vouch::api {

using Params = std::map<std::string, std::string>;
// Runs on a worker thread (may block); returns the response.
using RouteHandler = std::function<http::Response(const http::Request&, const Params&)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteHandler handler);
  struct Match {
    const RouteHandler* handler = nullptr;
    Params params;
    bool path_known = false;  // some route has this path under another method (405)
  };
  Match Find(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

std::vector<std::string> SplitPath(std::string_view path);

}  // namespace vouch::api
