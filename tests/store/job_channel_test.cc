// Jobs carry a channel (migration 0003): one job per (kind, cause, channel), on every store.
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
const std::map<std::string, std::string>& BuiltinMigrations();  // generated from migrations/

namespace {

using core::Channel;
using test::TestDb;

const Instant kT0 = FromUnixMillis(1'764'000'000'000);

class JobChannelTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip;
    db_ = std::make_unique<TestDb>(GetParam());
  }

  void Open() {
    auto s = OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  bool Enqueue(JobKind kind, Id ref, Channel channel, Instant at = kT0) {
    auto added = store_->Write<bool>([&](Tx& tx) { return tx.jobs().Enqueue(1, kind, ref, channel, at); });
    EXPECT_TRUE(added.ok()) << added.error().message;
    return added.ok() && *added;
  }

  std::optional<Job> Find(JobKind kind, Id ref, Channel channel) {
    auto job =
        store_->Read<std::optional<Job>>([&](ReadTx& tx) { return tx.jobs().Find(kind, ref, channel); });
    EXPECT_TRUE(job.ok());
    return job.ok() ? *job : std::nullopt;
  }

  std::unique_ptr<TestDb> db_;
  std::unique_ptr<Store> store_;
};

TEST_P(JobChannelTest, OneCauseOwesOneJobPerChannel) {
  Open();
  EXPECT_TRUE(Enqueue(JobKind::kSurvey, 7, Channel::kEmail));
  EXPECT_TRUE(Enqueue(JobKind::kSurvey, 7, Channel::kSms));     // the same cause, by text message
  EXPECT_FALSE(Enqueue(JobKind::kSurvey, 7, Channel::kEmail));  // a second time on a channel: no-op
  EXPECT_FALSE(Enqueue(JobKind::kSurvey, 7, Channel::kSms));
  auto mail = Find(JobKind::kSurvey, 7, Channel::kEmail);
  auto text = Find(JobKind::kSurvey, 7, Channel::kSms);
  ASSERT_TRUE(mail && text);
  EXPECT_NE(mail->id, text->id);
  EXPECT_EQ(mail->channel, Channel::kEmail);
  EXPECT_EQ(text->channel, Channel::kSms);
  EXPECT_FALSE(Find(JobKind::kReward, 7, Channel::kSms));

  // The set form: new per (kind, ref, channel) too.
  auto added = store_->Write<int64_t>([&](Tx& tx) {
    return tx.jobs().EnqueueMany(1, JobKind::kSurvey, Channel::kSms, {{7, kT0}, {8, kT0}});
  });
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 1);
  auto eight = Find(JobKind::kSurvey, 8, Channel::kSms);
  ASSERT_TRUE(eight);
  EXPECT_EQ(eight->status, JobStatus::kPending);
  EXPECT_FALSE(Find(JobKind::kSurvey, 8, Channel::kEmail));

  // Rescheduling moves one channel's job only.
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) {
                    return tx.jobs().Reschedule(JobKind::kSurvey, 7, Channel::kSms, kT0 + Millis{5000});
                  })
                  .ok());
  EXPECT_EQ(Find(JobKind::kSurvey, 7, Channel::kSms)->run_at, kT0 + Millis{5000});
  EXPECT_EQ(Find(JobKind::kSurvey, 7, Channel::kEmail)->run_at, kT0);
}

TEST_P(JobChannelTest, ClaimReturnsEachJobsChannel) {
  Open();
  ASSERT_TRUE(Enqueue(JobKind::kActivation, 3, Channel::kEmail));
  ASSERT_TRUE(Enqueue(JobKind::kActivation, 3, Channel::kSms));
  auto jobs = store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{1000}, 10); });
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 2u);
  std::set<Channel> channels;
  for (const Job& j : *jobs) {
    EXPECT_EQ(j.kind, JobKind::kActivation);
    EXPECT_EQ(j.ref_id, 3);
    EXPECT_EQ(j.status, JobStatus::kRunning);
    channels.insert(j.channel);
  }
  EXPECT_EQ(channels, (std::set<Channel>{Channel::kEmail, Channel::kSms}));
}

