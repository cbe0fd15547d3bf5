// Users (app/users.h) on every store: creating them with a given or a one-time password, the
// errors by field, and verifying a password without telling which part was wrong.
#include "app/users.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

using store::Role;

const Instant kNow = FromUnixMillis(1'795'600'000'000);

class UsersTest : public StoreAppTest {
 protected:
  UsersTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    users_ = std::make_unique<Users>(*store_, clock_, kCheapPasswordCost);
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    shop_ = created->shop.id;
  }

  std::optional<store::User> Stored(store::Id shop, const std::string& email) {
    auto u = store_->Read<std::optional<store::User>>(
        [&](store::ReadTx& tx) { return tx.users().Find(shop, email); });
    EXPECT_TRUE(u.ok());
    return u.ok() ? *u : std::nullopt;
  }

  std::unique_ptr<Users> users_;
  store::Id shop_ = 0;
};

TEST_P(UsersTest, CreateWithAGivenPasswordStoresOnlyItsHash) {
  auto c = users_->Create(shop_, "  Ann@Example.COM", Role::kAdmin, "correct horse");
  ASSERT_FALSE(c.ok());  // leading spaces: not an address
  EXPECT_EQ(c.error().field, "email");

  c = users_->Create(shop_, "Ann@Example.COM", Role::kAdmin, "correct horse");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_GT(c->user.id, 0);
  EXPECT_EQ(c->user.shop_id, shop_);
  EXPECT_EQ(c->user.email, "ann@example.com");
  EXPECT_EQ(c->user.role, Role::kAdmin);
  EXPECT_EQ(c->user.created_at, kNow);
  EXPECT_TRUE(c->user.password_hash.empty());
  EXPECT_FALSE(c->password);  // nothing to show: the caller chose it

  auto stored = Stored(shop_, "ann@example.com");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(stored->password_hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse", stored->password_hash));
}

TEST_P(UsersTest, CreateWithoutAPasswordReturnsAOneTimePasswordThatVerifies) {
  auto c = users_->Create(shop_, "bob@example.com", Role::kViewer);
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_TRUE(c->password);
  EXPECT_EQ(c->password->size(), 24u);
  auto v = users_->Verify(shop_, "BOB@example.com", *c->password);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->id, c->user.id);
  EXPECT_EQ(v->role, Role::kViewer);
  EXPECT_TRUE(v->password_hash.empty());
  auto other = users_->Create(shop_, "carl@example.com", Role::kViewer);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other->password, *c->password);
}

TEST_P(UsersTest, CreateNamesWhatIsWrong) {
  auto bad_email = users_->Create(shop_, "not-an-address", Role::kAdmin, "long enough");
  ASSERT_FALSE(bad_email.ok());
  EXPECT_EQ(bad_email.error().code, Code::kInvalidArgument);
  EXPECT_EQ(bad_email.error().field, "email");

  auto short_password = users_->Create(shop_, "ann@example.com", Role::kAdmin, "short");
  ASSERT_FALSE(short_password.ok());
  EXPECT_EQ(short_password.error().field, "password");

  auto no_shop = users_->Create(shop_ + 1, "ann@example.com", Role::kAdmin);
  ASSERT_FALSE(no_shop.ok());
  EXPECT_EQ(no_shop.error().code, Code::kNotFound);

  ASSERT_TRUE(users_->Create(shop_, "ann@example.com", Role::kAdmin).ok());
  auto dup = users_->Create(shop_, "ANN@example.com", Role::kViewer, "another password");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  EXPECT_EQ(dup.error().field, "email");
  EXPECT_EQ(Stored(shop_, "ann@example.com")->role, Role::kAdmin);
}

TEST_P(UsersTest, VerifyRefusesAlikeWithoutSayingWhy) {
  ASSERT_TRUE(users_->Create(shop_, "ann@example.com", Role::kAdmin, "correct horse").ok());
  auto other_shop = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other_shop.ok());
  std::vector<Error> errors;
  for (auto [shop, email, password] :
       {std::tuple{shop_, "ann@example.com", "wrong horse"},
        std::tuple{shop_, "zoe@example.com", "correct horse"},
        std::tuple{other_shop->shop.id, "ann@example.com", "correct horse"},
        std::tuple{shop_ + 100, "ann@example.com", "correct horse"},
        std::tuple{shop_, "nonsense", "correct horse"}, std::tuple{shop_, "ann@example.com", ""}}) {
    auto v = users_->Verify(shop, email, password);
    ASSERT_FALSE(v.ok()) << email << " / " << password;
    errors.push_back(v.error());
  }
  for (const auto& e : errors) {
    EXPECT_EQ(e.code, Code::kUnauthenticated);
    EXPECT_EQ(e.message, errors.front().message);
    EXPECT_EQ(e.field, errors.front().field);
  }
  EXPECT_TRUE(users_->Verify(shop_, "ann@example.com", "correct horse").ok());
}

