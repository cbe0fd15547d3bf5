#pragma once
// Outgoing HTTP POSTs (webhooks) on libcurl, with care for server-side request forgery: unless
// allowed, a URL whose host is, or resolves to, a loopback, private, link-local, shared (CGNAT),
// multicast or unspecified address is refused, both when it is checked and again at each
// connection (every address libcurl connects to is checked, so a DNS answer that changes after
// the check is caught too). No redirects are followed and no proxy from the environment is used.
// Thread-safe: each call uses its own handle.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace vouch::delivery {

struct HttpPostOptions {
  bool allow_private = false;  // allow loopback and private addresses (tests, closed networks)
  Millis timeout{10'000};      // for the whole exchange, connecting included
};

struct HttpPostResult {
  int status = 0;      // the HTTP status, 0 when none came back
  std::string detail;  // why it failed: transport error or "HTTP 500"; empty on a 2xx
  bool ok() const { return status >= 200 && status < 300; }
};

// POSTs `body` with `headers` to `url` (http or https). Never throws; any failure is in the result.
HttpPostResult HttpPost(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view body, const HttpPostOptions& options);

// Whether `url` may receive webhooks: an absolute http or https URL with a host and no user
// info, whose host (resolved now) is no private address unless allowed. kInvalidArgument on
// `field` otherwise.
Status CheckPostUrl(const std::string& url, bool allow_private, const std::string& field);

// Whether `ip` (text, v4 or v6) is an address no public webhook receiver has: loopback, private
// (RFC 1918, fc00::/7), link-local, shared (100.64/10), multicast, unspecified, broadcast, or a
// v6 address that embeds one of these (v4-mapped, NAT64 64:ff9b::/96, 6to4 2002::/16).
bool IsPrivateAddress(std::string_view ip);

}  // namespace vouch::delivery
