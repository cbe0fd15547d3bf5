// The router on its own: per-segment percent-decoding of the raw path, captures, {rest...},
// HEAD, 405 and the order routes are tried in.
#include "api/router.h"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace vouch::api {
namespace {

// A handler that answers with `name`, so a match can be told apart.
RouteHandler Named(std::string name) {
  return [name](const http::Request&, const Params&) {
    http::Response r;
    r.body = name;
    return r;
  };
}

std::string NameOf(const Router::Match& m) {
  if (m.route == nullptr) return "none";
  return m.route->handler(http::Request{}, m.params).body;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add({.method = "GET", .pattern = "/healthz", .handler = Named("healthz")});
    router_.Add({.method = "POST", .pattern = "/api/v1/orders", .handler = Named("orders")});
    router_.Add({.method = "POST",
                 .pattern = "/api/v1/orders/batch",
                 .handler = Named("batch"),
                 .max_body = 64 << 20});
    router_.Add({.method = "GET", .pattern = "/api/v1/customers/{id}/export", .handler = Named("export")});
    router_.Add({.method = "DELETE", .pattern = "/api/v1/customers/{id}", .handler = Named("erase")});
    router_.Add({.method = "GET", .pattern = "/s/{token}", .handler = Named("view")});
    router_.Add({.method = "GET", .pattern = "/s/{token}/{score}", .handler = Named("click")});
    router_.Add({.method = "POST", .pattern = "/s/{token}/comment", .handler = Named("comment")});
    router_.Add({.method = "GET", .pattern = "/static/{path...}", .handler = Named("static")});
  }
  Router router_;
};

TEST_F(RouterTest, LiteralRoutesMatchByMethodAndPath) {
  EXPECT_EQ(NameOf(router_.Find("GET", "/healthz")), "healthz");
  EXPECT_EQ(NameOf(router_.Find("POST", "/api/v1/orders")), "orders");
  auto batch = router_.Find("POST", "/api/v1/orders/batch");
  EXPECT_EQ(NameOf(batch), "batch");
  EXPECT_EQ(batch.route->max_body, size_t{64} << 20) << "route properties travel with the match";
  EXPECT_EQ(router_.Find("POST", "/api/v1/orders").route->max_body, kDefaultMaxBody);
  EXPECT_EQ(NameOf(router_.Find("GET", "/nope")), "none");
  EXPECT_EQ(NameOf(router_.Find("GET", "/")), "none");
  EXPECT_EQ(NameOf(router_.Find("GET", "")), "none");
}

TEST_F(RouterTest, EmptySegmentsAreSkippedAsBefore) {
  EXPECT_EQ(NameOf(router_.Find("GET", "/healthz/")), "healthz");
  EXPECT_EQ(NameOf(router_.Find("POST", "//api//v1/orders")), "orders");
}

TEST_F(RouterTest, EachSegmentIsDecodedAfterSplitting) {
  auto m = router_.Find("GET", "/api/v1/customers/gid%3A%2F%2Fshopify%2FCustomer%2F7/export");
  ASSERT_EQ(NameOf(m), "export");
  EXPECT_EQ(m.params.at("id"), "gid://shopify/Customer/7");
  auto erase = router_.Find("DELETE", "/api/v1/customers/gid%3A%2F%2Fshopify%2FCustomer%2F7");
  ASSERT_EQ(NameOf(erase), "erase");
  EXPECT_EQ(erase.params.at("id"), "gid://shopify/Customer/7");
  auto spaced = router_.Find("GET", "/api/v1/customers/a%20b%C3%A9/export");
  EXPECT_EQ(spaced.params.at("id"), "a b\xC3\xA9");
  EXPECT_EQ(router_.Find("GET", "/api/v1/customers/a+b/export").params.at("id"), "a+b")
      << "'+' is no space in a path";
}

TEST_F(RouterTest, AnEncodedSlashStaysInsideItsSegment) {
  auto one = router_.Find("GET", "/s/abc%2F9");
  ASSERT_EQ(NameOf(one), "view") << "one segment, not /s/{token}/{score}";
  EXPECT_EQ(one.params.at("token"), "abc/9");
  auto two = router_.Find("GET", "/s/abc%2f/9");
  ASSERT_EQ(NameOf(two), "click");
  EXPECT_EQ(two.params.at("token"), "abc/");
  EXPECT_EQ(two.params.at("score"), "9");
}

TEST_F(RouterTest, ALiteralSegmentDoesNotMatchAnEncodedSlash) {
  auto m = router_.Find("POST", "/api/v1/orders%2Fbatch");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_EQ(m.other_method, nullptr) << "no route has this path at all: 404, not 405";
  EXPECT_EQ(NameOf(router_.Find("POST", "/api%2Fv1/orders")), "none");
  EXPECT_EQ(NameOf(router_.Find("GET", "/api/v1/customers/7%2Fexport")), "none");
  // Other escapes in a literal segment decode as before: %6F is 'o'.
  EXPECT_EQ(NameOf(router_.Find("POST", "/api/v1/%6Frders")), "orders");
  EXPECT_EQ(NameOf(router_.Find("GET", "/%68ealthz")), "healthz");
}

