// A clawed-back reward's voucher (issue 11), on every store: voided when no order carried it,
// left standing (and named in the ledger for the shop to settle) when one did, an order carrying
// a voided voucher flagged in the ledger, and the clawback's webhook naming the voucher's state.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "app/webhook_payloads.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::seconds;
using test::TestDb;
using Strings = std::vector<std::string>;

class VouchersTest : public PromoterFixture {
 protected:
  void SetUp() override {
    PromoterFixture::SetUp();
    if (IsSkipped()) return;
    SettingsPatch no_hold;
    no_hold.reward_hold_seconds = 0;
    Set(no_hold);
  }

  // An order by `customer` that carries `codes` as its discount codes.
  OrderInput WithCodes(const std::string& id, const std::string& customer, Strings codes) {
    OrderInput o = SampleOrder(id, customer, clock_.Now());
    o.discount_codes = std::move(codes);
    return o;
  }

  // The ledger's entries from the first "clawed_back" or voucher entry on.
  Strings VoucherLedger() {
    Strings out;
    for (const auto& e : Ledger()) {
      if (!out.empty() || e.starts_with("clawed_back") || e.starts_with("voucher") ||
          e.starts_with("voided_"))
        out.push_back(e);
    }
    return out;
  }
};

TEST_P(VouchersTest, AnUnusedVoucherIsVoidedOnClawbackAndALaterOrderWithItIsFlagged) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  EXPECT_FALSE(RewardOf(r->referral_id).voucher_voided_at.has_value());
  clock_.Advance(seconds{30});
  auto refund = app_->orders().Refund(shop_, "f-1", "re-1", "120.00");
  ASSERT_TRUE(refund.ok()) << refund.error().message;
  ASSERT_TRUE(refund->reward.has_value());
  EXPECT_EQ(refund->reward->status, store::RewardStatus::kClawedBack);
  EXPECT_EQ(refund->reward->voucher_voided_at, clock_.Now());
  EXPECT_EQ(VoucherLedger(), (Strings{"clawed_back:refunded", "voucher_voided:unused at the clawback"}));

  // The shop's checkout took the voided voucher anyway: the order is ingested as any (Vouch does
  // not own the checkout), and the shop sees it in the promoter's ledger and on the reward.
  clock_.Advance(seconds{30});
  std::string typed = r->reward_code;
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto late = app_->ingest().Order(shop_, WithCodes("g-1", "carl", {"SUMMER10", " " + typed}));
  ASSERT_TRUE(late.ok()) << late.error().message;
  const store::Reward w = RewardOf(r->referral_id);
  EXPECT_EQ(w.voucher_used_order, "g-1");
  EXPECT_EQ(w.voucher_used_at, clock_.Now());
  EXPECT_TRUE(w.voucher_voided_at.has_value());
  EXPECT_EQ(VoucherLedger(), (Strings{"clawed_back:refunded", "voucher_voided:unused at the clawback",
                                      "voided_voucher_used:order g-1 carried the voided voucher"}));
  // A second such order is flagged too; the first stays the one that used it.
  ASSERT_TRUE(app_->ingest().Order(shop_, WithCodes("g-2", "dora", {r->reward_code})).ok());
  EXPECT_EQ(RewardOf(r->referral_id).voucher_used_order, "g-1");
  EXPECT_EQ(VoucherLedger().back(), "voided_voucher_used:order g-2 carried the voided voucher");
  // Replaying an order adds nothing.
  ASSERT_TRUE(app_->ingest().Order(shop_, WithCodes("g-2", "dora", {r->reward_code})).ok());
  EXPECT_EQ(VoucherLedger().size(), 4u);
}

TEST_P(VouchersTest, AUsedVoucherIsNotVoidedAndTheClawbackSaysItWasRedeemed) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  clock_.Advance(seconds{30});
  // Anna spends her voucher.
  auto spent = app_->ingest().Order(shop_, WithCodes("p-2", "anna", {r->reward_code}));
  ASSERT_TRUE(spent.ok()) << spent.error().message;
  EXPECT_EQ(RewardOf(r->referral_id).voucher_used_order, "p-2");
  EXPECT_EQ(VoucherLedger(), Strings{}) << "a voucher used while it stands is no entry";
  clock_.Advance(seconds{30});
  auto cancel = app_->orders().Cancel(shop_, "f-1");
  ASSERT_TRUE(cancel.ok()) << cancel.error().message;
  EXPECT_EQ(cancel->reward->status, store::RewardStatus::kClawedBack);
  EXPECT_FALSE(cancel->reward->voucher_voided_at.has_value());
  EXPECT_EQ(VoucherLedger(), (Strings{"clawed_back:cancelled",
                                      "voucher_redeemed:already used in order p-2: settle it by hand"}));
}

