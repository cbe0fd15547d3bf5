#pragma once
// Shared by the money tests (issue 11): on every store, a shop and its promoter Anna
// (anna@example.com), who answered 10 to her survey and holds a referral code; friends' orders
// with that code; the shop's jobs by kind. Links on https://vouch.test, mail from
// hello@trail.example.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/store_app_test.h"

namespace vouch::app {

class PromoterFixture : public StoreAppTest {
 protected:
  static constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";
  static Instant Start() { return FromUnixMillis(1'795'600'000'000); }  // 2026-11-24

  PromoterFixture() : StoreAppTest(Start(), AppConfig{"https://vouch.test", "hello@trail.example"}) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
    const store::Id survey = SentSurvey("p-1", "anna");
    ASSERT_NE(survey, 0);
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), 10, "GET", kBrowser);
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(v->code.has_value());
    code_ = v->code->code;
    promoter_id_ = v->code->promoter_id;
    clock_.Advance(std::chrono::days{1});
  }

  // `customer` places order `id` now; its survey is sent when due (three days on) and the clock
  // left a minute after that, for an answer. The survey's id, or 0 after a failed expectation.
  store::Id SentSurvey(const std::string& id, const std::string& customer) {
    auto r = app_->ingest().Order(shop_, SampleOrder(id, customer, clock_.Now()));
    EXPECT_TRUE(r.ok()) << r.error().message;
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, id); });
    EXPECT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    if (!order.ok() || !order->has_value() || !(*order)->survey_id) return 0;
    const store::Id survey = *(*order)->survey_id;
    clock_.Advance(std::chrono::days{3} + std::chrono::seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(std::chrono::seconds{60});
    return survey;
  }

  // Applies a settings patch to the shop (and keeps the copy the use cases are given).
  void Set(const SettingsPatch& p) {
    auto s = app_->shops().UpdateSettings(shop_.id, p);
    ASSERT_TRUE(s.ok()) << s.error().message;
    shop_ = *s;
  }

  // A friend's order of `total_minor` EUR cents with Anna's code, placed now.
  OrderInput Friend(const std::string& id, const std::string& customer, int64_t total_minor = 12000) {
    OrderInput o = SampleOrder(id, customer, clock_.Now());
    o.total_minor = total_minor;
    o.customer.first_name = "Friend";
    o.discount_codes = {code_};
    return o;
  }

  std::optional<ReferralOutcome> Refer(const OrderInput& o) {
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->referral : std::nullopt;
  }

  std::vector<store::Job> JobsOf(store::JobKind kind) {
    auto jobs = store_->Read<std::vector<store::Job>>(
        [&](store::ReadTx& tx) { return tx.jobs().List(shop_.id, std::nullopt, 1000); });
    EXPECT_TRUE(jobs.ok());
    std::vector<store::Job> out;
    for (const auto& j : jobs.ok() ? *jobs : std::vector<store::Job>{}) {
      if (j.kind == kind) out.push_back(j);
    }
    return out;
  }

  store::Reward RewardOf(store::Id referral) {
    auto w = store_->Read<std::optional<store::Reward>>(
        [&](store::ReadTx& tx) { return tx.referrals().FindRewardByReferral(referral); });
    EXPECT_TRUE(w.ok() && w->has_value());
    return w.ok() && w->has_value() ? **w : store::Reward{};
  }

  // The kinds of Anna's ledger entries, oldest first.
  std::vector<std::string> Ledger() {
    auto r = app_->rewards().ForPromoter(shop_.id, promoter_id_);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    std::vector<std::string> kinds;
    if (r.ok()) {
      for (const auto& e : r->entries) kinds.push_back(e.kind + (e.reason.empty() ? "" : ":" + e.reason));
    }
    return kinds;
  }

  store::Shop shop_;
  std::string code_;
  store::Id promoter_id_ = 0;
};

}  // namespace vouch::app