// App composes the use case with the default cost (RFC 9106's, base/password.h).
TEST_P(UsersTest, AppComposesUsers) {
  auto c = app_->users().Create(shop_, "dora@example.com", Role::kViewer);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto stored = Stored(shop_, "dora@example.com");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->password_hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u);
  EXPECT_TRUE(app_->users().Verify(shop_, "dora@example.com", *c->password).ok());
}

TEST_P(UsersTest, ListsTheShopsUsersWithoutHashes) {
  ASSERT_TRUE(users_->Create(shop_, "zed@example.com", Role::kViewer).ok());
  ASSERT_TRUE(users_->Create(shop_, "ann@example.com", Role::kAdmin).ok());
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(users_->Create(other->shop.id, "olga@example.com", Role::kAdmin).ok());
  auto list = users_->List(shop_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].email, "ann@example.com");
  EXPECT_EQ((*list)[1].email, "zed@example.com");
  for (const auto& u : *list) {
    EXPECT_TRUE(u.password_hash.empty());
    EXPECT_FALSE(u.last_sign_in_at);
  }
}

TEST_P(UsersTest, RolesChangeButAShopKeepsAnAdmin) {
  auto ann = users_->Create(shop_, "ann@example.com", Role::kAdmin);
  auto bob = users_->Create(shop_, "bob@example.com", Role::kViewer);
  ASSERT_TRUE(ann.ok() && bob.ok());
  auto last = users_->SetRole(shop_, ann->user.id, Role::kViewer);
  ASSERT_FALSE(last.ok());
  EXPECT_EQ(last.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(last.error().field, "role");
  auto del = users_->Delete(shop_, ann->user.id);
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().code, Code::kFailedPrecondition);

  auto promoted = users_->SetRole(shop_, bob->user.id, Role::kAdmin);
  ASSERT_TRUE(promoted.ok()) << promoted.error().message;
  EXPECT_EQ(promoted->role, Role::kAdmin);
  EXPECT_TRUE(promoted->password_hash.empty());
  auto demoted = users_->SetRole(shop_, ann->user.id, Role::kViewer);  // bob is an admin now
  ASSERT_TRUE(demoted.ok()) << demoted.error().message;
  EXPECT_EQ(Stored(shop_, "ann@example.com")->role, Role::kViewer);
  EXPECT_EQ(users_->SetRole(shop_, bob->user.id, Role::kViewer).error().code, Code::kFailedPrecondition);

  // Another shop's user is not found from this one.
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(users_->SetRole(other->shop.id, bob->user.id, Role::kViewer).error().code, Code::kNotFound);
  EXPECT_EQ(users_->Delete(other->shop.id, bob->user.id).error().code, Code::kNotFound);
  EXPECT_EQ(users_->SetRole(shop_, 0, Role::kViewer).error().code, Code::kNotFound);
}

TEST_P(UsersTest, DeletingAUserEndsTheirSessions) {
  ASSERT_TRUE(users_->Create(shop_, "ann@example.com", Role::kAdmin, "correct horse").ok());
  auto bob = users_->Create(shop_, "bob@example.com", Role::kViewer, "battery staple");
  ASSERT_TRUE(bob.ok());
  auto s = app_->sessions().SignIn(SignInInput{"bob@example.com", "battery staple", std::nullopt, "x"});
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(users_->Delete(shop_, bob->user.id).ok());
  EXPECT_FALSE(app_->sessions().Resume(s->token).ok());
  EXPECT_FALSE(Stored(shop_, "bob@example.com"));
  EXPECT_EQ(users_->Delete(shop_, bob->user.id).error().code, Code::kNotFound);
  // The email may be invited again.
  EXPECT_TRUE(users_->Create(shop_, "bob@example.com", Role::kViewer).ok());
}

TEST_P(UsersTest, ChangingAPasswordNeedsTheCurrentOneAndEndsOtherSessions) {
  auto ann = users_->Create(shop_, "ann@example.com", Role::kAdmin, "correct horse");
  ASSERT_TRUE(ann.ok());
  auto sign_in = [&](const char* password) {
    return app_->sessions().SignIn(SignInInput{"ann@example.com", password, std::nullopt, "x"});
  };
  auto here = sign_in("correct horse");
  auto there = sign_in("correct horse");
  ASSERT_TRUE(here.ok() && there.ok());
  const store::Id id = ann->user.id;

  auto wrong = users_->ChangePassword(shop_, id, "wrong horse", "new horse 123", here->info.session_id);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().field, "current_password");
  auto short_one = users_->ChangePassword(shop_, id, "correct horse", "short", here->info.session_id);
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.error().field, "new_password");
  EXPECT_TRUE(app_->sessions().Resume(there->token).ok());  // nothing changed yet

  ASSERT_TRUE(
      users_->ChangePassword(shop_, id, "correct horse", "new horse 123", here->info.session_id).ok());
  EXPECT_TRUE(app_->sessions().Resume(here->token).ok());
  EXPECT_FALSE(app_->sessions().Resume(there->token).ok());
  EXPECT_FALSE(sign_in("correct horse").ok());
  EXPECT_TRUE(sign_in("new horse 123").ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, UsersTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
