// Sessions (app/sessions.h) on every store: sign-in makes a session stored only by its token's
// hash, resuming it records use at most once a minute, it ends after 12 idle hours or 30 days,
// sign-out and RevokeAll end it at once; an email in several shops; sign-in throttling
// (app/sign_in_throttle.h) with the FakeClock.
#include "app/sessions.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"
#include "base/crypto.h"

namespace vouch::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using store::Role;

const Instant kNow = FromUnixMillis(1'795'600'000'000);

AppConfig Cheap() {
  AppConfig c;
  c.password_cost = kCheapPasswordCost;
  return c;
}

class SessionsTest : public StoreAppTest {
 protected:
  SessionsTest() : StoreAppTest(kNow, Cheap()) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    shop_ = created->shop.id;
    auto u = app_->users().Create(shop_, "ann@example.com", Role::kAdmin, "correct horse");
    ASSERT_TRUE(u.ok()) << u.error().message;
    user_ = u->user.id;
  }

  Result<NewSession> SignIn(const std::string& email, const std::string& password,
                            const std::string& client = "192.0.2.1") {
    return app_->sessions().SignIn(SignInInput{email, password, std::nullopt, client});
  }

  std::optional<store::Session> Stored(const std::string& token) {
    auto s = store_->Read<std::optional<store::Session>>(
        [&](store::ReadTx& tx) { return tx.sessions().Find(Sha256Hex(token)); });
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : std::nullopt;
  }

  store::Id shop_ = 0, user_ = 0;
};

TEST_P(SessionsTest, SignInMakesASessionStoredOnlyByItsTokensHash) {
  auto s = SignIn("Ann@Example.com", "correct horse");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->token.size(), 43u);  // 256 bits, base64url
  EXPECT_EQ(s->info.user.id, user_);
  EXPECT_EQ(s->info.user.role, Role::kAdmin);
  EXPECT_EQ(s->info.shop.id, shop_);
  EXPECT_EQ(s->info.shop.name, "Trail Shop");
  EXPECT_EQ(s->info.csrf_token.size(), 43u);
  EXPECT_NE(s->info.csrf_token, s->token);
  EXPECT_EQ(s->info.expires_at, kNow + hours(24 * 30));

  auto stored = Stored(s->token);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->token_hash, Sha256Hex(s->token));
  EXPECT_EQ(stored->user_id, user_);
  EXPECT_EQ(stored->created_at, kNow);
  auto hits = store_->Read<std::optional<store::Session>>(
      [&](store::ReadTx& tx) { return tx.sessions().Find(s->token); });  // the token itself is not a key
  ASSERT_TRUE(hits.ok());
  EXPECT_FALSE(*hits);
  auto user = store_->Read<std::optional<store::User>>(
      [&](store::ReadTx& tx) { return tx.users().Get(shop_, user_); });
  ASSERT_TRUE(user.ok() && *user);
  EXPECT_EQ((*user)->last_sign_in_at, kNow);

  auto again = SignIn("ann@example.com", "correct horse");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->token, s->token);
  EXPECT_NE(again->info.csrf_token, s->info.csrf_token);

  auto r = app_->sessions().Resume(s->token);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->session_id, s->info.session_id);
  EXPECT_EQ(r->user.email, "ann@example.com");
  EXPECT_EQ(r->csrf_token, s->info.csrf_token);
  EXPECT_EQ(r->shop.id, shop_);
}

TEST_P(SessionsTest, WrongPasswordsAndUnknownTokensAreRefusedAlike) {
  auto wrong = SignIn("ann@example.com", "wrong horse");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Code::kUnauthenticated);
  auto unknown = SignIn("zoe@example.com", "correct horse");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, Code::kUnauthenticated);
  EXPECT_EQ(unknown.error().message, wrong.error().message);
  for (std::string token :
       {std::string(), std::string(43, 'A'), std::string("short"), std::string(44, 'A')}) {
    auto r = app_->sessions().Resume(token);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::kUnauthenticated);
  }
}

