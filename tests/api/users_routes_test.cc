// The dashboard's users routes over real loopback HTTP (routes_users.cc): admins list, invite
// (one-time password shown once), change roles and delete (ending sessions), never leaving a
// shop without an admin; viewers get 403; a signed-in user changes their own password; one
// shop's admin never sees or touches another shop's users.
#include <gtest/gtest.h>

#include "api/dashboard_fixture.h"

namespace vouch::api {
namespace {

using nlohmann::json;

using UsersRoutesTest = DashboardTest;

TEST_P(UsersRoutesTest, AdminsListAndInviteUsers) {
  Browser a = SignIn();
  auto list = http_.Get(base_ + "/api/v1/users", a.Cookie());
  ASSERT_EQ(list.status, 200) << list.body;
  json users = json::parse(list.body)["users"];
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["email"], "ann@example.com");
  EXPECT_EQ(users[0]["role"], "admin");
  EXPECT_EQ(users[0]["id"], admin_id_);
  EXPECT_FALSE(users[0]["last_sign_in_at"].is_null());  // she just signed in
  EXPECT_EQ(users[1]["email"], "vic@example.com");
  EXPECT_TRUE(users[1]["last_sign_in_at"].is_null());
  EXPECT_TRUE(users[1].contains("created_at"));
  EXPECT_FALSE(users[1].contains("password_hash"));

  auto created =
      http_.Post(base_ + "/api/v1/users", R"({"email":"Neo@Example.com","role":"viewer"})", a.Unsafe());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  json c = json::parse(created.body);
  EXPECT_EQ(c["user"]["email"], "neo@example.com");
  EXPECT_EQ(c["user"]["role"], "viewer");
  const std::string otp = c["one_time_password"];
  EXPECT_EQ(otp.size(), 24u);
  Browser neo = SignIn("neo@example.com", otp);
  EXPECT_FALSE(neo.token.empty());
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/users", a.Cookie()).body)["users"].size(), 3u);

  ExpectProblem(
      http_.Post(base_ + "/api/v1/users", R"({"email":"neo@example.com","role":"admin"})", a.Unsafe()), 409,
      "email");
  ExpectProblem(
      http_.Post(base_ + "/api/v1/users", R"({"email":"x@example.com","role":"owner"})", a.Unsafe()), 400,
      "role");
  ExpectProblem(http_.Post(base_ + "/api/v1/users", R"({"email":"nope","role":"admin"})", a.Unsafe()), 400,
                "email");
  ExpectProblem(
      http_.Post(base_ + "/api/v1/users", R"({"email":"x@example.com","role":"admin","x":1})", a.Unsafe()),
      400, "x");
  ExpectProblem(
      http_.Post(base_ + "/api/v1/users", R"({"email":"x@example.com","role":"admin"})", a.Cookie()), 403,
      "X-CSRF-Token");

