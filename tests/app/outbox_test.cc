// The use cases the workers, /healthz and the tools reach the store through: the outbox (claim,
// outcomes, listing), App::Health, and the links' tokens.
#include <gtest/gtest.h>

#include "app/app.h"
#include "app/store_app_test.h"

namespace vouch::app {
namespace {

using std::chrono::minutes;

const Instant kNow = FromUnixMillis(1'795'600'000'000);

class OutboxTest : public StoreAppTest {
 protected:
  OutboxTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped()) return;
    auto created = app_->shops().Create("Trail Shop", "https://trail.example");
    ASSERT_TRUE(created.ok()) << created.error().message;
    SettingsPatch now;
    now.survey_delay_seconds = 0;
    auto shop = app_->shops().UpdateSettings(created->shop.id, now);
    ASSERT_TRUE(shop.ok()) << shop.error().message;
    shop_ = *shop;
  }

  // Ingests orders by `n` customers and claims their survey jobs (due at once).
  std::vector<store::Job> ClaimSurveys(int n) {
    for (int i = 0; i < n; ++i) {
      auto r =
          app_->ingest().Order(shop_, SampleOrder("o-" + std::to_string(i), "c-" + std::to_string(i), kNow));
      EXPECT_TRUE(r.ok() && r->survey.scheduled);
    }
    auto claimed = app_->outbox().Claim(kNow, Millis{60'000}, 100, 5);
    EXPECT_TRUE(claimed.ok());
    return claimed.ok() ? *claimed : std::vector<store::Job>{};
  }

  store::Survey SurveyOf(const store::Job& job) {
    auto s = store_->Read<std::optional<store::Survey>>(
        [&](store::ReadTx& tx) { return tx.surveys().Get(job.ref_id); });
    EXPECT_TRUE(s.ok() && s->has_value());
    return s.ok() && s->has_value() ? **s : store::Survey{};
  }

  store::Job Reloaded(const store::Job& job) {
    auto jobs = app_->outbox().List(shop_.id, std::nullopt, 100);
    EXPECT_TRUE(jobs.ok());
    for (const auto& j : *jobs) {
      if (j.id == job.id) return j;
    }
    ADD_FAILURE() << "job " << job.id << " not listed";
    return {};
  }

  store::Shop shop_;
};

TEST_P(OutboxTest, OutcomesFinishTheJobAndMarkItsSurvey) {
  auto jobs = ClaimSurveys(3);
  ASSERT_EQ(jobs.size(), 3u);
  auto again = app_->outbox().Claim(kNow, Millis{60'000}, 100, 5);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty()) << "claimed jobs are leased";

  ASSERT_TRUE(app_->outbox().RecordSent(jobs[0], kNow).ok());
  EXPECT_EQ(Reloaded(jobs[0]).status, store::JobStatus::kDone);
  EXPECT_EQ(SurveyOf(jobs[0]).status, store::SurveyStatus::kSent);
  EXPECT_EQ(SurveyOf(jobs[0]).sent_at, kNow);

  ASSERT_TRUE(app_->outbox().RecordRefused(jobs[1], "550 no such user", kNow).ok());
  EXPECT_EQ(Reloaded(jobs[1]).status, store::JobStatus::kFailed);
  EXPECT_EQ(Reloaded(jobs[1]).last_error, "550 no such user");
  EXPECT_EQ(SurveyOf(jobs[1]).status, store::SurveyStatus::kFailed);

  ASSERT_TRUE(app_->outbox().Retry(jobs[2], kNow + minutes{5}, "421 try later").ok());
  EXPECT_EQ(Reloaded(jobs[2]).status, store::JobStatus::kPending);
  EXPECT_EQ(Reloaded(jobs[2]).run_at, kNow + minutes{5});
  auto next = app_->outbox().NextDue();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, std::optional<Instant>(kNow + minutes{5}));

  auto counts = app_->outbox().Counts(shop_.id);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->done, 1);
  EXPECT_EQ(counts->failed, 1);
  EXPECT_EQ(counts->pending, 1);

  ASSERT_TRUE(app_->outbox().Finish(jobs[2], store::JobStatus::kSkipped, "customer unsubscribed", kNow).ok());
  EXPECT_EQ(Reloaded(jobs[2]).status, store::JobStatus::kSkipped);
  EXPECT_EQ(SurveyOf(jobs[2]).status, store::SurveyStatus::kScheduled)
      << "a skipped job leaves its survey alone";
}

TEST_P(OutboxTest, ListClampsItsLimitAndListAllDoesNot) {
  ClaimSurveys(2);
  auto one = app_->outbox().List(shop_.id, std::nullopt, 0);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u) << "a limit below 1 is 1";
  auto none = app_->outbox().ListAll(shop_.id, std::nullopt, 0);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto both = app_->outbox().ListAll(shop_.id, store::JobStatus::kRunning, 10);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->size(), 2u);
}

TEST_P(OutboxTest, HealthNamesTheStore) {
  const HealthInfo h = app_->Health();
  EXPECT_EQ(h.store_kind, GetParam());
  EXPECT_GE(h.schema_version, 1);
}

TEST_P(OutboxTest, LinksVerifyTheirOwnTokensOfTheirOwnKindOnly) {
  const Links& links = app_->links();
  auto survey = links.VerifySurveyToken(links.SurveyToken(42));
  ASSERT_TRUE(survey.ok());
  EXPECT_EQ(*survey, 42);
  EXPECT_EQ(links.VerifyUnsubscribeToken(links.SurveyToken(42)).error().code, Code::kNotFound);
  EXPECT_EQ(links.VerifySurveyToken(links.UnsubscribeToken(42)).error().code, Code::kNotFound);
  App other(*store_, clock_, AppConfig{"https://other.test/", "x@other.test"}, "another-secret");
  EXPECT_EQ(other.links().VerifySurveyToken(links.SurveyToken(42)).error().code, Code::kNotFound);
  EXPECT_EQ(other.links().AnswerUrl(7, 9), "https://other.test/s/" + other.links().SurveyToken(7) + "/9");
  EXPECT_EQ(other.config().public_url, "https://other.test");
}

INSTANTIATE_TEST_SUITE_P(Stores, OutboxTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