TEST_P(SessionsTest, UseIsRecordedAtMostOnceAMinuteAndIdleSessionsEnd) {
  auto s = SignIn("ann@example.com", "correct horse");
  ASSERT_TRUE(s.ok());
  clock_.Advance(seconds(59));
  ASSERT_TRUE(app_->sessions().Resume(s->token).ok());
  EXPECT_EQ(Stored(s->token)->last_seen_at, kNow);  // not written: less than a minute
  clock_.Advance(seconds(1));
  ASSERT_TRUE(app_->sessions().Resume(s->token).ok());
  EXPECT_EQ(Stored(s->token)->last_seen_at, kNow + minutes(1));

  clock_.Advance(hours(12) - Millis(1));  // idle for just under 12 hours: still alive
  ASSERT_TRUE(app_->sessions().Resume(s->token).ok());
  const Instant seen = clock_.Now();
  EXPECT_EQ(Stored(s->token)->last_seen_at, seen);
  clock_.Advance(hours(12));  // 12 idle hours: ended
  auto r = app_->sessions().Resume(s->token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kUnauthenticated);
  EXPECT_EQ(Stored(s->token)->last_seen_at, seen);  // an ended session is not revived

  // A new sign-in clears the user's ended sessions.
  ASSERT_TRUE(SignIn("ann@example.com", "correct horse").ok());
  EXPECT_FALSE(Stored(s->token));
}

TEST_P(SessionsTest, ASessionEndsThirtyDaysAfterSignInHoweverBusy) {
  auto s = SignIn("ann@example.com", "correct horse");
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 65; ++i) {  // a request every 11 hours: never idle, 29.8 days
    clock_.Advance(hours(11));
    ASSERT_TRUE(app_->sessions().Resume(s->token).ok()) << i;
  }
  clock_.Set(kNow + hours(24 * 30));
  EXPECT_FALSE(app_->sessions().Resume(s->token).ok());
}

TEST_P(SessionsTest, SignOutAndRevokeAllEndSessionsAtOnce) {
  auto a = SignIn("ann@example.com", "correct horse");
  auto b = SignIn("ann@example.com", "correct horse");
  auto c = SignIn("ann@example.com", "correct horse");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto other = app_->users().Create(shop_, "bob@example.com", Role::kViewer, "battery staple");
  ASSERT_TRUE(other.ok());
  auto bob = SignIn("bob@example.com", "battery staple");
  ASSERT_TRUE(bob.ok());

  ASSERT_TRUE(app_->sessions().SignOut(a->token).ok());
  EXPECT_FALSE(app_->sessions().Resume(a->token).ok());
  EXPECT_FALSE(Stored(a->token));
  EXPECT_TRUE(app_->sessions().Resume(b->token).ok());
  EXPECT_TRUE(app_->sessions().SignOut(a->token).ok());  // again: nothing to do
  EXPECT_TRUE(app_->sessions().SignOut("garbage").ok());

  auto n = app_->sessions().RevokeAll(user_);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  EXPECT_FALSE(app_->sessions().Resume(b->token).ok());
  EXPECT_FALSE(app_->sessions().Resume(c->token).ok());
  EXPECT_TRUE(app_->sessions().Resume(bob->token).ok());  // another user's stays
}

