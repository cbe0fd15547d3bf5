// Percent-coding (RFC 3986) and the Request accessors declared in server.h. No Beast here.
#include <string>
#include <string_view>

#include "http/server.h"

namespace vouch::http {
namespace {

// The value of one hex digit, or -1.
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls fn(raw_key, raw_value) for each '&'-separated parameter until fn returns true.
template <class Fn>
void ForEachParam(std::string_view query, Fn&& fn) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (fn(key, value)) return;
  }
}

}  // namespace

// Malformed escapes ("%", "%4", "%zz") are kept literally rather than rejected: the router then
// simply finds no match, and a query value keeps what the client sent.
std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::string_view Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return {};
}

std::string Request::Query(std::string_view name) const {
  std::string found;
  ForEachParam(query, [&](std::string_view key, std::string_view value) {
    if (PercentDecode(key, true) != name) return false;
    found = PercentDecode(value, true);
    return true;
  });
  return found;
}

bool Request::HasQuery(std::string_view name) const {
  bool found = false;
  ForEachParam(query, [&](std::string_view key, std::string_view) {
    found = PercentDecode(key, true) == name;
    return found;
  });
  return found;
}

}  // namespace vouch::http
