// The dashboard's data on every store: detractors' follow-ups (app/followups.h), the answers
// feed's filters and export pages, and a promoter's page (app/reports.h).
#include "app/followups.h"

#include <set>

#include <gtest/gtest.h>

#include "app/store_app_test.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using test::TestDb;

const Instant kNow = FromUnixMillis(1'795'600'000'000);  // 2026-11-24
constexpr const char* kBrowser = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0";

class DashboardDataTest : public StoreAppTest {
 protected:
  DashboardDataTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    shop_ = NewShop("Trail Shop");
    other_ = NewShop("Other Shop");
  }

  store::Shop NewShop(const std::string& name) {
    auto s = app_->shops().Create(name, "https://trail.example");
    EXPECT_TRUE(s.ok());
    return s.ok() ? s->shop : store::Shop{};
  }

  // An order by `customer` in `shop`, its survey sent and answered with `score` (and `comment`);
  // the survey's id. The clock moves on a minute.
  store::Id Answered(const store::Shop& shop, const std::string& order, const std::string& customer,
                     int score, const std::string& comment = "") {
    auto r = app_->ingest().Order(shop, SampleOrder(order, customer, clock_.Now() - days{4}));
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    auto o = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop.id, order); });
    EXPECT_TRUE(o.ok() && o->has_value() && (*o)->survey_id);
    if (!o.ok() || !o->has_value() || !(*o)->survey_id) return 0;
    const store::Id survey = *(*o)->survey_id;
    EXPECT_TRUE(store_
                    ->Write<Ok>([&](store::Tx& tx) {
                      return tx.surveys().MarkSent(survey, clock_.Now() - seconds{600});
                    })
                    .ok());
    // Ten minutes after the mail: a person's click, counted (not a link scanner's).
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kBrowser);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    EXPECT_TRUE(v.ok() && IsCounted(v->survey.answer_state));
    if (!comment.empty()) {
      EXPECT_TRUE(app_->answers().SaveComment(app_->links().SurveyToken(survey), comment).ok());
    }
    clock_.Advance(seconds{60});
    return survey;
  }

  store::ResponseFilter All() {
    ResponseQuery q;
    q.from = kNow - days{30};
    q.to = kNow + days{30};
    return *ResponseFilterOf(q);
  }

  std::vector<store::Id> Ids(const Result<std::vector<store::ResponseRow>>& rows) {
    std::vector<store::Id> out;
    EXPECT_TRUE(rows.ok());
    if (rows.ok()) {
      for (const auto& r : *rows) out.push_back(r.survey_id);
    }
    return out;
  }

  store::Shop shop_;
  store::Shop other_;
};

TEST_P(DashboardDataTest, FollowupIsOwnedNotedResolvedAndReopened) {
  const store::Id s = Answered(shop_, "o1", "c1", 2, "Late and broken");
  auto rows = app_->reports().Responses(shop_.id, All(), 0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_FALSE((*rows)[0].followup);  // nothing stored yet: open

  const Instant first = clock_.Now();
  auto f =
      app_->followups().Update(shop_.id, s, FollowupPatch{.owner = "mia@trail.example", .note = "Called"});
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->status, store::FollowupStatus::kOpen);
  EXPECT_EQ(f->owner, "mia@trail.example");
  EXPECT_EQ(f->note, "Called");
  EXPECT_EQ(f->created_at, first);
  EXPECT_FALSE(f->resolved_at);

  clock_.Advance(hours{5});
  f = app_->followups().Update(shop_.id, s, FollowupPatch{.resolved = true});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->status, store::FollowupStatus::kResolved);
  EXPECT_EQ(f->resolved_at, clock_.Now());
  EXPECT_EQ(f->owner, "mia@trail.example");  // kept
  EXPECT_EQ(f->created_at, first);
  const Instant resolved = clock_.Now();
  clock_.Advance(hours{1});
  f = app_->followups().Update(shop_.id, s, FollowupPatch{.note = "", .resolved = true});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->resolved_at, resolved);  // resolving again keeps the first time
  EXPECT_FALSE(f->note);                // "" cleared it
  EXPECT_EQ(f->updated_at, clock_.Now());

  rows = app_->reports().Responses(shop_.id, All(), 0, 10);
  ASSERT_TRUE(rows.ok() && rows->size() == 1u && (*rows)[0].followup);
  EXPECT_EQ((*rows)[0].followup->status, store::FollowupStatus::kResolved);
  EXPECT_EQ((*rows)[0].followup->resolved_at, resolved);

  f = app_->followups().Update(shop_.id, s, FollowupPatch{.resolved = false});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->status, store::FollowupStatus::kOpen);
  EXPECT_FALSE(f->resolved_at);
}

