// Use cases against a real SQLite store, a fake clock and (for the worker) a real SMTP server.
#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"
#include "jobs/worker.h"
#include "support/smtp_sink.h"
#include "support/temp_dir.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::seconds;
using store::JobKind;

constexpr const char* kChrome =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const Instant kStart = FromUnixMillis(1'795'600'000'000);  // 2026-11-24T...

class AppTest : public ::testing::Test {
 protected:
  AppTest() : clock_(kStart) {}

  void SetUp() override {
    auto s = store::OpenStore("sqlite:" + dir_.File("vouch.db"));
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
    AppConfig config;
    config.public_url = "https://vouch.test";
    config.mail_from = "hello@trail.example";
    app_ = std::make_unique<App>(*store_, clock_, config, "test-secret");
    auto shop = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = shop->shop;
  }

  OrderInput Order(const std::string& id, const std::string& customer, Instant at) {
    return SampleOrder(id, customer, at);
  }

  IngestResult Ingest(const OrderInput& o) {
    auto r = app_->ingest().Order(shop_, o);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : IngestResult{};
  }

  store::Id SurveyOf(const std::string& order_id) {
    auto o = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop_.id, order_id); });
    EXPECT_TRUE(o.ok() && o->has_value() && (*o)->survey_id);
    return *(*o)->survey_id;
  }

  std::optional<store::Job> JobFor(JobKind kind, store::Id ref) {
    auto j = store_->Read<std::optional<store::Job>>(
        [&](store::ReadTx& tx) { return tx.jobs().Find(kind, ref, core::Channel::kEmail); });
    EXPECT_TRUE(j.ok());
    return j.ok() ? *j : std::nullopt;
  }

  core::NpsEstimate Overall() {
    auto r = app_->reports().Nps(shop_.id, kStart - days{30}, clock_.Now() + days{30}, Interval::kMonth,
                                 std::nullopt);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->overall : core::NpsEstimate{};
  }

  // A customer's survey, sent, then answered by a person a minute later.
  AnswerView Answer(const std::string& order, const std::string& customer, int score) {
    Ingest(Order(order, customer, clock_.Now()));
    const store::Id survey = SurveyOf(order);
    clock_.Advance(days{3} + seconds{1});
    EXPECT_TRUE(
        store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
    clock_.Advance(seconds{60});
    auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), score, "GET", kChrome);
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() ? *v : AnswerView{};
  }

  void SetSettings(const SettingsPatch& p) {
    auto s = app_->shops().UpdateSettings(shop_.id, p);
    ASSERT_TRUE(s.ok()) << s.error().message;
    shop_ = *s;
  }

  test::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<App> app_;
  store::Shop shop_;
};

// --- Shops -------------------------------------------------------------------------------------

TEST_F(AppTest, ApiKeyIsStoredHashedAndAuthenticates) {
  auto created = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->api_key.rfind("vk_", 0), 0u);
  EXPECT_GE(created->api_key.size(), 35u);
  auto by_key = store_->Read<std::optional<store::Shop>>(
      [&](store::ReadTx& tx) { return tx.shops().FindByKeyHash(created->api_key); });
  ASSERT_TRUE(by_key.ok());
  EXPECT_FALSE(by_key->has_value()) << "the raw key must not be stored";
  auto shop = app_->shops().Authenticate(created->api_key);
  ASSERT_TRUE(shop.ok());
  EXPECT_EQ(shop->id, created->shop.id);
  EXPECT_EQ(app_->shops().Authenticate("vk_wrong").error().code, Code::kUnauthenticated);
  EXPECT_EQ(app_->shops().Authenticate("").error().code, Code::kUnauthenticated);
}

// Authenticated shops are kept for ShopKeyCache::kTtl: this node's own changes show at once, a
// change made elsewhere (another node: here a second App on the same store) within the TTL.
TEST_F(AppTest, KnownKeysAreCachedBrieflyAndThisNodesChangesShowAtOnce) {
  auto created = app_->shops().Create("Other", "https://other.example");
  ASSERT_TRUE(created.ok());
  const std::string key = created->api_key;
  ASSERT_TRUE(app_->shops().Authenticate(key).ok());

  // Settings changed on this node: the next request sees them.
  SettingsPatch patch;
  patch.throttle_days = 45;
  ASSERT_TRUE(app_->shops().UpdateSettings(created->shop.id, patch).ok());
  auto fresh = app_->shops().Authenticate(key);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->settings.throttle_days, 45);

  // Changed on another node: seen once the entry is older than the TTL.
  App other(*store_, clock_, AppConfig{}, "test-secret");
  patch.throttle_days = 60;
  ASSERT_TRUE(other.shops().UpdateSettings(created->shop.id, patch).ok());
  EXPECT_EQ(app_->shops().Authenticate(key)->settings.throttle_days, 45);
  clock_.Advance(ShopKeyCache::kTtl);
  EXPECT_EQ(app_->shops().Authenticate(key)->settings.throttle_days, 60);

  // A key rotated on another node stops working here within the TTL...
  ASSERT_TRUE(other.shops().RotateApiKey(created->shop.id).ok());
  EXPECT_TRUE(app_->shops().Authenticate(key).ok());
  clock_.Advance(ShopKeyCache::kTtl);
  EXPECT_EQ(app_->shops().Authenticate(key).error().code, Code::kUnauthenticated);
  // ...and one rotated on this node at once.
  auto rotated = app_->shops().RotateApiKey(created->shop.id);
  ASSERT_TRUE(rotated.ok());
  ASSERT_TRUE(app_->shops().Authenticate(*rotated).ok());
  ASSERT_TRUE(app_->shops().RotateApiKey(created->shop.id).ok());
  EXPECT_EQ(app_->shops().Authenticate(*rotated).error().code, Code::kUnauthenticated);
}

