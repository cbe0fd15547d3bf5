#include "api/assets.h"

#include <algorithm>
#include <string>

#include "api/pages.h"

namespace vouch::api {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// 8-64 hex digits of one case with a digit and a letter ("3f2a9c1b"), or 8 characters of
// [A-Za-z0-9_] with an upper-case letter, a lower-case letter and a digit ("BjZ8Kx2a").
bool LooksLikeHash(std::string_view part) {
  bool digit = false, lower = false, upper = false, hex = true, word = true;
  for (char c : part) {
    digit = digit || (c >= '0' && c <= '9');
    lower = lower || (c >= 'a' && c <= 'z');
    upper = upper || (c >= 'A' && c <= 'Z');
    hex = hex && IsHex(c);
    word = word && (IsHex(c) || (c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z') || c == '_');
  }
  if (hex && part.size() >= 8 && part.size() <= 64 && digit && (lower != upper)) return true;
  return word && part.size() == 8 && digit && lower && upper;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const Asset* FindAsset(std::span<const Asset> table, std::string_view path) {
  auto it = std::lower_bound(table.begin(), table.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  return it != table.end() && it->path == path ? &*it : nullptr;
}

bool HasContentHash(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  name = name.substr(0, dot);  // without the extension
  while (!name.empty()) {
    const size_t cut = name.find_last_of(".-");
    const std::string_view part = cut == std::string_view::npos ? name : name.substr(cut + 1);
    // The name's first part is its stem ("main"), not a hash.
    if (cut != std::string_view::npos && LooksLikeHash(part)) return true;
    if (cut == std::string_view::npos) break;
    name = name.substr(0, cut);
  }
  return false;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (Trim(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    const size_t comma = if_none_match.find(',');
    std::string_view tag = Trim(if_none_match.substr(0, comma));
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

http::Response ServeAsset(std::span<const Asset> table, const http::Request& req, std::string_view path) {
  const Asset* asset = FindAsset(table, path);
  if (asset == nullptr) return MessagePage(404, "Not found", "There is nothing here.");
  http::Response r;
  r.headers.emplace_back("ETag", std::string(asset->etag));
  r.headers.emplace_back("Cache-Control", HasContentHash(asset->path) ? "public, max-age=31536000, immutable"
                                                                      : "public, max-age=3600");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  const std::string_view given = req.Header("if-none-match");
  if (!given.empty() && EtagMatches(given, asset->etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = std::string(asset->content_type);
  r.body = std::string(asset->bytes);
  return r;
}

}  // namespace vouch::api
