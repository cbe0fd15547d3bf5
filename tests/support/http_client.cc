#include "support/http_client.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace vouch::test {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// One header line. A status line ("HTTP/1.1 100 Continue", or a redirect's) starts a new set.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * count);
  if (line.substr(0, 5) == "HTTP/") {
    headers.clear();
    return size * count;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * count;
  std::string name = Trim(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value = Trim(line.substr(colon + 1));
  auto [it, inserted] = headers.emplace(name, value);
  if (!inserted) it->second += ", " + value;
  return size * count;
}

// A JSON string literal of `s` (the recorder's lines).
std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// With VOUCH_RECORD_RESPONSES set to a file, every response is appended to it as one JSON line:
// the test, method, path (as sent, with its query), status, content type and, for JSON media
// types, the body. tests/openapi/responses.mjs validates them against docs/api/openapi.json.
void Record(std::string_view method, const std::string& url, const HttpResponse& r) {
  static const char* file = std::getenv("VOUCH_RECORD_RESPONSES");
  if (file == nullptr || *file == '\0' || r.status == 0) return;
  std::string path = url;
  if (size_t scheme = path.find("://"); scheme != std::string::npos) {
    size_t slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  }
  const std::string type = r.Header("content-type");
  const bool json = type.find("json") != std::string::npos;
  std::string test;
  if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info(); info != nullptr) {
    test = std::string(info->test_suite_name()) + "." + info->name();
  }
  std::string line = "{\"test\":" + Quoted(test) + ",\"method\":" + Quoted(method) +
                     ",\"path\":" + Quoted(path) + ",\"status\":" + std::to_string(r.status) +
                     ",\"content_type\":" + Quoted(type);
  if (json) line += ",\"body\":" + Quoted(r.body);
  line += "}\n";
  static std::mutex mu;
  std::lock_guard lock(mu);
  if (FILE* f = std::fopen(file, "a"); f != nullptr) {
    std::fwrite(line.data(), 1, line.size(), f);
    std::fclose(f);
  }
}

}  // namespace

std::string HttpResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpClient::HttpClient(HttpOptions defaults) : defaults_(std::move(defaults)) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::Request(std::string_view method, const std::string& url, std::string_view body,
                                 const Headers& headers, const HttpOptions& options) {
  HttpResponse response;
  CURL* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) {
    response.error = "curl_easy_init failed";
    return response;
  }
  curl_easy_reset(curl);  // keeps the connection cache
  std::string method_text(method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROXY, "");  // loopback servers: ignore http_proxy
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, options.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, options.follow_redirects ? 1L : 0L);
  if (options.fresh_connection) {
    curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  }
  if (!options.user_agent.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
  }
  if (method_text == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method_text == "GET" && body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    if (method_text != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
    if (!body.empty() || method_text == "POST" || method_text == "PUT" || method_text == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
    }
  }
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) {
    // "Name;" is curl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    header_list = curl_slist_append(header_list, line.c_str());
  }
  if (header_list != nullptr) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);

  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &response.new_connections);
  } else {
    response.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(header_list);
  Record(method, url, response);
  return response;
}

HttpResponse HttpClient::Get(const std::string& url, const Headers& headers) {
  return Request("GET", url, {}, headers, defaults_);
}
HttpResponse HttpClient::Head(const std::string& url, const Headers& headers) {
  return Request("HEAD", url, {}, headers, defaults_);
}
HttpResponse HttpClient::Delete(const std::string& url, const Headers& headers) {
  return Request("DELETE", url, {}, headers, defaults_);
}
HttpResponse HttpClient::Post(const std::string& url, std::string_view body, const Headers& headers) {
  return Request("POST", url, body, headers, defaults_);
}
HttpResponse HttpClient::Put(const std::string& url, std::string_view body, const Headers& headers) {
  return Request("PUT", url, body, headers, defaults_);
}
HttpResponse HttpClient::Patch(const std::string& url, std::string_view body, const Headers& headers) {
  return Request("PATCH", url, body, headers, defaults_);
}

}  // namespace vouch::test