// A look-up that read the shop before a change committed must not put the old shop back after
// the change dropped it (the race a request and a key rotation can run on one node).
TEST(ShopKeyCacheTest, AReadThatPredatesAForgetIsNotKept) {
  ShopKeyCache cache;
  store::Shop shop;
  shop.id = 7;
  const Instant now = FromUnixMillis(1'000'000);
  const uint64_t before = cache.Generation();
  cache.Forget(7);  // the rotation commits while the request is still reading
  cache.Put("hash", shop, now, before);
  EXPECT_FALSE(cache.Find("hash", now).has_value());
  cache.Put("hash", shop, now, cache.Generation());
  ASSERT_TRUE(cache.Find("hash", now).has_value());
  EXPECT_FALSE(cache.Find("hash", now + ShopKeyCache::kTtl).has_value());  // expired
}

TEST_F(AppTest, SettingsAreValidated) {
  SettingsPatch p;
  p.discount_kind = "bogus";
  auto r = app_->shops().UpdateSettings(shop_.id, p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "discount_kind");
  SettingsPatch q;
  q.landing_url = "https://trail.example/welcome";
  EXPECT_EQ(app_->shops().UpdateSettings(shop_.id, q).error().field, "landing_url");
  // Share links redirect from Vouch's domain: only to the shop's own host or its subdomains.
  for (const std::string elsewhere :
       {"https://evil.example/?c={code}", "https://trail.example.evil.example/{code}",
        "https://trail.example@evil.example/{code}", "https://{code}.evil.example/",
        "https://eviltrail.example/{code}"}) {
    SettingsPatch away;
    away.landing_url = elsewhere;
    auto refused = app_->shops().UpdateSettings(shop_.id, away);
    ASSERT_FALSE(refused.ok()) << elsewhere;
    EXPECT_EQ(refused.error().field, "landing_url") << elsewhere;
  }
  for (const std::string home : {"https://trail.example/f?c={code}", "https://WWW.Trail.Example:443/{code}",
                                 "https://shop.trail.example/friends/{code}"}) {
    SettingsPatch at_home;
    at_home.landing_url = home;
    EXPECT_TRUE(app_->shops().UpdateSettings(shop_.id, at_home).ok()) << home;
  }
  SettingsPatch ok;
  ok.survey_delay_seconds = 0;
  ok.currency = "CHF";
  auto done = app_->shops().UpdateSettings(shop_.id, ok);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->settings.survey_delay_seconds, 0);
  EXPECT_EQ(done->settings.currency, "CHF");
}

// --- Ingest ------------------------------------------------------------------------------------

TEST_F(AppTest, OrderSchedulesASurveyAfterTheDelayAndAReplayDoesNothingNew) {
  const auto first = Ingest(Order("1001", "c-1", kStart));
  EXPECT_TRUE(first.created);
  ASSERT_TRUE(first.survey.scheduled);
  EXPECT_EQ(first.survey.due_at, kStart + days{3});
  const auto again = Ingest(Order("1001", "c-1", kStart));
  EXPECT_FALSE(again.created);
  EXPECT_TRUE(again.survey.scheduled);
  EXPECT_EQ(again.survey.due_at, first.survey.due_at);
  auto counts = app_->outbox().Counts(shop_.id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 1);
}

TEST_F(AppTest, OrdersFromTheFutureAreRejected) {
  auto r = app_->ingest().Order(shop_, Order("f", "c-1", kStart + days{2}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "created_at");
  EXPECT_TRUE(app_->ingest().Order(shop_, Order("g", "c-1", kStart + hours{2})).ok()) << "small skew is fine";
}

TEST_F(AppTest, ThrottleSkipsASecondSurveyWithinTheWindow) {
  EXPECT_TRUE(Ingest(Order("1", "c-1", kStart)).survey.scheduled);
  clock_.Advance(days{10});
  const auto second = Ingest(Order("2", "c-1", clock_.Now()));
  EXPECT_FALSE(second.survey.scheduled);
  EXPECT_EQ(second.survey.skipped_reason, "throttled");
  clock_.Advance(days{91});
  EXPECT_TRUE(Ingest(Order("3", "c-1", clock_.Now())).survey.scheduled);
}

// A later order's newer contact data replaces what the store had, also when the order's survey
// is skipped (the customer is rewritten only when something changed), and a repeat changes
// nothing.
TEST_F(AppTest, LaterOrdersUpdateTheCustomersContactData) {
  Ingest(Order("1", "c-1", kStart));
  auto second = Order("2", "c-1", kStart + seconds{60});
  second.customer.first_name = "Anne";
  second.customer.email = "anne.new@example.com";
  EXPECT_EQ(Ingest(second).survey.skipped_reason, "throttled");
  auto third = second;
  third.external_id = "3";
  EXPECT_EQ(Ingest(third).survey.skipped_reason, "throttled");
  auto c = store_->Read<std::optional<store::Customer>>(
      [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, "c-1"); });
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->first_name, "Anne");
  EXPECT_EQ((*c)->email, "anne.new@example.com");
  ASSERT_TRUE((*c)->last_survey_at.has_value());  // set by the first order's survey
}

