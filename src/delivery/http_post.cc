// Outgoing POSTs on libcurl's easy interface; the address check runs in CURLOPT_OPENSOCKETFUNCTION,
// before any connection is made.
#include "delivery/http_post.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>
#include <mutex>

#include <curl/curl.h>

namespace vouch::delivery {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool PrivateV4(const unsigned char* a) {
  return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
         (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
         (a[0] == 100 && (a[1] & 0xc0) == 64) || a[0] >= 224;  // multicast, reserved, broadcast
}

bool PrivateV6(const unsigned char* a) {
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(a, kMapped, 12) == 0) return PrivateV4(a + 12);
  if (std::memcmp(a, kNat64, 12) == 0) return PrivateV4(a + 12);  // 64:ff9b::/96 translates to v4
  if (a[0] == 0x20 && a[1] == 0x02) return PrivateV4(a + 2);      // 2002::/16 (6to4) embeds one
  bool zero_head = true;
  for (int i = 0; i < 15; ++i) zero_head = zero_head && a[i] == 0;
  if (zero_head && (a[15] == 0 || a[15] == 1)) return true;  // :: and ::1
  return (a[0] & 0xfe) == 0xfc ||                            // fc00::/7 unique local
         (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||          // fe80::/10 link-local
         a[0] == 0xff;                                       // multicast
}

bool PrivateSockaddr(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    return PrivateV4(
        reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr));
  }
  if (sa->sa_family == AF_INET6) {
    return PrivateV6(
        reinterpret_cast<const unsigned char*>(&reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr));
  }
  return true;  // nothing else is a web server
}

struct Guard {
  bool allow_private = false;
  bool refused = false;
};

curl_socket_t OpenSocket(void* clientp, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* guard = static_cast<Guard*>(clientp);
  if (!guard->allow_private && PrivateSockaddr(&address->addr)) {
    guard->refused = true;
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

size_t Discard(char* /*data*/, size_t size, size_t n, void* /*user*/) { return size * n; }

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
  void operator()(char* p) const { curl_free(p); }
};

}  // namespace

bool IsPrivateAddress(std::string_view ip) {
  const std::string text(ip);
  unsigned char buf[16] = {};
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return PrivateV4(buf);
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return PrivateV6(buf);
  return true;
}

Status CheckPostUrl(const std::string& url, bool allow_private, const std::string& field) {
  GlobalInit();
  if (url.size() > 2000) return InvalidArgument(field, "is too long");
  std::unique_ptr<CURLU, CurlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return InvalidArgument(field, "must be an absolute http or https URL");
  }
  char* raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &raw, 0) != CURLUE_OK) {
    return InvalidArgument(field, "must be an absolute http or https URL");
  }
  std::unique_ptr<char, CurlDeleter> scheme(raw);
  if (std::strcmp(scheme.get(), "https") != 0 && std::strcmp(scheme.get(), "http") != 0) {
    return InvalidArgument(field, "must be an http or https URL");
  }
  raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_USER, &raw, 0) == CURLUE_OK) {
    curl_free(raw);
    return InvalidArgument(field, "must not contain a user name or password");
  }
  raw = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &raw, 0) != CURLUE_OK || raw == nullptr || raw[0] == '\0') {
    if (raw) curl_free(raw);
    return InvalidArgument(field, "must name a host");
  }
  std::string host(raw);
  curl_free(raw);
  if (allow_private) return OkStatus();
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return InvalidArgument(field, "names a host that does not resolve");
  }
  bool private_address = false;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next)
    private_address = private_address || PrivateSockaddr(a->ai_addr);
  freeaddrinfo(found);
  if (private_address) {
    return InvalidArgument(field,
                           "resolves to a loopback or private address, which this server does not post to");
  }
  return OkStatus();
}

HttpPostResult HttpPost(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view body, const HttpPostOptions& options) {
  GlobalInit();
  std::unique_ptr<CURL, CurlDeleter> c(curl_easy_init());
  if (!c) return {0, "libcurl could not start"};
  Guard guard{options.allow_private, false};
  std::unique_ptr<curl_slist, CurlDeleter> list;
  curl_slist* l = nullptr;
  for (const auto& [name, value] : headers) {
    curl_slist* next = curl_slist_append(l, (name + ": " + value).c_str());
    if (next == nullptr) {
      curl_slist_free_all(l);
      return {0, "out of memory"};
    }
    l = next;
  }
  list.reset(curl_slist_append(l, "Expect:"));  // no 100-continue round trip
  const long timeout_ms = static_cast<long>(options.timeout.count());
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = c.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Vouch-Webhooks/1");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, OpenSocket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    if (guard.refused) return {0, "refused: the host resolves to a loopback or private address"};
    return {0, std::string(error[0] != '\0' ? error : curl_easy_strerror(rc))};
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  HttpPostResult r;
  r.status = static_cast<int>(status);
  if (!r.ok()) r.detail = "HTTP " + std::to_string(status);
  return r;
}

}  // namespace vouch::delivery
