// Self-referral by canonical identity (issue 11), on every store: a promoter who orders again
// under another writing of her own address or phone gets no reward.
#include <gtest/gtest.h>

#include "app/order_input.h"
#include "app/store_app_test.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using test::TestDb;

const Instant kNow = FromUnixMillis(1'795'600'000'000);  // 2026-11-24
constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

class SelfReferralTest : public StoreAppTest {
 protected:
  SelfReferralTest() : StoreAppTest(kNow) {}

  // A shop, and Anna (anna@gmail.com, +4915112345678) answering 10 to her survey: her code.
  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
    OrderInput o = SampleOrder("p-1", "anna", clock_.Now());
    o.customer.email = "anna@gmail.com";
    o.customer.phone = "+4915112345678";
    auto r = app_->ingest().Order(shop_, o);
    ASSERT_TRUE(r.ok()) << r.error().message;
    auto order = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, "p-1"); });
    ASSERT_TRUE(order.ok() && order->has_value() && (*order)->survey_id);
    const store::Id survey = *(*order)->survey_id;
    clock_.Advance(days{3} + seconds{1});
    ASSERT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), 10, "GET", kBrowser);
    ASSERT_TRUE(v.ok()) << v.error().message;
    ASSERT_TRUE(v->code.has_value());
    code_ = v->code->code;
    clock_.Advance(days{1});
  }

  // An order with Anna's code, its customer as the shop's webhook would send it (validated at
  // the edge as every order is).
  OrderInput Friend(const std::string& id, const std::string& customer, const std::string& email,
                    const std::string& phone = "") {
    RawOrder raw;
    raw.id = RawField::Text(id);
    raw.created_at = RawField::Text("2026-11-24T10:00:00Z");  // replaced by the clock below
    raw.currency = RawField::Text("EUR");
    raw.total_price = RawField::Text("120.00");
    raw.customer_shape = RawShape::kPresent;
    raw.customer.id = RawField::Text(customer);
    raw.customer.email = RawField::Text(email);
    if (!phone.empty()) raw.customer.phone = RawField::Text(phone);
    raw.customer.first_name = RawField::Text("Friend");
    raw.discount_codes_shape = RawShape::kPresent;
    raw.discount_codes.push_back(RawField::Text(code_));
    auto o = ValidateOrder(std::move(raw));
    EXPECT_TRUE(o.ok()) << o.error().message;
    if (!o.ok()) return OrderInput{};
    o->created_at = clock_.Now();
    return *o;
  }

  std::optional<ReferralOutcome> Referral(const OrderInput& o) {
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->referral : std::nullopt;
  }

  // The reward mails (or, while held, their releases) queued in the shop.
  int RewardJobs() {
    auto jobs = store_->Read<std::vector<store::Job>>(
        [&](store::ReadTx& tx) { return tx.jobs().List(shop_.id, std::nullopt, 1000); });
    EXPECT_TRUE(jobs.ok());
    int n = 0;
    for (const auto& j : jobs.ok() ? *jobs : std::vector<store::Job>{}) {
      // A held reward's job is its release; its mail comes after (app/rewards_test.cc).
      if (j.kind == store::JobKind::kReward || j.kind == store::JobKind::kRewardRelease) ++n;
    }
    return n;
  }

  store::Customer CustomerOf(const std::string& external_id) {
    auto c = store_->Read<std::optional<store::Customer>>(
        [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, external_id); });
    EXPECT_TRUE(c.ok() && c->has_value()) << external_id;
    return c.ok() && c->has_value() ? **c : store::Customer{};
  }

  store::Shop shop_;
  std::string code_;
};