TEST_F(AppTest, NoEmailOrUnsubscribedOrTooOldMeansNoSurvey) {
  auto no_mail = Order("1", "c-1", kStart);
  no_mail.customer.email.clear();
  EXPECT_EQ(Ingest(no_mail).survey.skipped_reason, "no_channel");

  auto old = Order("2", "c-2", kStart - days{60});
  EXPECT_EQ(Ingest(old).survey.skipped_reason, "too_old");

  Ingest(Order("3", "c-3", kStart));
  auto customer = store_->Read<std::optional<store::Customer>>(
      [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, "c-3"); });
  ASSERT_TRUE(customer.ok() && customer->has_value());
  ASSERT_TRUE(app_->answers().Unsubscribe(app_->links().UnsubscribeToken((*customer)->id)).ok());
  clock_.Advance(days{100});
  EXPECT_EQ(Ingest(Order("4", "c-3", clock_.Now())).survey.skipped_reason, "unsubscribed");
}

TEST_F(AppTest, BatchIngestAnswersEachOrderAlone) {
  std::vector<OrderInput> batch = {Order("b1", "c-1", kStart), Order("b2", "c-2", kStart),
                                   Order("b1", "c-1", kStart)};
  auto results = app_->ingest().Batch(shop_, batch);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0].ok() && results[1].ok() && results[2].ok());
  EXPECT_TRUE(results[0]->created);
  EXPECT_TRUE(results[1]->created);
  EXPECT_FALSE(results[2]->created);  // the same order twice in one batch is stored once
}

// --- Answers -----------------------------------------------------------------------------------

TEST_F(AppTest, AnswerIsCountedAndCanBeChangedForAWeek) {
  auto v = Answer("1", "c-1", 6);
  EXPECT_EQ(v.survey.answer_state, store::AnswerState::kCounted);
  EXPECT_EQ(Overall().detractors, 1);
  clock_.Advance(days{2});
  auto changed = app_->answers().RecordClick(app_->links().SurveyToken(v.survey.id), 8, "GET", kChrome);
  ASSERT_TRUE(changed.ok());
  auto nps = Overall();
  EXPECT_EQ(nps.n, 1);
  EXPECT_EQ(nps.passives, 1);
  EXPECT_EQ(nps.detractors, 0);
  clock_.Advance(days{6});
  auto locked = app_->answers().RecordClick(app_->links().SurveyToken(v.survey.id), 0, "GET", kChrome);
  ASSERT_TRUE(locked.ok());
  EXPECT_TRUE(locked->locked);
  EXPECT_EQ(locked->survey.score, 8);
  EXPECT_EQ(Overall().passives, 1);
}

TEST_F(AppTest, ScannersAndHeadRequestsRecordNothing) {
  Ingest(Order("1", "c-1", kStart));
  const store::Id survey = SurveyOf("1");
  clock_.Advance(days{4});
  const std::string token = app_->links().SurveyToken(survey);
  auto head = app_->answers().RecordClick(token, 10, "HEAD", kChrome);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->verdict, core::ClickVerdict::kIgnore);
  auto scanner =
      app_->answers().RecordClick(token, 10, "GET", "Mozilla/5.0 (compatible; Barracuda Sentinel)");
  ASSERT_TRUE(scanner.ok());
  EXPECT_EQ(scanner->verdict, core::ClickVerdict::kIgnore);
  EXPECT_FALSE(scanner->survey.score.has_value());
  EXPECT_EQ(Overall().n, 0);
  EXPECT_FALSE(JobFor(JobKind::kActivation, 1).has_value());
}

TEST_F(AppTest, ABurstOverSeveralLinksWithdrawsTheAnswerUntilConfirmed) {
  Ingest(Order("1", "c-1", kStart));
  const store::Id survey = SurveyOf("1");
  clock_.Advance(days{4});
  const std::string token = app_->links().SurveyToken(survey);
  auto first = app_->answers().RecordClick(token, 10, "GET", kChrome);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->survey.answer_state, store::AnswerState::kCounted);
  ASSERT_TRUE(first->code.has_value());
  EXPECT_EQ(Overall().n, 1);
  clock_.Advance(Millis{300});
  auto second = app_->answers().RecordClick(token, 0, "GET", kChrome);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->survey.answer_state, store::AnswerState::kSuspect);
  EXPECT_EQ(Overall().n, 0) << "a burst must withdraw the answer counted just before it";

  // The held activation is moot now: the worker would skip it.
  auto job = JobFor(JobKind::kActivation, first->code->id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->run_at, kStart + days{4} + core::kBurstWindow);
  auto message = app_->messages().Build(*job);
  ASSERT_TRUE(message.ok());
  EXPECT_FALSE(message->message.has_value());

  // The person confirms on the page: counted, and the activation goes out at once.
  clock_.Advance(seconds{20});
  auto confirmed = app_->answers().Confirm(token, 9);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->survey.answer_state, store::AnswerState::kConfirmed);
  auto nps = Overall();
  EXPECT_EQ(nps.n, 1);
  EXPECT_EQ(nps.promoters, 1);
  EXPECT_EQ(JobFor(JobKind::kActivation, first->code->id)->run_at, clock_.Now());
  auto now_message = app_->messages().Build(*JobFor(JobKind::kActivation, first->code->id));
  ASSERT_TRUE(now_message.ok());
  EXPECT_TRUE(now_message->message.has_value());
}