TEST_P(VouchersTest, AnotherShopsOrderWithTheSameTextDoesNotUseTheVoucher) {
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(app_->ingest().Order(other->shop, WithCodes("x-1", "xena", {r->reward_code})).ok());
  EXPECT_EQ(RewardOf(r->referral_id).voucher_used_order, "");
  ASSERT_TRUE(app_->orders().Refund(shop_, "f-1", "re-1", "120.00").ok());
  EXPECT_TRUE(RewardOf(r->referral_id).voucher_voided_at.has_value());
}

TEST_P(VouchersTest, TheClawbackWebhookNamesTheVoidedVoucher) {
  const std::string secret = "whsec_" + std::string(32, 'A');
  ASSERT_TRUE(store_
                  ->Write<store::Id>([&](store::Tx& tx) {
                    store::WebhookEndpoint e;
                    e.shop_id = shop_.id;
                    e.url = "https://hooks.example/vouch";
                    e.events = {"reward.clawed_back"};
                    e.secret = secret;
                    e.created_at = clock_.Now();
                    return tx.webhooks().InsertEndpoint(e);
                  })
                  .ok());
  clock_.Advance(seconds{10});  // past the node's endpoint cache
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  ASSERT_TRUE(app_->orders().Refund(shop_, "f-1", "re-1", "120.00").ok());
  auto jobs = JobsOf(store::JobKind::kWebhook);
  ASSERT_EQ(jobs.size(), 1u) << "one clawback, one event";
  auto body = store_->Read<WebhookBody>([&](store::ReadTx& tx) -> Result<WebhookBody> {
    auto d = tx.webhooks().GetDelivery(jobs[0].ref_id);
    if (!d) return d.error();
    if (!d->has_value()) return NotFound("delivery");
    EXPECT_EQ((*d)->event_type, "reward.clawed_back");
    return BuildWebhookBody(tx, **d, store::WebhookKind::kStandard, "https://vouch.test");
  });
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_NE(body->body.find("\"status\":\"clawed_back\""), std::string::npos) << body->body;
  EXPECT_NE(body->body.find("\"voucher_voided_at\":\"20"), std::string::npos) << body->body;
  EXPECT_NE(body->body.find("\"voucher_used_order\":null"), std::string::npos) << body->body;
}

// A clawback on one node while an order carrying the voucher arrives on another: either the
// voucher was voided first (and the order is flagged) or the order used it first (and it is
// never voided, the clawback saying it was redeemed); never both, never neither.
TEST_P(VouchersTest, AClawbackRacingAnOrderWithTheVoucherEndsOneWay) {
  auto other_store = store::OpenStore(db_->url());
  ASSERT_TRUE(other_store.ok()) << other_store.error().message;
  App other(**other_store, clock_, config_, "test-secret");
  for (int i = 0; i < 4; ++i) {
    const std::string id = "f-" + std::to_string(i);
    auto r = Refer(Friend(id, "friend-" + std::to_string(i)));
    ASSERT_TRUE(r && !r->reward_code.empty());
    std::thread refunder([&] { EXPECT_TRUE(other.orders().Refund(shop_, id, "re", "120.00").ok()); });
    std::thread spender([&] {
      EXPECT_TRUE(app_->ingest().Order(shop_, WithCodes("p-" + id, "anna", {r->reward_code})).ok());
    });
    refunder.join();
    spender.join();
    const store::Reward w = RewardOf(r->referral_id);
    EXPECT_EQ(w.status, store::RewardStatus::kClawedBack) << id;
    EXPECT_EQ(w.voucher_used_order, "p-" + id);
    auto ledger = app_->rewards().ForPromoter(shop_.id, promoter_id_);
    ASSERT_TRUE(ledger.ok());
    int voided = 0, redeemed = 0, flagged = 0;
    for (const auto& e : ledger->entries) {
      if (e.reward_id != w.id) continue;
      voided += e.kind == "voucher_voided";
      redeemed += e.kind == "voucher_redeemed";
      flagged += e.kind == "voided_voucher_used";
    }
    if (w.voucher_voided_at) {
      EXPECT_EQ(voided, 1) << id;
      EXPECT_EQ(flagged, 1) << id;
      EXPECT_EQ(redeemed, 0) << id;
    } else {
      EXPECT_EQ(voided, 0) << id;
      EXPECT_EQ(flagged, 0) << id;
      EXPECT_EQ(redeemed, 1) << id;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, VouchersTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