TEST_P(DashboardDataTest, FollowupRefusesOtherShopsNonDetractorsAndBadInput) {
  const store::Id mine = Answered(shop_, "o1", "c1", 3);
  const store::Id theirs = Answered(other_, "o1", "c1", 3);
  const store::Id promoter = Answered(shop_, "o2", "c2", 10);

  auto e = app_->followups().Update(shop_.id, theirs, FollowupPatch{.resolved = true});
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, Code::kNotFound);
  EXPECT_EQ(e.error().field, "survey_id");
  auto stored = store_->Read<std::optional<store::Followup>>(
      [&](store::ReadTx& tx) { return tx.followups().Find(other_.id, theirs); });
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(*stored);  // nothing written for the other shop

  EXPECT_EQ(app_->followups().Update(shop_.id, 999999, FollowupPatch{.resolved = true}).error().code,
            Code::kNotFound);
  e = app_->followups().Update(shop_.id, promoter, FollowupPatch{.resolved = true});
  EXPECT_EQ(e.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(e.error().field, "survey_id");
  EXPECT_EQ(app_->followups().Update(shop_.id, mine, FollowupPatch{}).error().field, "body");
  e = app_->followups().Update(shop_.id, mine, FollowupPatch{.owner = std::string(201, 'x')});
  EXPECT_EQ(e.error().field, "owner");
  e = app_->followups().Update(shop_.id, mine, FollowupPatch{.owner = "a\nb"});
  EXPECT_EQ(e.error().field, "owner");
  EXPECT_TRUE(app_->followups().Update(shop_.id, mine, FollowupPatch{.note = "line one\nline two"}).ok());
  e = app_->followups().Update(shop_.id, mine, FollowupPatch{.note = std::string(4001, 'x')});
  EXPECT_EQ(e.error().field, "note");
}

TEST_P(DashboardDataTest, SummaryCountsOpenAndResolvedWithTheMedianTime) {
  const Instant t0 = clock_.Now();
  const store::Id a = Answered(shop_, "o1", "c1", 0);
  const store::Id b = Answered(shop_, "o2", "c2", 6);
  const store::Id c = Answered(shop_, "o3", "c3", 4);
  Answered(shop_, "o4", "c4", 5);   // never touched: open
  Answered(shop_, "o5", "c5", 9);   // a promoter: not counted
  Answered(other_, "o1", "c1", 1);  // another shop's
  auto none = app_->followups().Summary(shop_.id, t0 - days{1}, t0 + days{1});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->open, 4);
  EXPECT_EQ(none->resolved, 0);
  EXPECT_FALSE(none->median_hours_to_resolve);

  // Answered a minute apart; resolved 2, 6 and 10 hours after t0.
  clock_.Set(t0 + hours{2});
  ASSERT_TRUE(app_->followups().Update(shop_.id, a, FollowupPatch{.resolved = true}).ok());
  clock_.Set(t0 + hours{6});
  ASSERT_TRUE(app_->followups().Update(shop_.id, b, FollowupPatch{.resolved = true}).ok());
  clock_.Set(t0 + hours{10});
  ASSERT_TRUE(app_->followups().Update(shop_.id, c, FollowupPatch{.owner = "ben"}).ok());
  auto s = app_->followups().Summary(shop_.id, t0 - days{1}, t0 + days{1});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->open, 2);
  EXPECT_EQ(s->resolved, 2);
  ASSERT_TRUE(s->median_hours_to_resolve);
  // (2 h - 0 min) and (6 h - 1 min): the median is their mean.
  EXPECT_NEAR(*s->median_hours_to_resolve, (2.0 + 6.0 - 1.0 / 60) / 2, 1e-9);
  // The range is the answers': none answered yesterday.
  auto before = app_->followups().Summary(shop_.id, t0 - days{2}, t0 - days{1});
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->open + before->resolved, 0);
  EXPECT_EQ(app_->followups().Summary(shop_.id, t0, t0).error().field, "to");
}