TEST_F(AppTest, AClickTooSoonAfterSendingIsSuspect) {
  Ingest(Order("1", "c-1", kStart));
  const store::Id survey = SurveyOf("1");
  clock_.Advance(days{3});
  ASSERT_TRUE(
      store_->Write<Ok>([&](store::Tx& tx) { return tx.surveys().MarkSent(survey, clock_.Now()); }).ok());
  clock_.Advance(Millis{500});
  auto v = app_->answers().RecordClick(app_->links().SurveyToken(survey), 10, "GET", kChrome);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->survey.answer_state, store::AnswerState::kSuspect);
  EXPECT_FALSE(v->code.has_value());
  EXPECT_EQ(Overall().n, 0);
}

TEST_F(AppTest, PromoterGetsAPersonalCodeOnceAndAHeldActivation) {
  auto v = Answer("1", "c-1", 10);
  ASSERT_TRUE(v.code.has_value());
  EXPECT_EQ(v.code->code.rfind("ANNA-", 0), 0u);
  EXPECT_EQ(v.share.share_url, "https://vouch.test/r/" + v.code->code);
  EXPECT_NE(v.share.whatsapp_url.find("https%3A%2F%2Fvouch.test%2Fr%2F" + v.code->code), std::string::npos);
  EXPECT_NE(v.offer_text.find("15%"), std::string::npos);
  clock_.Advance(seconds{30});  // outside the burst window: a person changing their mind
  auto again = app_->answers().RecordClick(app_->links().SurveyToken(v.survey.id), 9, "GET", kChrome);
  ASSERT_TRUE(again.ok() && again->code.has_value());
  EXPECT_EQ(again->code->code, v.code->code);
  auto job = JobFor(JobKind::kActivation, v.code->id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->status, store::JobStatus::kPending);
}

TEST_F(AppTest, TamperedOrUnknownTokensAreNotFound) {
  auto v = Answer("1", "c-1", 7);
  std::string token = app_->links().SurveyToken(v.survey.id);
  token[token.size() - 1] = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(app_->answers().RecordClick(token, 9, "GET", kChrome).error().code, Code::kNotFound);
  EXPECT_EQ(app_->answers().RecordClick("nonsense", 9, "GET", kChrome).error().code, Code::kNotFound);
  EXPECT_EQ(app_->answers().RecordClick(app_->links().SurveyToken(999), 9, "GET", kChrome).error().code,
            Code::kNotFound);
  // A survey token does not work as an unsubscribe token and vice versa.
  EXPECT_EQ(app_->answers().Unsubscribe(app_->links().SurveyToken(v.survey.id)).error().code,
            Code::kNotFound);
  EXPECT_EQ(
      app_->answers().RecordClick(app_->links().SurveyToken(v.survey.id), 11, "GET", kChrome).error().code,
      Code::kInvalidArgument);
}

TEST_F(AppTest, CommentIsSavedForFollowUp) {
  auto v = Answer("1", "c-1", 3);
  ASSERT_TRUE(app_->answers().SaveComment(app_->links().SurveyToken(v.survey.id), "Shoes arrived late").ok());
  auto rows =
      app_->reports().Responses(shop_.id, kStart - days{1}, clock_.Now() + days{1}, "detractor", 0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].comment, "Shoes arrived late");
  EXPECT_EQ((*rows)[0].score, 3);
  auto promoters =
      app_->reports().Responses(shop_.id, kStart - days{1}, clock_.Now() + days{1}, "promoter", 0, 10);
  ASSERT_TRUE(promoters.ok());
  EXPECT_TRUE(promoters->empty());
  EXPECT_EQ(app_->answers()
                .SaveComment(app_->links().SurveyToken(v.survey.id), std::string(2001, 'x'))
                .error()
                .field,
            "comment");
}

// --- Attribution -------------------------------------------------------------------------------

class AttributionTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    SettingsPatch no_hold;  // rewards released at once (app/rewards_test.cc holds them)
    no_hold.reward_hold_seconds = 0;
    auto s = app_->shops().UpdateSettings(shop_.id, no_hold);
    ASSERT_TRUE(s.ok());
    shop_ = *s;
    auto v = Answer("p-1", "promoter", 10);
    ASSERT_TRUE(v.code.has_value());
    code_ = v.code->code;
  }
  OrderInput Friend(const std::string& id, const std::string& customer) {
    auto o = Order(id, customer, clock_.Now());
    o.discount_codes = {code_};
    o.total_minor = 12000;
    return o;
  }
  std::string code_;
};

