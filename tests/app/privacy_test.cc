// Privacy that is complete (issue 12, hole 4), on every store: erasure deactivates and renames the
// customer's referral code and blanks its job errors; an unsubscribe holds for the person's
// canonical email and phone, across customer rows and erasure.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "core/codes.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using test::TestDb;

class PrivacyTest : public PromoterFixture {
 protected:
  std::optional<store::ReferralCode> AnnasCode() {
    auto c = store_->Read<std::optional<store::ReferralCode>>(
        [&](store::ReadTx& tx) { return tx.referrals().FindCodeByPromoter(shop_.id, promoter_id_); });
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : std::nullopt;
  }

  store::Customer CustomerOf(const std::string& external_id) {
    auto c = store_->Read<std::optional<store::Customer>>(
        [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, external_id); });
    EXPECT_TRUE(c.ok() && c->has_value()) << external_id;
    return c.ok() && c->has_value() ? **c : store::Customer{};
  }

  // An order by `customer` with `email` (and `phone`); `with_code` sends it down the one-by-one
  // path (an order with a discount code), else down the set path.
  IngestResult OrderBy(const std::string& id, const std::string& customer, const std::string& email,
                       bool with_code, const std::string& phone = "") {
    OrderInput o = SampleOrder(id, customer, clock_.Now());
    o.customer.email = email;
    o.customer.phone = phone;
    if (with_code) o.discount_codes = {"WELCOME10"};
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : IngestResult{};
  }

  void Unsubscribe(const std::string& customer) {
    auto s = app_->answers().Unsubscribe(app_->links().UnsubscribeToken(CustomerOf(customer).id));
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
};

TEST_P(PrivacyTest, ErasureDeactivatesAndRenamesTheCodeAndBlanksJobErrors) {
  // An SMTP server's refusal echoing Anna's address, on her survey's job (the only one yet).
  auto survey_jobs = JobsOf(store::JobKind::kSurvey);
  ASSERT_EQ(survey_jobs.size(), 1u);
  ASSERT_TRUE(app_->outbox()
                  .RecordRefused(survey_jobs[0], "550 5.1.1 <anna@example.com>: no such user", clock_.Now())
                  .ok());
  auto referred = Refer(Friend("f-1", "friend-1"));
  ASSERT_TRUE(referred.has_value());
  ASSERT_TRUE(app_->shares().Visit(code_, "203.0.113.7").ok()) << "the code resolves before erasure";

  ASSERT_TRUE(app_->privacy().Erase(shop_.id, "anna").ok());

  // The code no longer resolves: neither by its text nor by its new name.
  EXPECT_EQ(app_->shares().Visit(code_, "203.0.113.8").error().code, Code::kNotFound);
  auto code = AnnasCode();
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(code->code.find("ANNA"), std::string::npos) << code->code;
  EXPECT_EQ(code->code.rfind("erased-", 0), 0u) << code->code;
  EXPECT_EQ(app_->shares().Visit(code->code, "203.0.113.9").error().code, Code::kNotFound);
  ASSERT_TRUE(code->expires_at.has_value());
  EXPECT_LE(*code->expires_at, code->created_at);
  // … and no longer earns.
  OrderInput late = Friend("f-2", "friend-2");
  auto r = app_->ingest().Order(shop_, late);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->referral.has_value());
  OrderInput renamed = Friend("f-3", "friend-3");
  renamed.discount_codes = {core::NormalizeCode(code->code)};
  r = app_->ingest().Order(shop_, renamed);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->referral.has_value());

  // The friend's order no longer names Anna's code.
  auto e = app_->privacy().Export(shop_.id, "friend-1");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->orders.size(), 1u);
  for (const auto& c : e->orders[0].discount_codes) EXPECT_EQ(c.find("ANNA"), std::string::npos) << c;

  // No job error names her.
  auto jobs = app_->outbox().List(shop_.id, std::nullopt, 1000);
  ASSERT_TRUE(jobs.ok());
  int failed = 0;
  for (const auto& j : *jobs) {
    EXPECT_EQ(j.last_error.find("anna"), std::string::npos) << j.last_error;
    if (j.status == store::JobStatus::kFailed) ++failed;
  }
  EXPECT_GE(failed, 1) << "the jobs stay failed, only their text is gone";
}

TEST_P(PrivacyTest, EraseAllRenamesEveryCode) {
  ASSERT_TRUE(store_->Write<int64_t>([&](store::Tx& tx) { return tx.customers().EraseAll(shop_.id); }).ok());
  auto code = AnnasCode();
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(code->code.rfind("erased-", 0), 0u) << code->code;
  EXPECT_EQ(app_->shares().Visit(code_, "203.0.113.8").error().code, Code::kNotFound);
}

TEST_P(PrivacyTest, AnUnsubscribeHoldsForTheCanonicalEmailAcrossCustomerRows) {
  for (bool with_code : {false, true}) {
    SCOPED_TRACE(with_code ? "one by one" : "set path");
    const std::string p = with_code ? "one-" : "set-";
    auto first = OrderBy(p + "1", p + "c-1", p + "anna.smith@gmail.com", with_code);
    EXPECT_TRUE(first.survey.scheduled);
    Unsubscribe(p + "c-1");
    // Another customer id, the same mailbox written another way.
    auto again =
        OrderBy(p + "2", p + "c-2",
                (with_code ? "One-" : "Set-") + std::string("AnnaSmith+shoes@googlemail.com"), with_code);
    EXPECT_FALSE(again.survey.scheduled);
    EXPECT_EQ(again.survey.skipped_reason, "unsubscribed");
    EXPECT_TRUE(CustomerOf(p + "c-2").unsubscribed_at.has_value()) << "remembered on the new row too";
    // Someone else is still surveyed.
    EXPECT_TRUE(OrderBy(p + "3", p + "c-3", "bob@example.com", with_code).survey.scheduled);
  }
}