TEST_P(DashboardDataTest, FeedFiltersCombineAndTextIsLiteral) {
  const store::Id late = Answered(shop_, "o1", "c1", 2, "Delivery was LATE, 100% annoying");
  const store::Id script = Answered(shop_, "o2", "c2", 3, "<script>alert(1)</script>");
  const store::Id under = Answered(shop_, "o3", "c3", 9, "great_fit, not late");
  const store::Id plain = Answered(shop_, "o4", "c4", 9, "great fit");
  const store::Id quiet = Answered(shop_, "o5", "c5", 7);
  Answered(other_, "o1", "c1", 2, "late too");
  ASSERT_TRUE(app_->followups().Update(shop_.id, script, FollowupPatch{.resolved = true}).ok());

  auto with = [&](const std::function<void(ResponseQuery&)>& edit) {
    ResponseQuery q;
    q.from = kNow - days{30};
    q.to = kNow + days{30};
    edit(q);
    auto f = ResponseFilterOf(q);
    EXPECT_TRUE(f.ok());
    return Ids(app_->reports().Responses(shop_.id, *f, 0, 100));
  };
  using V = std::vector<store::Id>;
  EXPECT_EQ(with([](auto&) {}), (V{quiet, plain, under, script, late}));
  EXPECT_EQ(with([](auto& q) { q.score = 9; }), (V{plain, under}));
  EXPECT_EQ(with([](auto& q) { q.text = "late"; }), (V{under, late}));  // case-insensitive
  EXPECT_EQ(with([](auto& q) {
              q.text = "Late";
              q.category = "detractor";
            }),
            (V{late}));
  EXPECT_EQ(with([](auto& q) { q.text = "100%"; }), (V{late}));
  EXPECT_EQ(with([](auto& q) { q.text = "%"; }), (V{late}));           // not a wildcard
  EXPECT_EQ(with([](auto& q) { q.text = "great_fit"; }), (V{under}));  // _ not a wildcard
  EXPECT_EQ(with([](auto& q) { q.text = "<script>"; }), (V{script}));
  EXPECT_EQ(with([](auto& q) { q.followup = "open"; }), (V{late}));
  EXPECT_EQ(with([](auto& q) { q.followup = "resolved"; }), (V{script}));
  EXPECT_EQ(with([](auto& q) {
              q.followup = "open";
              q.score = 9;
            }),
            V{});
  EXPECT_EQ(with([](auto& q) {
              q.score = 9;
              q.category = "detractor";
            }),
            V{});

  auto rows = app_->reports().Responses(shop_.id, All(), 0, 100);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[3].comment, "<script>alert(1)</script>");  // stored and read as given

  ResponseQuery bad;
  bad.from = kNow;
  bad.to = kNow + days{1};
  bad.score = 11;
  EXPECT_EQ(ResponseFilterOf(bad).error().field, "score");
  bad.score.reset();
  bad.followup = "closed";
  EXPECT_EQ(ResponseFilterOf(bad).error().field, "followup");
  bad.followup.clear();
  bad.text = std::string(201, 'x');
  EXPECT_EQ(ResponseFilterOf(bad).error().field, "q");
  bad.text.clear();
  bad.category = "fans";
  EXPECT_EQ(ResponseFilterOf(bad).error().field, "category");
}

TEST_P(DashboardDataTest, ExportPagesCoverEveryRowOnceInOrder) {
  std::vector<store::Id> made;
  for (int i = 0; i < 7; ++i) {
    made.push_back(Answered(shop_, "o" + std::to_string(i), "c" + std::to_string(i), i % 11, "n"));
  }
  std::vector<store::Id> seen;
  store::Id after = 0;
  int pages = 0;
  for (;;) {
    int n = 0;
    ASSERT_TRUE(app_->reports()
                    .ExportResponses(shop_.id, All(), after, 3,
                                     [&](const store::ResponseRow& r) {
                                       seen.push_back(r.survey_id);
                                       after = r.survey_id;
                                       ++n;
                                     })
                    .ok());
    ++pages;
    if (n < 3) break;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, std::vector<store::Id>(made.rbegin(), made.rend()));
}