TEST_F(AttributionTest, QualifiedReferralIssuesARewardAndItsMail) {
  auto r = Ingest(Friend("f-1", "friend"));
  ASSERT_TRUE(r.referral.has_value());
  EXPECT_EQ(r.referral->status, core::ReferralVerdict::kQualified);
  EXPECT_EQ(r.referral->code, code_);
  EXPECT_EQ(r.referral->reward_code.rfind("THANKS-", 0), 0u);
  auto promoters = app_->reports().Promoters(shop_.id, kStart - days{1}, clock_.Now() + days{1}, 10);
  ASSERT_TRUE(promoters.ok() && !promoters->empty());
  EXPECT_EQ((*promoters)[0].referrals, 1);
  EXPECT_EQ((*promoters)[0].revenue_minor, 12000);
  EXPECT_EQ((*promoters)[0].reward_cost_minor, 1000);
  auto replay = Ingest(Friend("f-1", "friend"));
  EXPECT_FALSE(replay.created);
  ASSERT_TRUE(replay.referral.has_value());
  EXPECT_EQ(replay.referral->reward_code, r.referral->reward_code);
}

TEST_F(AttributionTest, ABatchIsAttributedAsItsOrdersTakenInTurn) {
  // The friend's first order (no code) and a later one with the code, in one batch: the coded
  // order must see the first, as it would one request after the other.
  auto first = Order("f-0", "friend", clock_.Now() - hours{1});
  auto results = app_->ingest().Batch(shop_, {first, Friend("f-1", "friend")});
  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].ok() && results[1].ok());
  EXPECT_FALSE(results[0]->referral.has_value());
  ASSERT_TRUE(results[1]->referral.has_value());
  EXPECT_EQ(results[1]->referral->status, core::ReferralVerdict::kExistingCustomer);
  EXPECT_TRUE(results[1]->referral->reward_code.empty());
}

TEST_F(AttributionTest, CodesMatchWhateverTheCaseAndSpacing) {
  auto o = Friend("f-1", "friend");
  std::string messy = " " + code_ + " ";
  for (auto& c : messy) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  o.discount_codes = {"SUMMER10", messy};
  auto r = Ingest(o);
  ASSERT_TRUE(r.referral.has_value());
  EXPECT_EQ(r.referral->status, core::ReferralVerdict::kQualified);
}

TEST_F(AttributionTest, SelfReferralIsRejectedByIdEmailOrPhone) {
  auto same_id = Friend("f-1", "promoter");
  EXPECT_EQ(Ingest(same_id).referral->status, core::ReferralVerdict::kSelfReferral);
  auto same_email = Friend("f-2", "alias");
  same_email.customer.email = "promoter@example.com";
  EXPECT_EQ(Ingest(same_email).referral->status, core::ReferralVerdict::kSelfReferral);
  auto rewards = app_->reports().Funnel(shop_.id, kStart - days{1}, clock_.Now() + days{1});
  ASSERT_TRUE(rewards.ok());
  EXPECT_EQ(rewards->rewards, 0);
  EXPECT_EQ(rewards->referred_orders, 0);
}

TEST_F(AttributionTest, ExpiredAndUsedUpCodesAreRejected) {
  SettingsPatch p;
  p.code_max_uses = 1;
  SetSettings(p);
  // max_uses is fixed on a code when issued: a new promoter gets the new limit.
  auto v = Answer("p-2", "promoter2", 9);
  ASSERT_TRUE(v.code.has_value());
  auto first = Order("f-1", "friend1", clock_.Now());
  first.discount_codes = {v.code->code};
  EXPECT_EQ(Ingest(first).referral->status, core::ReferralVerdict::kQualified);
  auto second = Order("f-2", "friend2", clock_.Now());
  second.discount_codes = {v.code->code};
  EXPECT_EQ(Ingest(second).referral->status, core::ReferralVerdict::kUsedUp);

  clock_.Advance(days{366});
  EXPECT_EQ(Ingest(Friend("f-3", "friend3")).referral->status, core::ReferralVerdict::kExpired);
}

TEST_F(AttributionTest, ExistingCustomersAreNotReferrals) {
  Ingest(Order("old-1", "regular", clock_.Now()));
  clock_.Advance(days{1});
  EXPECT_EQ(Ingest(Friend("f-1", "regular")).referral->status, core::ReferralVerdict::kExistingCustomer);
}

TEST_F(AttributionTest, ShareVisitIsCountedAndLandsOnTheShop) {
  auto to = app_->shares().Visit(code_, "203.0.113.1");
  ASSERT_TRUE(to.ok());
  EXPECT_EQ(*to, "https://trail.example?discount=" + code_);
  SettingsPatch p;
  p.landing_url = "https://trail.example/friends?c={code}&src=vouch";
  SetSettings(p);
  EXPECT_EQ(*app_->shares().Visit(code_, "203.0.113.2"),
            "https://trail.example/friends?c=" + code_ + "&src=vouch");
  EXPECT_EQ(app_->shares().Visit("NOPE-0000", "203.0.113.1").error().code, Code::kNotFound);
  app_->WaitForAsync();  // visits are written in sets, after the answer
  auto f = app_->reports().Funnel(shop_.id, kStart - days{1}, clock_.Now() + days{1});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->share_visits, 2);
}