TEST_P(SessionsTest, AnEmailInSeveralShopsSignsInWhereItsPasswordIsRight) {
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  const store::Id shop2 = other->shop.id;
  ASSERT_TRUE(app_->users().Create(shop2, "ann@example.com", Role::kViewer, "other horse").ok());

  auto s = SignIn("ann@example.com", "other horse");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->info.shop.id, shop2);
  EXPECT_EQ(s->info.user.role, Role::kViewer);
  s = SignIn("ann@example.com", "correct horse");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->info.shop.id, shop_);

  // The same password in both: the caller must choose.
  auto third = app_->shops().Create("Third Shop", "https://third.example");
  ASSERT_TRUE(third.ok());
  ASSERT_TRUE(app_->users().Create(third->shop.id, "ann@example.com", Role::kAdmin, "correct horse").ok());
  auto both = SignIn("ann@example.com", "correct horse");
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.error().code, Code::kInvalidArgument);
  EXPECT_EQ(both.error().field, "shop_id");
  auto chosen =
      app_->sessions().SignIn(SignInInput{"ann@example.com", "correct horse", third->shop.id, "192.0.2.1"});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->info.shop.id, third->shop.id);
  auto wrong_shop =
      app_->sessions().SignIn(SignInInput{"ann@example.com", "other horse", shop_, "192.0.2.1"});
  ASSERT_FALSE(wrong_shop.ok());
  EXPECT_EQ(wrong_shop.error().code, Code::kUnauthenticated);
}

TEST_P(SessionsTest, RepeatedFailuresSlowThenLockSignInForThatEmail) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(SignIn("ann@example.com", "wrong").error().code, Code::kUnauthenticated);
  // Five failures: even the right password waits a second, without being checked.
  auto slowed = SignIn("ann@example.com", "correct horse");
  ASSERT_FALSE(slowed.ok());
  EXPECT_EQ(slowed.error().code, Code::kResourceExhausted);
  SignInInput in{"ann@example.com", "", std::nullopt, "192.0.2.1"};
  EXPECT_EQ(app_->sessions().RetryAfter(in), seconds(1));
  clock_.Advance(seconds(1));
  EXPECT_EQ(app_->sessions().RetryAfter(in), Millis(0));
  // Each further failure doubles the wait: 2, 4, 8, 16 s.
  for (int wait : {2, 4, 8, 16}) {
    ASSERT_EQ(SignIn("ann@example.com", "wrong").error().code, Code::kUnauthenticated);
    EXPECT_EQ(app_->sessions().RetryAfter(in), seconds(wait));
    clock_.Advance(seconds(wait));
  }
  // The tenth failure locks it for 15 minutes.
  ASSERT_EQ(SignIn("ann@example.com", "wrong").error().code, Code::kUnauthenticated);
  EXPECT_EQ(app_->sessions().RetryAfter(in), minutes(15));
  clock_.Advance(minutes(14));
  EXPECT_EQ(SignIn("ann@example.com", "correct horse").error().code, Code::kResourceExhausted);
  EXPECT_EQ(SignIn("ANN@example.com", "correct horse", "198.51.100.7").error().code,
            Code::kResourceExhausted);
  // Another email is not affected.
  ASSERT_TRUE(app_->users().Create(shop_, "bob@example.com", Role::kViewer, "battery staple").ok());
  EXPECT_TRUE(SignIn("bob@example.com", "battery staple").ok());
  clock_.Advance(minutes(1));
  ASSERT_TRUE(SignIn("ann@example.com", "correct horse").ok());
  // A success clears the email's count.
  EXPECT_EQ(SignIn("ann@example.com", "wrong").error().code, Code::kUnauthenticated);
  EXPECT_EQ(app_->sessions().RetryAfter(in), Millis(0));
}

TEST_P(SessionsTest, OneClientGuessingManyEmailsIsSlowedToo) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(SignIn("guess" + std::to_string(i) + "@example.com", "x", "203.0.113.9").error().code,
              Code::kUnauthenticated);
  }
  EXPECT_EQ(SignIn("ann@example.com", "correct horse", "203.0.113.9").error().code, Code::kResourceExhausted);
  EXPECT_TRUE(SignIn("ann@example.com", "correct horse", "192.0.2.1").ok());  // from elsewhere
  // Counts are forgotten 15 minutes after the last failure.
  clock_.Advance(minutes(15));
  EXPECT_TRUE(SignIn("ann@example.com", "correct horse", "203.0.113.9").ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionsTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
