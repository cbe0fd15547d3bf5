// URL and path decoding: percent-decoding (with and without '+' as space), percent-encoding's
// round trip, and the router's split-then-decode matching of raw paths.
#include "base/url.h"
#include "api/router.h"
#include "fuzz/fuzz_support.h"
#include "http/server.h"

namespace {

const vouch::api::Router& Routes() {
  static const vouch::api::Router router = [] {
    vouch::api::Router r;
    auto none = [](const vouch::http::Request&, const vouch::api::Params&) {
      return vouch::http::Response{};
    };
    for (const char* p : {"/s/{token}/{score}", "/r/{code}", "/u/{token}", "/api/v1/customers/{id}",
                          "/api/v1/customers/{id}/export", "/static/{path...}", "/api/v1/orders"}) {
      r.Add({.method = "GET", .pattern = p, .handler = none});
    }
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in = vouch::fuzz::Text(data, size);
  const std::string plain = vouch::http::PercentDecode(in, false);
  const std::string form = vouch::http::PercentDecode(in, true);
  vouch::fuzz::Require(plain.size() <= in.size() && form.size() == plain.size(), "decoding never grows");
  vouch::fuzz::Require(vouch::http::PercentDecode(vouch::PercentEncode(in), false) == in,
                       "decode(encode(s)) == s");
  const auto match = Routes().Find("GET", in);
  vouch::fuzz::Require(match.route != nullptr || match.params.size() == 0, "captures only with a route");
  return 0;
}