TEST_F(RouterTest, MalformedEscapesAreKeptAsSent) {
  auto m = router_.Find("GET", "/s/%zz/9");
  ASSERT_EQ(NameOf(m), "click");
  EXPECT_EQ(m.params.at("token"), "%zz");
  EXPECT_EQ(router_.Find("GET", "/s/%/%4").params.at("score"), "%4");
  EXPECT_EQ(router_.Find("GET", "/s/ab%").params.at("token"), "ab%");
  EXPECT_EQ(NameOf(router_.Find("POST", "/api/v1/orders%")), "none");
  EXPECT_EQ(NameOf(router_.Find("POST", "/api/v1/orders%zz")), "none");
  EXPECT_EQ(router_.Find("GET", "/api/v1/customers/%00%E2%82/export").params.at("id"),
            std::string("\0\xE2\x82", 3));
}

TEST_F(RouterTest, HeadTakesTheGetRouteAndOtherMethodsAreKnownPaths) {
  EXPECT_EQ(NameOf(router_.Find("HEAD", "/s/t/9")), "click");
  auto wrong = router_.Find("DELETE", "/api/v1/orders/batch");
  EXPECT_EQ(wrong.route, nullptr);
  ASSERT_NE(wrong.other_method, nullptr);
  EXPECT_EQ(wrong.other_method->max_body, size_t{64} << 20);
  // POST /s/t/comment: the GET click route has the path too, but the POST route is found.
  EXPECT_EQ(NameOf(router_.Find("POST", "/s/t/comment")), "comment");
  EXPECT_EQ(NameOf(router_.Find("GET", "/s/t/comment")), "click") << "routes are tried in the order added";
}

TEST_F(RouterTest, ARestCaptureTakesNestedPaths) {
  auto m = router_.Find("GET", "/static/app/main.js");
  ASSERT_EQ(NameOf(m), "static");
  EXPECT_EQ(m.params.at("path"), "app/main.js");
  EXPECT_EQ(router_.Find("GET", "/static/vouch.css").params.at("path"), "vouch.css");
  EXPECT_EQ(router_.Find("GET", "/static//a%20b///c.txt").params.at("path"), "a b/c.txt");
  EXPECT_EQ(NameOf(router_.Find("GET", "/static")), "none");
  EXPECT_EQ(NameOf(router_.Find("GET", "/static/")), "none");
  std::string deep = "/static";
  std::string want;
  for (int i = 0; i < 40; ++i) {
    deep += "/d" + std::to_string(i);
    want += (i ? "/d" : "d") + std::to_string(i);
  }
  EXPECT_EQ(router_.Find("GET", deep).params.at("path"), want) << "longer than kMaxSegments";
  EXPECT_EQ(NameOf(router_.Find("GET", "/s" + deep)), "none");
}

TEST_F(RouterTest, RoutesStartingWithACaptureKeepTheirOrder) {
  Router r;
  r.Add({.method = "GET", .pattern = "/{lang}/about", .handler = Named("lang-about")});
  r.Add({.method = "GET", .pattern = "/en/about", .handler = Named("en-about")});
  r.Add({.method = "GET", .pattern = "/en/{page}", .handler = Named("en-page")});
  r.Add({.method = "GET", .pattern = "/{a}/{b}/{c}", .handler = Named("three")});
  EXPECT_EQ(NameOf(r.Find("GET", "/en/about")), "lang-about");
  EXPECT_EQ(r.Find("GET", "/de/about").params.at("lang"), "de");
  EXPECT_EQ(NameOf(r.Find("GET", "/en/contact")), "en-page");
  EXPECT_EQ(NameOf(r.Find("GET", "/de/contact")), "none");
  EXPECT_EQ(NameOf(r.Find("GET", "/x/y/z")), "three");
  EXPECT_EQ(NameOf(r.Find("GET", "/en/y/z")), "three");
}

TEST_F(RouterTest, ParamsOutliveTheRequestPath) {
  Router::Match m;
  {
    std::string path = "/api/v1/customers/c-42/export";
    m = router_.Find("GET", path);
    path.assign(path.size(), 'x');
  }
  EXPECT_EQ(m.params.at("id"), "c-42");
  EXPECT_EQ(m.params.size(), 1u);
  EXPECT_THROW((void)m.params.at("nope"), std::out_of_range);
}

TEST(RouterAddTest, RejectsPatternsItCannotServe) {
  Router r;
  EXPECT_THROW(r.Add({.method = "GET", .pattern = "/a/{rest...}/b", .handler = Named("x")}),
               std::invalid_argument);
  EXPECT_THROW(r.Add({.method = "GET", .pattern = "/{a}/{b}/{c}/{d}/{e}", .handler = Named("x")}),
               std::invalid_argument);
  std::string long_pattern;
  for (size_t i = 0; i <= Router::kMaxSegments; ++i) long_pattern += "/s";
  EXPECT_THROW(r.Add({.method = "GET", .pattern = long_pattern, .handler = Named("x")}),
               std::invalid_argument);
}

}  // namespace
}  // namespace vouch::api