TEST_P(PrivacyTest, AnUnsubscribeSurvivesErasureWithoutTheAddress) {
  OrderBy("1", "c-1", "dora@example.com", false, "+4915112345678");
  Unsubscribe("c-1");
  ASSERT_TRUE(app_->privacy().Erase(shop_.id, "c-1").ok());
  EXPECT_EQ(app_->privacy().Export(shop_.id, "c-1").error().code, Code::kNotFound);
  // A new customer with the same address.
  EXPECT_EQ(OrderBy("2", "c-2", "DORA@example.com", false).survey.skipped_reason, "unsubscribed");
  // One with the same phone (written another way) and another address.
  EXPECT_EQ(OrderBy("3", "c-3", "other@example.com", true, "+49 151 1234 5678").survey.skipped_reason,
            "unsubscribed");
  // Another shop knows nothing of it.
  auto other = app_->shops().Create("Other Shop", "https://other.example");
  ASSERT_TRUE(other.ok());
  OrderInput elsewhere = SampleOrder("1", "c-1", clock_.Now());
  elsewhere.customer.email = "dora@example.com";
  auto r = app_->ingest().Order(other->shop, elsewhere);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->survey.scheduled);
}

TEST_P(PrivacyTest, AnUnsubscribeStopsMessagesAlreadyQueuedForTheSamePerson) {
  OrderBy("1", "c-1", "carla@example.com", false);
  OrderBy("2", "c-2", "Carla@Example.com", true);
  Unsubscribe("c-2");
  int skipped = 0;
  for (const auto& j : JobsOf(store::JobKind::kSurvey)) {
    auto m = app_->messages().Build(j);
    ASSERT_TRUE(m.ok()) << m.error().message;
    if (m->skip_reason == "customer unsubscribed") ++skipped;
  }
  EXPECT_EQ(skipped, 2) << "both rows' surveys, not only the one that unsubscribed";
}

// Privacy requests name a person by email (issue 11): the lookup goes by the mailbox, so the
// export and the erasure of "A.nna+x@googlemail.com" find anna@gmail.com's rows (any customer id)
// in this shop only; a row without a canonical email (an older node wrote it) by its raw email.
TEST_P(PrivacyTest, ExportAndEraseBySubjectFindTheCanonicalMailboxInThisShopOnly) {
  OrderBy("o-1", "anna-gm", "anna@gmail.com", false);
  OrderBy("o-2", "anna-gm-2", "a.n.n.a@gmail.com", true);
  OrderBy("o-3", "bob", "bob@gmail.com", false);
  OrderBy("o-4", "old", "old+tag@example.com", false);
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    ASSERT_TRUE((*conn)->Exec("UPDATE customers SET canonical_email = '' WHERE external_id = 'old'").ok());
  }
  auto other = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(other.ok());
  OrderInput elsewhere = SampleOrder("x-1", "anna-elsewhere", clock_.Now());
  elsewhere.customer.email = "anna@gmail.com";
  ASSERT_TRUE(app_->ingest().Order(other->shop, elsewhere).ok());

  const PrivacySubject alias{"", "A.nna+x@googlemail.com", ""};
  auto exported = app_->privacy().ExportSubject(shop_.id, alias);
  ASSERT_TRUE(exported.ok()) << exported.error().message;
  std::vector<std::string> ids;
  for (const auto& e : *exported) ids.push_back(e.customer.external_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"anna-gm", "anna-gm-2"}));
  ASSERT_EQ((*exported)[0].orders.size(), 1u);
  EXPECT_EQ((*exported)[0].orders[0].external_id, "o-1");
  // Named by id and email at once: each customer once.
  auto both = app_->privacy().ExportSubject(shop_.id, PrivacySubject{"anna-gm", "anna@gmail.com", ""});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 2u);
  // A row without a canonical email is found by its raw email.
  auto old = app_->privacy().ExportSubject(shop_.id, PrivacySubject{"", "Old+Tag@Example.com", ""});
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_EQ((*old)[0].customer.external_id, "old");

  const store::Id anna_gm = CustomerOf("anna-gm").id, anna_gm_2 = CustomerOf("anna-gm-2").id,
                  old_id = CustomerOf("old").id;
  auto get = [&](store::Id id) {
    auto c = store_->Read<std::optional<store::Customer>>(
        [&](store::ReadTx& tx) { return tx.customers().Get(id); });
    EXPECT_TRUE(c.ok() && c->has_value()) << id;
    return c.ok() && c->has_value() ? **c : store::Customer{};
  };
  auto erased = app_->privacy().EraseSubject(shop_.id, alias);
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  EXPECT_EQ(*erased, 2);
  EXPECT_EQ(get(anna_gm).email, "");
  EXPECT_EQ(get(anna_gm).canonical_email, "");
  EXPECT_EQ(get(anna_gm_2).email, "");
  EXPECT_EQ(CustomerOf("bob").email, "bob@gmail.com");
  auto kept = store_->Read<std::optional<store::Customer>>(
      [&](store::ReadTx& tx) { return tx.customers().Find(other->shop.id, "anna-elsewhere"); });
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->email, "anna@gmail.com") << "another shop's customer is untouched";
  // Erased: the email finds nothing any more.
  auto again = app_->privacy().ExportSubject(shop_.id, alias);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(*app_->privacy().EraseSubject(shop_.id, PrivacySubject{"", "old+tag@example.com", ""}), 1);
  EXPECT_EQ(get(old_id).email, "");
}

INSTANTIATE_TEST_SUITE_P(Stores, PrivacyTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
