#pragma once
// A small blocking HTTP client on libcurl for tests. One HttpClient keeps one curl handle, so
// consecutive requests reuse a keep-alive connection to the same server. Not thread-safe: give
// each thread its own client. Redirects are not followed (tests check 302 and Location).
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vouch::test {

struct HttpResponse {
  long status = 0;  // 0 when the transfer failed; see `error`
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated fields joined by ", "
  std::string error;                           // curl's message when status is 0
  long new_connections = 0;                    // connections opened for this request (0: reused)

  // The header's value, or empty.
  std::string Header(const std::string& lower_name) const;
};

struct HttpOptions {
  bool fresh_connection = false;  // open a new connection and close it afterwards
  bool follow_redirects = false;
  std::string user_agent{};  // empty: curl sends none ({}: see Response in http/server.h)
  long timeout_ms = 30000;   // the whole transfer
};

class HttpClient {
 public:
  using Response = HttpResponse;
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // `defaults` apply to Get/Post/... ; Request() takes its options explicitly.
  explicit HttpClient(HttpOptions defaults = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any method ("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", ...). A non-empty body is sent
  // as is; set Content-Type through `headers`. Never throws: failures come back as status 0.
  HttpResponse Request(std::string_view method, const std::string& url, std::string_view body = {},
                       const Headers& headers = {}, const HttpOptions& options = {});

  HttpResponse Get(const std::string& url, const Headers& headers = {});
  HttpResponse Head(const std::string& url, const Headers& headers = {});
  HttpResponse Delete(const std::string& url, const Headers& headers = {});
  HttpResponse Post(const std::string& url, std::string_view body, const Headers& headers = {});
  HttpResponse Put(const std::string& url, std::string_view body, const Headers& headers = {});
  HttpResponse Patch(const std::string& url, std::string_view body, const Headers& headers = {});

  HttpOptions& defaults() { return defaults_; }

 private:
  void* curl_;  // CURL*, kept out of this header
  HttpOptions defaults_;
};

}  // namespace vouch::test