TEST_P(SelfReferralTest, AGmailAliasOfThePromoterIsASelfReferral) {
  auto r = Referral(Friend("f-1", "anna-2", "A.nna+1@GoogleMail.com"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, core::ReferralVerdict::kSelfReferral);
  EXPECT_TRUE(r->reward_code.empty());
  EXPECT_EQ(RewardJobs(), 0);
  for (const char* alias : {"anna+1@gmail.com", "a.nna@gmail.com", "anna@googlemail.com"}) {
    clock_.Advance(seconds{1});
    auto again = Referral(Friend(std::string("f-") + alias, std::string("c-") + alias, alias));
    ASSERT_TRUE(again.has_value()) << alias;
    EXPECT_EQ(again->status, core::ReferralVerdict::kSelfReferral) << alias;
  }
  EXPECT_EQ(RewardJobs(), 0);
  auto funnel = app_->reports().Funnel(shop_.id, kNow - days{1}, clock_.Now() + days{1});
  ASSERT_TRUE(funnel.ok());
  EXPECT_EQ(funnel->rewards, 0);
}

TEST_P(SelfReferralTest, TheSameNumberWrittenAnotherWayIsASelfReferral) {
  auto r = Referral(Friend("f-1", "anna-2", "anna.berg@example.com", "+49 (0)151 1234-5678"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, core::ReferralVerdict::kSelfReferral);
  EXPECT_EQ(RewardJobs(), 0);
}

TEST_P(SelfReferralTest, AnotherPersonStillQualifies) {
  auto r = Referral(Friend("f-1", "bob", "bob@example.com", "+4915187654321"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, core::ReferralVerdict::kQualified);
  EXPECT_FALSE(r->reward_code.empty());
  EXPECT_EQ(RewardJobs(), 1);
  // Dots count outside Gmail: "a.nna@example.com" is not "anna@example.com".
  clock_.Advance(seconds{1});
  auto dotted = Referral(Friend("f-2", "carla", "a.nna@example.com"));
  ASSERT_TRUE(dotted.has_value());
  EXPECT_EQ(dotted->status, core::ReferralVerdict::kQualified);
  EXPECT_EQ(RewardJobs(), 2);
}

// The existing-customer check by canonical email (customers.canonical_email): a "new" customer
// whose address is another writing of an earlier customer's is that earlier customer.
TEST_P(SelfReferralTest, AnotherWritingOfAnEarlierCustomersEmailIsAnExistingCustomer) {
  OrderInput berta = SampleOrder("b-1", "berta", clock_.Now());  // no code: the set path
  berta.customer.email = "berta@gmail.com";
  ASSERT_TRUE(app_->ingest().Order(shop_, berta).ok());
  EXPECT_EQ(CustomerOf("berta").canonical_email, "berta@gmail.com");
  clock_.Advance(seconds{1});
  auto r = Referral(Friend("f-1", "berta-2", "B.erta+x@googlemail.com"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, core::ReferralVerdict::kExistingCustomer);
  EXPECT_TRUE(r->reward_code.empty());
  EXPECT_EQ(CustomerOf("berta-2").canonical_email, "berta@gmail.com");
  EXPECT_EQ(RewardJobs(), 0);

  // An email changed at a later order counts from then on: Dora becomes d.ora@gmail.com.
  OrderInput dora = SampleOrder("d-1", "dora", clock_.Now());
  dora.customer.email = "dora@example.com";
  ASSERT_TRUE(app_->ingest().Order(shop_, dora).ok());
  clock_.Advance(seconds{1});
  OrderInput moved = SampleOrder("d-2", "dora", clock_.Now());
  moved.customer.email = "D.ora@GoogleMail.com";
  ASSERT_TRUE(app_->ingest().Order(shop_, moved).ok());
  EXPECT_EQ(CustomerOf("dora").canonical_email, "dora@gmail.com");
  clock_.Advance(seconds{1});
  auto d = Referral(Friend("f-2", "dora-2", "dora+friend@gmail.com"));
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->status, core::ReferralVerdict::kExistingCustomer);
}

// Erasure blanks the canonical email with the email: the erased are no one's earlier self.
TEST_P(SelfReferralTest, AnErasedCustomerIsNoLongerMatched) {
  OrderInput berta = SampleOrder("b-1", "berta", clock_.Now());
  berta.customer.email = "berta@gmail.com";
  ASSERT_TRUE(app_->ingest().Order(shop_, berta).ok());
  const store::Id id = CustomerOf("berta").id;
  ASSERT_TRUE(app_->privacy().Erase(shop_.id, "berta").ok());
  auto erased =
      store_->Read<std::optional<store::Customer>>([&](store::ReadTx& tx) { return tx.customers().Get(id); });
  ASSERT_TRUE(erased.ok() && erased->has_value());
  EXPECT_EQ((*erased)->email, "");
  EXPECT_EQ((*erased)->canonical_email, "");
  clock_.Advance(seconds{1});
  auto r = Referral(Friend("f-1", "berta-2", "b.erta@googlemail.com"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, core::ReferralVerdict::kQualified);
}

INSTANTIATE_TEST_SUITE_P(Stores, SelfReferralTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