// A burst from one client counts one visit per code per day: it cannot move a promoter's count.
TEST_F(AttributionTest, ABurstOfVisitsFromOneClientCountsOncePerDay) {
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(app_->shares().Visit(code_, "198.51.100.7").ok());
  ASSERT_TRUE(app_->shares().Visit(code_, "198.51.100.8").ok());
  clock_.Advance(std::chrono::hours{25});
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(app_->shares().Visit(code_, "198.51.100.7").ok());
  app_->WaitForAsync();
  auto f = app_->reports().Funnel(shop_.id, kStart - days{1}, clock_.Now() + days{1});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->share_visits, 3);
}

// --- Reports -----------------------------------------------------------------------------------

TEST_F(AppTest, NpsBucketsFollowCalendarWeeksAndMonths) {
  Answer("1", "c-1", 10);  // answered on 2026-11-27 (a Friday)
  auto r = app_->reports().Nps(shop_.id, DayStart(DayNumber(kStart) - 40), DayStart(DayNumber(kStart) + 20),
                               Interval::kWeek, std::nullopt);
  ASSERT_TRUE(r.ok());
  for (const auto& b : r->buckets) {
    const int64_t weekday = (DayNumber(b.start) + 3) % 7;  // 0 = Monday
    if (&b != &r->buckets.front()) {
      EXPECT_EQ(weekday, 0) << FormatRfc3339(b.start);
    }
  }
  int64_t total = 0;
  for (const auto& b : r->buckets) total += b.estimate.n;
  EXPECT_EQ(total, 1);
  EXPECT_EQ(r->overall.nps, 100);
  auto month = app_->reports().Nps(shop_.id, DayStart(DayNumber(kStart) - 40),
                                   DayStart(DayNumber(kStart) + 20), Interval::kMonth, std::nullopt);
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->buckets.size(), 3u);  // October, November, December
  auto shoes = app_->reports().Nps(shop_.id, kStart - days{5}, kStart + days{10}, Interval::kDay,
                                   std::string("shoes"));
  auto tents = app_->reports().Nps(shop_.id, kStart - days{5}, kStart + days{10}, Interval::kDay,
                                   std::string("tents"));
  ASSERT_TRUE(shoes.ok() && tents.ok());
  EXPECT_EQ(shoes->overall.n, 1);
  EXPECT_EQ(tents->overall.n, 0);
  EXPECT_EQ(ParseInterval("year").error().field, "interval");
}

// Answers put straight into the rollup: `pro` tens, `pas` sevens and `det` zeros on `day`.
void Seed(store::Store& store, store::Id shop, int64_t day, const std::string& segment, int64_t pro,
          int64_t pas, int64_t det) {
  ASSERT_TRUE(store
                  .Write<Ok>([&](store::Tx& tx) -> Status {
                    if (pro) VOUCH_TRY(tx.surveys().AddToRollup(shop, day, segment, 10, pro));
                    if (pas) VOUCH_TRY(tx.surveys().AddToRollup(shop, day, segment, 7, pas));
                    if (det) VOUCH_TRY(tx.surveys().AddToRollup(shop, day, segment, 0, det));
                    return OkStatus();
                  })
                  .ok());
}

core::ScoreCounts Counts(int64_t pro, int64_t pas, int64_t det) {
  core::ScoreCounts c;
  c.Add(core::Score{10}, pro);
  c.Add(core::Score{7}, pas);
  c.Add(core::Score{0}, det);
  return c;
}

