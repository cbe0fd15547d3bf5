// A shop's API keys (app/shop_keys.cc, ShopKeyCache) on every store: the first key is listed,
// new keys authenticate, a revoked key is refused at once on this node and within the cache's
// TTL on another, last_used_at is written at most once a minute per key, also from the I/O
// thread's cached path.
#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

using std::chrono::seconds;

const Instant kNow = FromUnixMillis(1'795'600'000'000);

class ApiKeysTest : public StoreAppTest {
 protected:
  ApiKeysTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    shop_ = created->shop.id;
    first_ = created->api_key;
  }

  std::vector<store::ApiKey> Keys() {
    // A blocking write first: the writer runs queued writes in order, so the touches the
    // requests queued (WriteAsync) have committed when it returns.
    EXPECT_TRUE(store_->Write<Ok>([](store::Tx&) -> Status { return OkStatus(); }).ok());
    auto keys = app_->shops().ListKeys(shop_);
    EXPECT_TRUE(keys.ok());
    return keys.ok() ? *keys : std::vector<store::ApiKey>{};
  }

  store::Id shop_ = 0;
  std::string first_;
};

TEST_P(ApiKeysTest, KeysAreListedCreatedAndAuthenticate) {
  auto keys = Keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "First key");
  EXPECT_EQ(keys[0].prefix, "vk_");
  EXPECT_EQ(keys[0].created_at, kNow);
  EXPECT_TRUE(keys[0].key_hash.empty());
  EXPECT_FALSE(keys[0].last_used_at);

  auto ci = app_->shops().CreateKey(shop_, "CI pipeline");
  ASSERT_TRUE(ci.ok()) << ci.error().message;
  EXPECT_EQ(ci->secret.rfind("vk_", 0), 0u);
  EXPECT_EQ(ci->secret.size(), 35u);
  EXPECT_EQ(ci->key.prefix, ci->secret.substr(0, 7));
  EXPECT_EQ(ci->key.name, "CI pipeline");
  EXPECT_TRUE(ci->key.key_hash.empty());
  auto shop = app_->shops().Authenticate(ci->secret);
  ASSERT_TRUE(shop.ok());
  EXPECT_EQ(shop->id, shop_);
  EXPECT_TRUE(app_->shops().Authenticate(first_).ok());
  keys = Keys();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[1].id, ci->key.id);

  EXPECT_EQ(app_->shops().CreateKey(shop_, "").error().field, "name");
  EXPECT_EQ(app_->shops().CreateKey(shop_, std::string(101, 'x')).error().field, "name");
  for (int i = 2; i < Shops::kMaxKeys; ++i) ASSERT_TRUE(app_->shops().CreateKey(shop_, "k").ok());
  EXPECT_EQ(app_->shops().CreateKey(shop_, "one too many").error().code, Code::kFailedPrecondition);
}

TEST_P(ApiKeysTest, ARevokedKeyIsRefusedAtOnceHereAndWithinTheTtlElsewhere) {
  auto ci = app_->shops().CreateKey(shop_, "CI");
  ASSERT_TRUE(ci.ok());
  App other(*store_, clock_, AppConfig{}, "test-secret");  // another node on the same store
  ASSERT_TRUE(app_->shops().Authenticate(ci->secret).ok());
  ASSERT_TRUE(other.shops().Authenticate(ci->secret).ok());
  ASSERT_TRUE(app_->shops().AuthenticateCached(ci->secret));

  ASSERT_TRUE(app_->shops().RevokeKey(shop_, ci->key.id).ok());
  EXPECT_FALSE(app_->shops().AuthenticateCached(ci->secret));
  EXPECT_EQ(app_->shops().Authenticate(ci->secret).error().code, Code::kUnauthenticated);
  EXPECT_TRUE(other.shops().Authenticate(ci->secret).ok());  // its cache: up to kTtl
  clock_.Advance(ShopKeyCache::kTtl);
  EXPECT_EQ(other.shops().Authenticate(ci->secret).error().code, Code::kUnauthenticated);
  EXPECT_TRUE(app_->shops().Authenticate(first_).ok());  // the shop's other key keeps working
  ASSERT_EQ(Keys().size(), 1u);

  EXPECT_EQ(app_->shops().RevokeKey(shop_, ci->key.id).error().code, Code::kNotFound);
  auto stranger = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(stranger.ok());
  const store::Id first_id = Keys()[0].id;
  EXPECT_EQ(app_->shops().RevokeKey(stranger->shop.id, first_id).error().code, Code::kNotFound);
  EXPECT_TRUE(app_->shops().Authenticate(first_).ok());
}

TEST_P(ApiKeysTest, UseIsRecordedAtMostOnceAMinutePerKey) {
  ASSERT_TRUE(app_->shops().Authenticate(first_).ok());
  EXPECT_EQ(Keys()[0].last_used_at, kNow);
  clock_.Advance(seconds(30));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(app_->shops().Authenticate(first_).ok());
  EXPECT_EQ(Keys()[0].last_used_at, kNow);  // within the minute: not written
  clock_.Advance(seconds(29));
  ASSERT_TRUE(app_->shops().Authenticate(first_).ok());  // a store read, cached again
  clock_.Advance(seconds(1));
  // The I/O thread's path (the order fast path) records use too, without blocking.
  ASSERT_TRUE(app_->shops().AuthenticateCached(first_));
  EXPECT_EQ(Keys()[0].last_used_at, kNow + seconds(60));
  ASSERT_TRUE(app_->shops().AuthenticateCached(first_));
  EXPECT_EQ(Keys()[0].last_used_at, kNow + seconds(60));
}

TEST_P(ApiKeysTest, RotatingRevokesEveryKeyOfTheShop) {
  auto ci = app_->shops().CreateKey(shop_, "CI");
  ASSERT_TRUE(ci.ok());
  auto rotated = app_->shops().RotateApiKey(shop_);
  ASSERT_TRUE(rotated.ok());
  EXPECT_FALSE(app_->shops().Authenticate(first_).ok());
  EXPECT_FALSE(app_->shops().Authenticate(ci->secret).ok());
  EXPECT_TRUE(app_->shops().Authenticate(*rotated).ok());
  auto keys = Keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "Rotated key");
}

INSTANTIATE_TEST_SUITE_P(Stores, ApiKeysTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
