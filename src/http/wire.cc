#include "http/wire.h"

#include <array>
#include <charconv>

#include "base/crypto.h"

namespace vouch::http::internal {
namespace {

constexpr size_t kMaxRequestIdLength = 64;
constexpr size_t kRequestIdRandomBytes = 12;  // 16 base64url characters
// Request ids are drawn from the CSPRNG in batches: one RAND_bytes call (and its getpid()) per
// this many requests rather than per request.
constexpr size_t kRequestIdBatch = 256;

bool IsRequestIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string RandomRequestId() {
  thread_local std::string pool;
  thread_local size_t used = 0;
  if (used == pool.size()) {
    pool = RandomBytes(kRequestIdRandomBytes * kRequestIdBatch);
    used = 0;
  }
  std::string id = Base64Url(std::string_view(pool).substr(used, kRequestIdRandomBytes));
  used += kRequestIdRandomBytes;
  return id;
}

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

// The client's X-Request-Id if it is 1-64 characters of [A-Za-z0-9._-], else a fresh random id.
std::string PickRequestId(std::string_view given) {
  bool sane = !given.empty() && given.size() <= kMaxRequestIdLength;
  for (size_t i = 0; sane && i < given.size(); ++i) sane = IsRequestIdChar(given[i]);
  return sane ? std::string(given) : RandomRequestId();
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// Header fields the server writes itself; the handler's entries with these names are dropped so
// that it can neither break the framing nor send a field twice.
bool IsServerOwned(std::string_view name) {
  for (std::string_view owned :
       {"content-length", "transfer-encoding", "connection", "content-type", "server", "x-request-id"}) {
    if (IEquals(name, owned)) return true;
  }
  return false;
}

void AppendNumber(std::string& out, uint64_t n) {
  std::array<char, 24> digits{};
  auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), n);
  (void)ec;
  out.append(digits.data(), end);
}

// Appends a header value with CR, LF and NUL replaced by spaces: no response splitting.
void AppendValue(std::string& out, std::string_view value) {
  for (char c : value) out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  AppendValue(out, value);
  out += "\r\n";
}

std::string FormatMillis(double ms) {
  std::array<char, 32> text{};
  auto [end, ec] = std::to_chars(text.data(), text.data() + text.size(), ms, std::chars_format::fixed, 3);
  return ec == std::errc() ? std::string(text.data(), end) : std::string("?");
}

}  // namespace vouch::http::internal