TEST_P(DashboardDataTest, PromoterPageShowsCodesAnswersReferralsAndRewards) {
  const store::Id survey = Answered(shop_, "o1", "anna", 10, "Love it");
  auto code = store_->Read<std::optional<store::ReferralCode>>(
      [&](store::ReadTx& tx) -> Result<std::optional<store::ReferralCode>> {
        auto c = tx.customers().Find(shop_.id, "anna");
        if (!c) return c.error();
        return tx.referrals().FindCodeByPromoter(shop_.id, (*c)->id);
      });
  ASSERT_TRUE(code.ok()) << code.error().message;
  ASSERT_TRUE(code->has_value());
  const std::string k = (*code)->code;
  ASSERT_TRUE(app_->shares().Visit(k, "192.0.2.1").ok());
  ASSERT_TRUE(app_->shares().Visit(k, "192.0.2.2").ok());
  app_->WaitForAsync();  // visits are counted in sets, after the answer
  OrderInput friend_order = SampleOrder("o2", "ben", clock_.Now());
  friend_order.customer.first_name = "Ben";
  friend_order.total_minor = 12000;
  friend_order.discount_codes.push_back(k);
  auto placed = app_->ingest().Order(shop_, friend_order);
  ASSERT_TRUE(placed.ok() && placed->referral);

  auto page = app_->reports().Promoter(shop_.id, "anna");
  ASSERT_TRUE(page.ok()) << page.error().message;
  EXPECT_EQ(page->customer.external_id, "anna");
  EXPECT_EQ(page->customer.email, "anna@example.com");
  ASSERT_EQ(page->codes.size(), 1u);
  EXPECT_EQ(page->codes[0].code, k);
  EXPECT_EQ(page->codes[0].visits, 2);
  EXPECT_EQ(page->codes[0].uses, 1);
  ASSERT_EQ(page->answers.size(), 1u);
  EXPECT_EQ(page->answers[0].survey_id, survey);
  EXPECT_EQ(page->answers[0].score, 10);
  EXPECT_EQ(page->answers[0].comment, "Love it");
  ASSERT_EQ(page->referrals.size(), 1u);
  EXPECT_EQ(page->referrals[0].order_external_id, "o2");
  EXPECT_EQ(page->referrals[0].status, "qualified");
  EXPECT_EQ(page->referrals[0].revenue_minor, 12000);
  ASSERT_EQ(page->rewards.size(), 1u);
  EXPECT_EQ(page->rewards[0].referral_id, page->referrals[0].id);
  EXPECT_GT(page->rewards[0].amount_minor, 0);

  // The friend's page: a customer without a code.
  auto ben = app_->reports().Promoter(shop_.id, "ben");
  ASSERT_TRUE(ben.ok());
  EXPECT_TRUE(ben->codes.empty() && ben->referrals.empty() && ben->rewards.empty());
  // Another shop's customer, or nobody: not found.
  Answered(other_, "x1", "zoe", 10);
  auto e = app_->reports().Promoter(shop_.id, "zoe");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, Code::kNotFound);
  EXPECT_EQ(e.error().field, "customer_id");

  // The export's promoters, a page at a time.
  std::vector<std::string> promoters;
  ASSERT_TRUE(app_->reports()
                  .ExportPromoters(shop_.id, kNow - days{30}, kNow + days{30}, 0, 10,
                                   [&](const store::PromoterRow& p) {
                                     promoters.push_back(p.external_id);
                                     EXPECT_EQ(p.referrals, 1);
                                     EXPECT_EQ(p.revenue_minor, 12000);
                                     EXPECT_EQ(p.visits, 2);
                                   })
                  .ok());
  EXPECT_EQ(promoters, std::vector<std::string>{"anna"});
}

INSTANTIATE_TEST_SUITE_P(Stores, DashboardDataTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