// Each bucket is compared with the last bucket before it that has answers; each segment with the
// rest of the shop; both exactly as core::CompareNps compares the same counts.
TEST_F(AppTest, NpsMarksSignificantChangesAndSegments) {
  const int64_t d0 = DayNumber(kStart);
  Seed(*store_, shop_.id, d0, "shoes", 50, 30, 20);      // NPS 30
  Seed(*store_, shop_.id, d0 + 2, "shoes", 30, 30, 40);  // NPS −10: a significant drop after an empty day
  Seed(*store_, shop_.id, d0 + 3, "shoes", 30, 30, 40);  // the same again: no change
  Seed(*store_, shop_.id, d0 + 3, "tents", 90, 5, 5);
  auto plain = app_->reports().Nps(shop_.id, DayStart(d0), DayStart(d0 + 4), Interval::kDay, std::nullopt);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->buckets[2].vs_previous) << "marks only when asked for";
  EXPECT_TRUE(plain->segments.empty());
  auto r = app_->reports().Nps(shop_.id, DayStart(d0), DayStart(d0 + 4), Interval::kDay, std::nullopt, true);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->buckets.size(), 4u);
  EXPECT_FALSE(r->buckets[0].vs_previous) << "nothing before the first bucket";
  EXPECT_FALSE(r->buckets[1].vs_previous) << "an empty bucket is not compared";
  ASSERT_TRUE(r->buckets[2].vs_previous);
  const auto drop = core::CompareNps(Counts(50, 30, 20), Counts(30, 30, 40));
  EXPECT_DOUBLE_EQ(r->buckets[2].vs_previous->p_value, drop.p_value);
  EXPECT_DOUBLE_EQ(r->buckets[2].vs_previous->difference, -40.0);
  EXPECT_TRUE(r->buckets[2].vs_previous->significant);
  ASSERT_TRUE(r->buckets[3].vs_previous);
  const auto day3 = core::CompareNps(Counts(30, 30, 40), Counts(120, 35, 45));
  EXPECT_DOUBLE_EQ(r->buckets[3].vs_previous->p_value, day3.p_value);
  EXPECT_FALSE(r->vs_rest) << "no segment asked for";
  ASSERT_EQ(r->segments.size(), 2u);
  EXPECT_EQ(r->segments[0].segment, "shoes");
  const auto shoes = core::CompareNps(Counts(90, 5, 5), Counts(110, 90, 100));
  EXPECT_DOUBLE_EQ(r->segments[0].vs_rest.p_value, shoes.p_value);
  EXPECT_EQ(r->segments[0].vs_rest.b.n, 300);
  EXPECT_TRUE(r->segments[0].vs_rest.significant);
  EXPECT_EQ(r->segments[1].segment, "tents");
  EXPECT_EQ(r->segments[1].vs_rest.a.n, 300) << "the rest of the shop is every other segment";
  auto tents = app_->reports().Nps(shop_.id, DayStart(d0), DayStart(d0 + 4), Interval::kDay,
                                   std::string("tents"), true);
  ASSERT_TRUE(tents.ok());
  ASSERT_TRUE(tents->vs_rest);
  EXPECT_EQ(tents->vs_rest->b.n, 100);
  EXPECT_EQ(tents->vs_rest->a.n, 300);
  EXPECT_NEAR(tents->vs_rest->difference, 85.0 - 100.0 * 10 / 300, 1e-9);  // tents 85, the rest +3.3
}

TEST_F(AppTest, CompareNpsReadsBothSidesAndNamesABadRange) {
  const int64_t d0 = DayNumber(kStart);
  Seed(*store_, shop_.id, d0, "shoes", 50, 30, 20);
  Seed(*store_, shop_.id, d0 + 10, "shoes", 40, 30, 30);
  Seed(*store_, shop_.id, d0 + 10, "tents", 5, 0, 0);
  auto c =
      app_->reports().CompareNps(shop_.id, {DayStart(d0), DayStart(d0 + 1), std::nullopt, std::nullopt},
                                 {DayStart(d0 + 10), DayStart(d0 + 11), std::string("shoes"), std::nullopt});
  ASSERT_TRUE(c.ok()) << c.error().message;
  const auto expected = core::CompareNps(Counts(50, 30, 20), Counts(40, 30, 30));
  EXPECT_EQ(c->result.a.n, 100);
  EXPECT_EQ(c->result.b.n, 100) << "only shoes on the B side";
  EXPECT_DOUBLE_EQ(c->result.p_value, expected.p_value);
  EXPECT_EQ(c->b.segment, "shoes");
  auto bad =
      app_->reports().CompareNps(shop_.id, {DayStart(d0 + 1), DayStart(d0), std::nullopt, std::nullopt},
                                 {DayStart(d0), DayStart(d0 + 1), std::nullopt, std::nullopt});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "a_to");
}

TEST(IntervalTest, NamesParseBackAndNothingElseParses) {
  for (Interval i : {Interval::kDay, Interval::kWeek, Interval::kMonth}) {
    auto parsed = ParseInterval(IntervalName(i));
    ASSERT_TRUE(parsed.ok()) << IntervalName(i);
    EXPECT_EQ(*parsed, i);
  }
  EXPECT_STREQ(IntervalName(Interval::kDay), "day");
  EXPECT_STREQ(IntervalName(Interval::kWeek), "week");
  EXPECT_STREQ(IntervalName(Interval::kMonth), "month");
  for (const char* bad : {"", "year", "Week", "days", " day", "day "}) {
    auto parsed = ParseInterval(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, Code::kInvalidArgument);
    EXPECT_EQ(parsed.error().field, "interval");
    EXPECT_EQ(parsed.error().message, "must be day, week or month");
  }
}

