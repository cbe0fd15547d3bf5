// Form decoding (application/x-www-form-urlencoded, as the comment and sign-in forms and every
// query string are read): pairs split on '&' and '=', names and values percent-decoded with '+'
// as a space (http::Request::Query, http::PercentDecode; api::ParseForm splits the same way).
#include "fuzz/fuzz_support.h"
#include "http/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto f = vouch::fuzz::Fields(vouch::fuzz::Text(data, size), 2);
  vouch::http::Request req;
  req.query = std::string(f[1]);
  const std::string name(f[0]);
  const std::string value = req.Query(name);
  vouch::fuzz::Require(value.size() <= req.query.size(), "a value is never longer than the form");
  vouch::fuzz::Require(req.HasQuery(name) || value.empty(), "a value only for a name that is there");
  return 0;
}
