// One message budget (issue 11): no customer gets more than the shop's max_messages marketing
// messages (surveys, activation mails) in budget_days, across kinds and channels; a message over
// it is skipped with "over_budget", listed in the jobs and counted by the funnel; reward mails
// never count and are never skipped for it.
#include <gtest/gtest.h>

#include "app/promoter_fixture.h"
#include "core/budget.h"
#include "delivery/sender.h"
#include "jobs/worker.h"

namespace vouch::app {
namespace {

using std::chrono::days;

// Remembers the recipients of what it is given; accepts everything.
class Recorder final : public delivery::Sender {
 public:
  explicit Recorder(std::shared_ptr<std::vector<std::string>> to) : to_(std::move(to)) {}
  core::Channel channel() const override { return core::Channel::kEmail; }
  delivery::SendResult Send(const delivery::Message& message) override {
    if (const auto* m = std::get_if<delivery::MailMessage>(&message)) to_->push_back(m->subject);
    return {delivery::SendOutcome::kSent, "250 ok"};
  }

 private:
  std::shared_ptr<std::vector<std::string>> to_;
};

class BudgetTest : public PromoterFixture {
 protected:
  void SetUp() override {
    PromoterFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    senders_.Set(std::make_unique<Recorder>(sent_));
    worker_ = std::make_unique<jobs::Worker>(*app_, nullptr, jobs::WorkerOptions{});
  }

  // Runs every due job; returns how many were claimed.
  int Drain() {
    int n = 0;
    while (int k = worker_->RunOnce(senders_)) n += k;
    return n;
  }

  store::Job Only(store::JobKind kind) {
    auto jobs = JobsOf(kind);
    EXPECT_EQ(jobs.size(), 1u);
    return jobs.empty() ? store::Job{} : jobs.front();
  }

  std::shared_ptr<std::vector<std::string>> sent_ = std::make_shared<std::vector<std::string>>();
  delivery::Senders senders_;
  std::unique_ptr<jobs::Worker> worker_;
};

TEST_P(BudgetTest, TheDefaultsAreThreeMessagesInThirtyDays) {
  EXPECT_EQ(shop_.settings.max_messages, 3);
  EXPECT_EQ(shop_.settings.budget_days, 30);
  SettingsPatch bad;
  bad.max_messages = -1;
  auto r = app_->shops().UpdateSettings(shop_.id, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "max_messages");
  bad = {};
  bad.budget_days = 0;
  r = app_->shops().UpdateSettings(shop_.id, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "budget_days");
}

TEST_P(BudgetTest, AnActivationAfterTheBudgetIsSkippedAcrossKinds) {
  SettingsPatch one;
  one.max_messages = 1;
  Set(one);
  // Anna's survey mail and her activation mail are both due: the survey goes first (older job).
  EXPECT_EQ(Drain(), 2);
  ASSERT_EQ(sent_->size(), 1u);
  EXPECT_EQ(Only(store::JobKind::kSurvey).status, store::JobStatus::kDone);
  const store::Job activation = Only(store::JobKind::kActivation);
  EXPECT_EQ(activation.status, store::JobStatus::kSkipped);
  EXPECT_EQ(activation.last_error, core::kOverBudget);

  auto funnel = app_->reports().Funnel(shop_.id, Start(), clock_.Now() + days{1});
  ASSERT_TRUE(funnel.ok()) << funnel.error().message;
  EXPECT_EQ(funnel->over_budget, 1);
  auto listed = app_->outbox().List(shop_.id, store::JobStatus::kSkipped, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().last_error, "over_budget");
}

TEST_P(BudgetTest, TheWindowMovesOnAndZeroMeansNoBudget) {
  SettingsPatch one;
  one.max_messages = 1;
  one.budget_days = 30;
  Set(one);
  const store::Job activation = Only(store::JobKind::kActivation);
  const store::Job survey = Only(store::JobKind::kSurvey);
  ASSERT_TRUE(app_->outbox().RecordSent(survey, clock_.Now()).ok());
  auto built = app_->messages().Build(activation);
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_FALSE(built->message.has_value());
  EXPECT_EQ(built->skip_reason, "over_budget");

  clock_.Advance(days{30} + std::chrono::seconds{1});  // the survey mail is older than 30 days
  built = app_->messages().Build(activation);
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built->message.has_value()) << built->skip_reason;

  clock_.Advance(-days{29});  // back inside the window
  built = app_->messages().Build(activation);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->skip_reason, "over_budget");
  SettingsPatch off;
  off.max_messages = 0;
  Set(off);
  built = app_->messages().Build(activation);
  ASSERT_TRUE(built.ok());
  EXPECT_TRUE(built->message.has_value()) << built->skip_reason;
}

TEST_P(BudgetTest, RewardMailsNeitherCountNorAreSkipped) {
  SettingsPatch p;
  p.max_messages = 2;
  p.reward_hold_seconds = 0;
  Set(p);
  EXPECT_EQ(Drain(), 2);  // survey and activation: the budget is spent
  EXPECT_EQ(sent_->size(), 2u);
  auto r = Refer(Friend("f-1", "bob"));
  ASSERT_TRUE(r && !r->reward_code.empty());
  auto r2 = Refer(Friend("f-2", "carl"));
  ASSERT_TRUE(r2 && !r2->reward_code.empty());
  Drain();
  EXPECT_EQ(sent_->size(), 4u) << "both reward mails go out over a spent budget";
  for (const auto& job : JobsOf(store::JobKind::kReward)) EXPECT_EQ(job.status, store::JobStatus::kDone);
}

TEST_P(BudgetTest, OtherCustomersHaveTheirOwnBudget) {
  SettingsPatch one;
  one.max_messages = 1;
  one.throttle_days = 0;
  one.survey_delay_seconds = 0;
  Set(one);
  ASSERT_TRUE(app_->outbox().RecordSent(Only(store::JobKind::kSurvey), clock_.Now()).ok());
  ASSERT_TRUE(app_->ingest().Order(shop_, SampleOrder("o-2", "bob", clock_.Now())).ok());
  for (const auto& job : JobsOf(store::JobKind::kSurvey)) {
    if (job.status != store::JobStatus::kPending) continue;
    auto built = app_->messages().Build(job);
    ASSERT_TRUE(built.ok());
    EXPECT_TRUE(built->message.has_value()) << built->skip_reason;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, BudgetTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