TEST_F(AppTest, ExportAndEraseCustomerData) {
  auto v = Answer("1", "c-1", 3);
  ASSERT_TRUE(app_->answers().SaveComment(app_->links().SurveyToken(v.survey.id), "too slow").ok());
  auto e = app_->privacy().Export(shop_.id, "c-1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->customer.email, "c-1@example.com");
  EXPECT_EQ(e->orders.size(), 1u);
  ASSERT_EQ(e->surveys.size(), 1u);
  EXPECT_EQ(e->surveys[0].comment, "too slow");
  ASSERT_TRUE(app_->privacy().Erase(shop_.id, "c-1").ok());
  EXPECT_EQ(app_->privacy().Export(shop_.id, "c-1").error().code, Code::kNotFound);
  auto rows = app_->reports().Responses(shop_.id, kStart - days{1}, clock_.Now() + days{1}, "", 0, 10);
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  EXPECT_EQ((*rows)[0].email, "");
  EXPECT_EQ((*rows)[0].comment, "");
  EXPECT_EQ(Overall().n, 1) << "the anonymous answer still counts";
}

// --- Worker with a real SMTP server ------------------------------------------------------------

class WorkerTest : public AppTest {
 protected:
  void SetUpWorker(test::SmtpSink& sink) {
    jobs::WorkerOptions o;
    o.retry_base = seconds{30};
    worker_ = std::make_unique<jobs::Worker>(*app_, nullptr, o);
    delivery::SmtpConfig smtp;
    smtp.url = sink.url();
    smtp.timeout_seconds = 5;
    mailer_ = delivery::MakeSmtpMailer(smtp, clock_);
  }
  std::unique_ptr<jobs::Worker> worker_;
  std::unique_ptr<delivery::Mailer> mailer_;
};

TEST_F(WorkerTest, SendsDueSurveysOnceWithUnsubscribeHeaders) {
  test::SmtpSink sink;
  SetUpWorker(sink);
  Ingest(Order("1", "c-1", kStart));
  Ingest(Order("2", "c-2", kStart));
  EXPECT_EQ(worker_->RunOnce(*mailer_), 0) << "not due yet";
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 2);
  EXPECT_EQ(worker_->RunOnce(*mailer_), 0);
  auto messages = sink.WaitForMessages(2);
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    EXPECT_NE(m.find("List-Unsubscribe: <https://vouch.test/u/"), std::string::npos);
    EXPECT_NE(m.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), std::string::npos);
    EXPECT_NE(m.find("Message-ID: <vouch.survey."), std::string::npos);
  }
  auto survey = store_->Read<std::optional<store::Survey>>(
      [&](store::ReadTx& tx) { return tx.surveys().Get(SurveyOf("1")); });
  ASSERT_TRUE(survey.ok() && survey->has_value());
  EXPECT_EQ((*survey)->status, store::SurveyStatus::kSent);
}

TEST_F(WorkerTest, PermanentRejectionFailsTheJobVisibly) {
  test::SmtpSink::Options o;
  o.rcpt_reply = 550;
  test::SmtpSink sink(o);
  SetUpWorker(sink);
  Ingest(Order("1", "c-1", kStart));
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 1);
  auto jobs = app_->outbox().List(shop_.id, store::JobStatus::kFailed, 10);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_NE((*jobs)[0].last_error.find("550"), std::string::npos) << (*jobs)[0].last_error;
  clock_.Advance(days{1});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 0) << "a failed job is not retried";
}

TEST_F(WorkerTest, ServerDownIsRetriedWithBackoffAndNothingIsLost) {
  test::SmtpSink sink;
  SetUpWorker(sink);
  Ingest(Order("1", "c-1", kStart));
  clock_.Advance(days{3});
  sink.Stop();
  EXPECT_EQ(worker_->RunOnce(*mailer_), 1);
  auto pending = app_->outbox().List(shop_.id, store::JobStatus::kPending, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].run_at, clock_.Now() + seconds{30});
  EXPECT_FALSE((*pending)[0].last_error.empty());
  clock_.Advance(seconds{10});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 0) << "waits for its backoff";
  sink.Restart();
  clock_.Advance(seconds{25});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 1);
  EXPECT_EQ(sink.WaitForMessages(1).size(), 1u);
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->done, 1);
}

TEST_F(WorkerTest, ACrashedWorkersJobIsResentAfterItsLeaseWithTheSameMessageId) {
  test::SmtpSink sink;
  SetUpWorker(sink);
  Ingest(Order("1", "c-1", kStart));
  clock_.Advance(days{3});
  // Another worker claimed the job and died before recording anything.
  auto claimed = store_->Write<std::vector<store::Job>>(
      [&](store::Tx& tx) { return tx.jobs().Claim(clock_.Now(), Millis{60'000}, 10); });
  ASSERT_TRUE(claimed.ok() && claimed->size() == 1);
  auto first = app_->messages().Build((*claimed)[0]);
  EXPECT_EQ(worker_->RunOnce(*mailer_), 0) << "still leased";
  clock_.Advance(seconds{61});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 1);
  auto messages = sink.WaitForMessages(1);
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_TRUE(first.ok() && first->message);
  EXPECT_NE(messages[0].find("Message-ID: " + delivery::MessageIdOf(*first->message)), std::string::npos);
}

TEST_F(WorkerTest, AnUnsubscribeBeforeSendingSkipsTheSurvey) {
  test::SmtpSink sink;
  SetUpWorker(sink);
  Ingest(Order("1", "c-1", kStart));
  auto customer = store_->Read<std::optional<store::Customer>>(
      [&](store::ReadTx& tx) { return tx.customers().Find(shop_.id, "c-1"); });
  ASSERT_TRUE(app_->answers().Unsubscribe(app_->links().UnsubscribeToken((*customer)->id)).ok());
  clock_.Advance(days{3});
  EXPECT_EQ(worker_->RunOnce(*mailer_), 1);
  EXPECT_EQ(app_->outbox().Counts(shop_.id)->skipped, 1);
  EXPECT_TRUE(sink.Messages().empty());
}

}  // namespace
}  // namespace vouch::app