  // An API key is an admin too.
  EXPECT_EQ(http_.Get(base_ + "/api/v1/users", Key()).status, 200);
  ExpectProblem(http_.Get(base_ + "/api/v1/users"), 401);
}

TEST_P(UsersRoutesTest, ViewersCannotManageUsers) {
  Browser v = SignIn("vic@example.com", "viewer horse");
  ExpectProblem(http_.Get(base_ + "/api/v1/users", v.Cookie()), 403);
  ExpectProblem(
      http_.Post(base_ + "/api/v1/users", R"({"email":"x@example.com","role":"admin"})", v.Unsafe()), 403);
  ExpectProblem(
      http_.Patch(base_ + "/api/v1/users/" + std::to_string(viewer_id_), R"({"role":"admin"})", v.Unsafe()),
      403);
  ExpectProblem(http_.Delete(base_ + "/api/v1/users/" + std::to_string(admin_id_), v.Unsafe()), 403);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/users", Key()).body)["users"][1]["role"], "viewer");
}

TEST_P(UsersRoutesTest, RolesChangeAndDeletionEndsSessionsButAShopKeepsAnAdmin) {
  Browser a = SignIn();
  Browser v = SignIn("vic@example.com", "viewer horse");
  const std::string ann = base_ + "/api/v1/users/" + std::to_string(admin_id_);
  const std::string vic = base_ + "/api/v1/users/" + std::to_string(viewer_id_);
  ExpectProblem(http_.Patch(ann, R"({"role":"viewer"})", a.Unsafe()), 409, "role");  // the only admin
  ExpectProblem(http_.Delete(ann, a.Unsafe()), 409, "role");
  ExpectProblem(http_.Patch(vic, R"({"role":"boss"})", a.Unsafe()), 400, "role");

  auto promoted = http_.Patch(vic, R"({"role":"admin"})", a.Unsafe());
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(json::parse(promoted.body)["user"]["role"], "admin");
  // The new role applies to vic's live session at once.
  EXPECT_EQ(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 30})", v.Unsafe()).status, 200);
  EXPECT_EQ(http_.Patch(vic, R"({"role":"viewer"})", a.Unsafe()).status, 200);
  ExpectProblem(http_.Patch(base_ + "/api/v1/settings", R"({"throttle_days": 31})", v.Unsafe()), 403);

  EXPECT_EQ(http_.Delete(vic, a.Unsafe()).status, 204);
  ExpectProblem(http_.Get(base_ + "/api/v1/session", v.Cookie()), 401);
  ExpectProblem(http_.Delete(vic, a.Unsafe()), 404);
  ExpectProblem(http_.Patch(base_ + "/api/v1/users/abc", R"({"role":"viewer"})", a.Unsafe()), 404);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/users", a.Cookie()).body)["users"].size(), 1u);
}

TEST_P(UsersRoutesTest, ASignedInUserChangesTheirOwnPassword) {
  Browser v = SignIn("vic@example.com", "viewer horse");
  Browser elsewhere = SignIn("vic@example.com", "viewer horse");
  const std::string url = base_ + "/api/v1/session/password";
  const std::string body = R"({"current_password":"viewer horse","new_password":"a new horse"})";
  ExpectProblem(http_.Post(url, body, v.Cookie()), 403, "X-CSRF-Token");
  ExpectProblem(http_.Post(url, body, Key()), 401);  // a session's own: not for keys
  ExpectProblem(http_.Post(url, R"({"current_password":"wrong","new_password":"a new horse"})", v.Unsafe()),
                400, "current_password");
  ExpectProblem(http_.Post(url, R"({"current_password":"viewer horse","new_password":"short"})", v.Unsafe()),
                400, "new_password");
  EXPECT_EQ(http_.Post(url, body, v.Unsafe()).status, 204);  // a viewer may: it is their own
  EXPECT_EQ(http_.Get(base_ + "/api/v1/session", v.Cookie()).status, 200);
  ExpectProblem(http_.Get(base_ + "/api/v1/session", elsewhere.Cookie()), 401);  // other sessions end
  ExpectProblem(SignInRequest("vic@example.com", "viewer horse"), 401);
  EXPECT_EQ(SignInRequest("vic@example.com", "a new horse").status, 200);
}

TEST_P(UsersRoutesTest, AnAdminSeesOnlyTheirShopsUsers) {
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(
      app_->users().Create(other->shop.id, "olga@example.com", store::Role::kAdmin, "olga horse").ok());
  Browser o = SignIn("olga@example.com", "olga horse");
  json users = json::parse(http_.Get(base_ + "/api/v1/users", o.Cookie()).body)["users"];
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["email"], "olga@example.com");
  const std::string vic = base_ + "/api/v1/users/" + std::to_string(viewer_id_);
  ExpectProblem(http_.Patch(vic, R"({"role":"admin"})", o.Unsafe()), 404);
  ExpectProblem(http_.Delete(vic, o.Unsafe()), 404);
  EXPECT_EQ(json::parse(http_.Get(base_ + "/api/v1/users", Key()).body)["users"].size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Stores, UsersRoutesTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::api
