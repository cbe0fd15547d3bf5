// The dashboard's API key routes over real loopback HTTP (routes_keys.cc): list, create (the
// secret shown once), revoke (refused at once); admins and keys only; one shop's admin never
// sees or revokes another shop's keys.
#include <gtest/gtest.h>

#include "api/dashboard_fixture.h"

namespace vouch::api {
namespace {

using nlohmann::json;

using KeysRoutesTest = DashboardTest;

TEST_P(KeysRoutesTest, AdminsListCreateAndRevokeKeys) {
  Browser a = SignIn();
  ASSERT_EQ(http_.Get(base_ + "/api/v1/settings", Key()).status, 200);  // the first key, used
  Flush();
  auto list = http_.Get(base_ + "/api/v1/keys", a.Cookie());
  ASSERT_EQ(list.status, 200) << list.body;
  json keys = json::parse(list.body)["keys"];
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0]["name"], "First key");
  EXPECT_EQ(keys[0]["prefix"], "vk_");
  EXPECT_EQ(keys[0]["created_at"], FormatRfc3339(kStart));
  EXPECT_EQ(keys[0]["last_used_at"], FormatRfc3339(kStart));
  EXPECT_FALSE(keys[0].contains("key_hash"));

  auto created = http_.Post(base_ + "/api/v1/keys", R"({"name":"Shop webhook"})", a.Unsafe());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  json c = json::parse(created.body);
  const std::string secret = c["secret"];
  EXPECT_EQ(secret.rfind("vk_", 0), 0u);
  EXPECT_EQ(c["key"]["name"], "Shop webhook");
  EXPECT_EQ(c["key"]["prefix"], secret.substr(0, 7));
  EXPECT_TRUE(c["key"]["last_used_at"].is_null());
  const std::string id = std::to_string(c["key"]["id"].get<int64_t>());

  // The new key works like the first, without a CSRF token.
  auto patched = http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 10})",
                             {{"Authorization", "Bearer " + secret}, {"Content-Type", "application/json"}});
  EXPECT_EQ(patched.status, 200) << patched.body;
  Flush();
  keys = json::parse(http_.Get(base_ + "/api/v1/keys", a.Cookie()).body)["keys"];
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_FALSE(keys[1].contains("secret"));
  EXPECT_EQ(keys[1]["last_used_at"], FormatRfc3339(kStart));

  ExpectProblem(http_.Post(base_ + "/api/v1/keys", R"({"name":""})", a.Unsafe()), 400, "name");
  ExpectProblem(http_.Post(base_ + "/api/v1/keys", R"({"title":"x"})", a.Unsafe()), 400, "title");
  ExpectProblem(http_.Post(base_ + "/api/v1/keys", R"({"name":"x"})", a.Cookie()), 403, "X-CSRF-Token");

  EXPECT_EQ(http_.Delete(base_ + "/api/v1/keys/" + id, a.Unsafe()).status, 204);
  ExpectProblem(http_.Get(base_ + "/api/v1/settings", {{"Authorization", "Bearer " + secret}}), 401);
  ExpectProblem(http_.Delete(base_ + "/api/v1/keys/" + id, a.Unsafe()), 404);
  ExpectProblem(http_.Delete(base_ + "/api/v1/keys/nope", a.Unsafe()), 404);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/keys", Key()).body)["keys"].size(), 1u);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", Key()).status, 200);
}

TEST_P(KeysRoutesTest, ViewersCannotSeeOrManageKeys) {
  Browser v = SignIn("vic@example.com", "viewer horse");
  ExpectProblem(http_.Get(base_ + "/api/v1/keys", v.Cookie()), 403);
  ExpectProblem(http_.Post(base_ + "/api/v1/keys", R"({"name":"mine"})", v.Unsafe()), 403);
  auto keys = json::parse(http_.Get(base_ + "/api/v1/keys", Key()).body)["keys"];
  ASSERT_EQ(keys.size(), 1u);
  ExpectProblem(
      http_.Delete(base_ + "/api/v1/keys/" + std::to_string(keys[0]["id"].get<int64_t>()), v.Unsafe()), 403);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", Key()).status, 200);
}

TEST_P(KeysRoutesTest, AnAdminSeesAndRevokesOnlyTheirShopsKeys) {
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      app_->users().Create(other->shop.id, "olga@example.com", store::Role::kAdmin, "olga horse").ok());
  Browser o = SignIn("olga@example.com", "olga horse");
  json mine = json::parse(http_.Get(base_ + "/api/v1/keys", Key()).body)["keys"];
  json theirs = json::parse(http_.Get(base_ + "/api/v1/keys", o.Cookie()).body)["keys"];
  ASSERT_EQ(mine.size(), 1u);
  ASSERT_EQ(theirs.size(), 1u);
  EXPECT_NE(mine[0]["id"], theirs[0]["id"]);
  ExpectProblem(
      http_.Delete(base_ + "/api/v1/keys/" + std::to_string(mine[0]["id"].get<int64_t>()), o.Unsafe()), 404);
  EXPECT_EQ(http_.Get(base_ + "/api/v1/settings", Key()).status, 200);
  // Olga's session reads her shop's data, never Trail Shop's.
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/settings", o.Cookie()).body)["name"], "Other Shop");
}

INSTANTIATE_TEST_SUITE_P(Stores, KeysRoutesTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
