#pragma once
// Static assets compiled into the binary: tables generated at build time from a folder
// (cmake/embed_assets.cmake; web/static gives WebStatic()), served with an ETag and revalidated
// with If-None-Match. Tables are immutable static data: thread-safe, never freed.
#include <span>
#include <string_view>

#include "http/server.h"

namespace vouch::api {

// One embedded file. All views point at static storage.
struct Asset {
  std::string_view path;          // relative to the folder, '/'-separated: "app/main.js"
  std::string_view content_type;  // from the extension; application/octet-stream if unknown
  std::string_view etag;          // strong, quoted: "\"<SHA-256 of the bytes, hex>\""
  std::string_view bytes;
};

// The files of web/static, sorted by path (byte order).
std::span<const Asset> WebStatic();
// The files of docs/api: "openapi.json", the OpenAPI 3.1 document of every route.
std::span<const Asset> ApiDocs();

// The asset at `path` in a table sorted by path, or null.
const Asset* FindAsset(std::span<const Asset> table, std::string_view path);

// Whether a file name carries a content hash ("main.3f2a9c1b.js", "index-BjZ8Kx2a.css"): a '.'
// or '-' separated part of the name after its stem and before its extension that is 8-64 hex
// digits of one case with a digit and a letter, or 8 characters of [A-Za-z0-9_] with an upper-
// and a lower-case letter and a digit. Such a file never changes under its name.
bool HasContentHash(std::string_view path);

// Whether an If-None-Match header value matches `etag` (weak comparison, RFC 9110 13.1.2):
// "*", or a comma-separated list holding the tag with or without "W/".
bool EtagMatches(std::string_view if_none_match, std::string_view etag);

// GET/HEAD of an asset: 200 with its bytes, Content-Type, ETag, Cache-Control ("public,
// max-age=3600", or "public, max-age=31536000, immutable" for a hashed name) and nosniff; 304
// without a body when If-None-Match matches; the 404 page for a path not in the table.
http::Response ServeAsset(std::span<const Asset> table, const http::Request& req, std::string_view path);

}  // namespace vouch::api