// A database at schema version 1 holding jobs: the upgrade keeps every job (ids, states, errors)
// as a mail job, keeps the queue's indexes, and from then on allows one more job per channel.
TEST_P(JobChannelTest, MigratingAVersion1DatabaseKeepsItsJobsAsMail) {
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto& c = **conn;
    ASSERT_TRUE(c.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                       "applied_at BIGINT NOT NULL)")
                    .ok());
    ASSERT_TRUE(c.Script(BuiltinMigrations().at(GetParam() + "/0001_init")).ok());
    ASSERT_TRUE(
        c.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, '0001_init', 0)").ok());
    ASSERT_TRUE(c.Exec("INSERT INTO jobs (id, shop_id, kind, ref_id, run_at, attempts, status, last_error, "
                       "created_at, finished_at) VALUES "
                       "(41, 1, 'survey', 9, ?1, 2, 'failed', 'boom', ?1, ?1), "
                       "(42, 1, 'activation', 9, ?1, 0, 'pending', '', ?1, NULL)",
                       {ToUnixMillis(kT0)})
                    .ok());
  }
  Open();
  EXPECT_EQ(store_->SchemaVersion(), test::LatestSchemaVersion());
  auto failed = Find(JobKind::kSurvey, 9, Channel::kEmail);
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->id, 41);
  EXPECT_EQ(failed->status, JobStatus::kFailed);
  EXPECT_EQ(failed->attempts, 2);
  EXPECT_EQ(failed->last_error, "boom");
  EXPECT_EQ(failed->finished_at, kT0);
  auto pending = Find(JobKind::kActivation, 9, Channel::kEmail);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->id, 42);
  EXPECT_EQ(pending->channel, Channel::kEmail);
  auto listed =
      store_->Read<std::vector<Job>>([](ReadTx& tx) { return tx.jobs().List(1, std::nullopt, 10); });
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 2u);

  EXPECT_FALSE(Enqueue(JobKind::kActivation, 9, Channel::kEmail));  // still unique per cause and channel
  EXPECT_TRUE(Enqueue(JobKind::kActivation, 9, Channel::kSms));
  auto due = store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{1000}, 10); });
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->size(), 2u);  // the kept pending mail and the new text message

  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok());
  auto indexes = (*conn)->Query(
      GetParam() == "sqlite" ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'jobs'"
                             : "SELECT indexname FROM pg_indexes WHERE tablename = 'jobs'");
  ASSERT_TRUE(indexes.ok());
  std::set<std::string> names;
  for (const auto& r : *indexes) names.insert(sql::Text(r, 0));
  EXPECT_TRUE(names.count("jobs_due"));
  EXPECT_TRUE(names.count("jobs_shop_status"));
}

// A promoter activated by mail and by text message is one activation in the funnel.
TEST_P(JobChannelTest, AnActivationOnTwoChannelsCountsOnceInTheFunnel) {
  Open();
  auto made = store_->Write<Id>([&](Tx& tx) -> Result<Id> {
    Shop shop;
    shop.name = "Trail";
    shop.url = "https://trail.test";
    shop.created_at = kT0;
    auto sid = tx.shops().Insert(shop, "hash");
    if (!sid) return sid.error();
    Customer c;
    c.shop_id = *sid;
    c.external_id = "c-1";
    auto cid = tx.customers().Insert(c);
    if (!cid) return cid.error();
    Order o;
    o.shop_id = *sid;
    o.external_id = "1001";
    o.customer_id = *cid;
    o.created_at = kT0;
    o.currency = "EUR";
    auto oid = tx.orders().Insert(o);
    if (!oid) return oid.error();
    Survey sv;
    sv.shop_id = *sid;
    sv.order_id = *oid;
    sv.customer_id = *cid;
    sv.order_at = o.created_at;
    sv.due_at = kT0;
    auto svid = tx.surveys().Insert(sv);
    if (!svid) return svid.error();
    ReferralCode code;
    code.shop_id = *sid;
    code.code = "ANNA-1234";
    code.promoter_id = *cid;
    code.survey_id = *svid;
    code.created_at = kT0;
    auto kid = tx.referrals().InsertCode(code);
    if (!kid) return kid.error();
    for (Channel ch : core::kAllChannels) {
      auto queued = tx.jobs().Enqueue(*sid, JobKind::kActivation, *kid, ch, kT0);
      if (!queued) return queued.error();
    }
    auto claimed = tx.jobs().Claim(kT0, Millis{1000}, 10);
    if (!claimed) return claimed.error();
    if (claimed->size() != 2) return Internal("expected both activation jobs");
    for (const Job& j : *claimed) VOUCH_TRY(tx.jobs().Finish(j.id, JobStatus::kDone, "", kT0));
    return *sid;
  });
  ASSERT_TRUE(made.ok()) << made.error().message;
  auto funnel = store_->Read<Funnel>(
      [&](ReadTx& tx) { return tx.reports().FunnelCounts(*made, kT0, kT0 + Millis{86'400'000}); });
  ASSERT_TRUE(funnel.ok()) << funnel.error().message;
  EXPECT_EQ(funnel->orders, 1);
  EXPECT_EQ(funnel->activated, 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, JobChannelTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::store
