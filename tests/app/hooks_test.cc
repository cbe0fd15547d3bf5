// Hooks (app/hooks.h) on every store: a delivery's shop and signature, and delivery ids remembered
// for kRetention, then forgotten (the FakeClock moves time).
#include "app/hooks.h"

#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

const Instant kNow = FromUnixMillis(1'795'600'000'000);
constexpr const char* kBody = R"({"id": 1})";

class HooksTest : public StoreAppTest {
 protected:
  HooksTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    shop_ = created->shop.id;
    SettingsPatch p;
    p.shopify_webhook_secret = "s3cret";
    ASSERT_TRUE(app_->shops().UpdateSettings(shop_, p).ok());
  }

  Result<HookDelivery> Open(const std::string& id, HookSource source = HookSource::kShopify) {
    return app_->hooks().Open(shop_, source, kBody, HookSignature("s3cret", kBody), "X-Sig", id);
  }

  store::Id shop_ = 0;
};

TEST(HookSignatureTest, IsBase64OfHmacSha256) {
  // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
  EXPECT_EQ(HookSignature("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST_P(HooksTest, OnlyTheShopsSecretOpensADelivery) {
  auto ok = Open("d-1");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->shop.id, shop_);
  EXPECT_FALSE(ok->seen);
  auto wrong =
      app_->hooks().Open(shop_, HookSource::kShopify, kBody, HookSignature("other", kBody), "X-Sig", "");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Code::kUnauthenticated);
  EXPECT_EQ(wrong.error().field, "X-Sig");
  // No WooCommerce secret is set: even the empty key's signature is refused.
  auto unset =
      app_->hooks().Open(shop_, HookSource::kWooCommerce, kBody, HookSignature("", kBody), "X-Sig", "");
  EXPECT_FALSE(unset.ok());
  auto other_shop =
      app_->hooks().Open(shop_ + 1, HookSource::kShopify, kBody, HookSignature("s3cret", kBody), "X-Sig", "");
  ASSERT_FALSE(other_shop.ok());
  EXPECT_EQ(other_shop.error().code, Code::kUnauthenticated);
}

TEST_P(HooksTest, DeliveriesAreRememberedForTheRetentionThenForgotten) {
  ASSERT_TRUE(app_->hooks().Remember(shop_, HookSource::kShopify, "d-1").ok());
  EXPECT_TRUE(Open("d-1")->seen);
  EXPECT_FALSE(Open("d-1", HookSource::kWooCommerce).ok());  // no secret; ids are per source anyway
  EXPECT_FALSE(Open("d-2")->seen);
  ASSERT_TRUE(app_->hooks().Remember(shop_, HookSource::kShopify, "d-1").ok());  // again: no error
  clock_.Advance(Hooks::kRetention - std::chrono::hours{1});
  ASSERT_TRUE(app_->hooks().Remember(shop_, HookSource::kShopify, "d-2").ok());
  EXPECT_TRUE(Open("d-1")->seen);  // within the retention
  clock_.Advance(std::chrono::hours{2});
  ASSERT_TRUE(app_->hooks().Remember(shop_, HookSource::kShopify, "d-3").ok());
  EXPECT_FALSE(Open("d-1")->seen);  // forgotten
  EXPECT_TRUE(Open("d-2")->seen);
  EXPECT_TRUE(Open("d-3")->seen);
}

INSTANTIATE_TEST_SUITE_P(Stores, HooksTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
