// The embedded asset tables (cmake/embed_assets.cmake) and serving them: a fixture folder
// (tests/api/assets_fixture) compiled like web/static, compared with the files on disk.
#include "api/assets.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "base/crypto.h"

namespace vouch::test {
std::span<const api::Asset> FixtureAssets();  // generated from tests/api/assets_fixture
}  // namespace vouch::test

namespace vouch::api {
namespace {

std::filesystem::path FixtureDir() {
  const char* src = std::getenv("VOUCH_SOURCE_DIR");
  return std::filesystem::path(src ? src : ".") / "tests/api/assets_fixture";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

http::Request Get(std::string if_none_match = "") {
  http::Request req;
  req.method = "GET";
  if (!if_none_match.empty()) req.headers.emplace_back("if-none-match", std::move(if_none_match));
  return req;
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(AssetTableTest, HoldsEveryFileWithItsBytesAndASha256Etag) {
  auto table = test::FixtureAssets();
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(FixtureDir())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string rel = entry.path().lexically_relative(FixtureDir()).generic_string();
    SCOPED_TRACE(rel);
    const Asset* a = FindAsset(table, rel);
    ASSERT_NE(a, nullptr);
    const std::string bytes = ReadFile(entry.path());
    EXPECT_EQ(a->bytes, bytes) << "binary bytes (NUL too) survive";
    EXPECT_EQ(a->etag, "\"" + Sha256Hex(bytes) + "\"");
  }
  EXPECT_EQ(table.size(), files);
  EXPECT_GE(files, 14u);
  EXPECT_TRUE(std::is_sorted(table.begin(), table.end(),
                             [](const Asset& x, const Asset& y) { return x.path < y.path; }));
  EXPECT_EQ(FindAsset(table, "nope.js"), nullptr);
  EXPECT_EQ(FindAsset(table, "app"), nullptr) << "folders are not assets";
  EXPECT_EQ(FindAsset(table, "main.js"), nullptr);
}

TEST(AssetTableTest, ContentTypesComeFromTheExtension) {
  const std::map<std::string, std::string> want = {
      {"index.html", "text/html; charset=utf-8"},
      {"app/main.js", "text/javascript; charset=utf-8"},
      {"app/main.js.map", "application/json"},
      {"empty.css", "text/css; charset=utf-8"},
      {"img/logo.svg", "image/svg+xml"},
      {"img/dot.png", "image/png"},
      {"favicon.ico", "image/x-icon"},
      {"fonts/a.woff2", "font/woff2"},
      {"data.json", "application/json"},
      {"notes.txt", "text/plain; charset=utf-8"},
      {"LICENSE", "application/octet-stream"},
  };
  for (const auto& [path, type] : want) {
    const Asset* a = FindAsset(test::FixtureAssets(), path);
    ASSERT_NE(a, nullptr) << path;
    EXPECT_EQ(a->content_type, type) << path;
  }
}

TEST(AssetTableTest, WebStaticHoldsWhatThePagesLink) {
  for (const char* path : {"vouch.css", "answer.js"}) {
    const Asset* a = FindAsset(WebStatic(), path);
    ASSERT_NE(a, nullptr) << path;
    const std::string src = std::getenv("VOUCH_SOURCE_DIR") ? std::getenv("VOUCH_SOURCE_DIR") : ".";
    EXPECT_EQ(a->bytes, ReadFile(std::filesystem::path(src) / "web/static" / path));
  }
}

TEST(ServeAssetTest, AnswersWithBytesTypeEtagAndCaching) {
  auto r = ServeAsset(test::FixtureAssets(), Get(), "img/dot.png");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "image/png");
  EXPECT_EQ(r.body, ReadFile(FixtureDir() / "img/dot.png"));
  EXPECT_EQ(HeaderOf(r, "ETag"), FindAsset(test::FixtureAssets(), "img/dot.png")->etag);
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=3600");
  EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  auto hashed = ServeAsset(test::FixtureAssets(), Get(), "app/main.3f2a9c1b.js");
  EXPECT_EQ(HeaderOf(hashed, "Cache-Control"), "public, max-age=31536000, immutable");
  auto empty = ServeAsset(test::FixtureAssets(), Get(), "empty.css");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "");
}

TEST(ServeAssetTest, IfNoneMatchGives304WithoutABody) {
  const std::string etag(FindAsset(test::FixtureAssets(), "app/main.js")->etag);
  for (const std::string& given :
       {etag, "W/" + etag, "\"other\", " + etag, std::string("*"), " " + etag + " "}) {
    SCOPED_TRACE(given);
    auto r = ServeAsset(test::FixtureAssets(), Get(given), "app/main.js");
    EXPECT_EQ(r.status, 304);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.content_type, "");
    EXPECT_EQ(HeaderOf(r, "ETag"), etag);
    EXPECT_FALSE(HeaderOf(r, "Cache-Control").empty());
  }
  for (const std::string& given : {std::string("\"other\""), etag.substr(1), std::string("W/\"x\"")}) {
    SCOPED_TRACE(given);
    EXPECT_EQ(ServeAsset(test::FixtureAssets(), Get(given), "app/main.js").status, 200);
  }
}

TEST(ServeAssetTest, UnknownPathsGetThe404Page) {
  auto r = ServeAsset(test::FixtureAssets(), Get(), "app/nope.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
}

TEST(HasContentHashTest, TellsHashedNamesFromPlainOnes) {
  for (const char* hashed : {"main.3f2a9c1b.js", "app/index-BjZ8Kx2a.css", "chunk.0123456789abcdef0123.js",
                             "logo.ABCDEF12.svg", "a-b.3f2a9c1b.min.js"}) {
    EXPECT_TRUE(HasContentHash(hashed)) << hashed;
  }
  for (const char* plain : {"vouch.css", "answer.js", "app/main.js", "3f2a9c1b.js", "jquery-3.7.1.min.js",
                            "some-component2024.js", "deadbeef", "main.deadbeef.js", "main.12345678.js",
                            "icons-sprite.svg", "x.js.map"}) {
    EXPECT_FALSE(HasContentHash(plain)) << plain;
  }
}

}  // namespace
}  // namespace vouch::api
