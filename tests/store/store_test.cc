// The store suite: runs against every store URL the environment offers (SQLite always).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iterator>
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "store/postgres/pg_connection.h"
#include "store/store.h"
#include "support/test_db.h"

namespace vouch::store {
const std::map<std::string, std::string>& BuiltinMigrations();  // generated from migrations/

namespace {

using test::TestDb;

// The embedded migration "<kind>/<name>" (e.g. "sqlite", "0001_init").
std::string MigrationSql(const std::string& kind, const std::string& name) {
  return BuiltinMigrations().at(kind + "/" + name);
}

// The jobs table and its indexes as migration 1 made them.
std::string JobsAtVersion1(const std::string& kind) {
  const std::string sql = MigrationSql(kind, "0001_init");
  const size_t from = sql.find("CREATE TABLE jobs");
  const size_t to = sql.find(';', sql.find("CREATE INDEX jobs_shop_status")) + 1;
  return sql.substr(from, to - from);
}

// Statements that take back what migration `name` added (its CREATE TABLE, CREATE INDEX and
// ALTER TABLE … ADD COLUMN lines), last first: indexes before the columns they cover.
std::vector<std::string> UndoAdditions(const std::string& kind, const std::string& name) {
  std::vector<std::string> undo;
  std::istringstream in(MigrationSql(kind, name));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
    if (w.size() >= 3 && w[0] == "CREATE" && w[1] == "TABLE") undo.push_back("DROP TABLE " + w[2]);
    if (w.size() >= 3 && w[0] == "CREATE" && w[1] == "INDEX") undo.push_back("DROP INDEX " + w[2]);
    if (w.size() >= 6 && w[0] == "ALTER" && w[3] == "ADD" && w[4] == "COLUMN") {
      undo.push_back("ALTER TABLE " + w[2] + " DROP COLUMN " + w[5]);
    }
  }
  // Indexes first (SQLite drops no indexed column), then columns and tables, the last added first.
  std::stable_partition(undo.begin(), undo.end(),
                        [](const std::string& s) { return s.rfind("DROP INDEX", 0) == 0; });
  std::reverse(std::find_if(undo.begin(), undo.end(),
                            [](const std::string& s) { return s.rfind("DROP INDEX", 0) != 0; }),
               undo.end());
  return undo;
}

const Instant kT0 = FromUnixMillis(1'764'000'000'000);  // 2025-11-24

// Parameter: the store kind ("sqlite", "postgres"); each test gets a fresh, empty database.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!TestDb::Available(GetParam())) GTEST_SKIP() << TestDb::kSkip;
    db_ = std::make_unique<TestDb>(GetParam());
    url_ = db_->url();
    auto s = OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  Id MakeShop(const std::string& key_hash = "hash-1") {
    Shop shop;
    shop.name = "Trail";
    shop.url = "https://trail.example";
    shop.created_at = kT0;
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.shops().Insert(shop, key_hash); });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  std::unique_ptr<TestDb> db_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, MigrationsAppliedOnceAndReopenIsANoOp) {
  EXPECT_EQ(store_->Kind(), GetParam());
  EXPECT_EQ(store_->SchemaVersion(), test::LatestSchemaVersion());
  MakeShop();
  store_.reset();
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok());
  auto shops = (*again)->Read<std::vector<Shop>>([](ReadTx& tx) { return tx.shops().List(); });
  ASSERT_TRUE(shops.ok());
  EXPECT_EQ(shops->size(), 1u);
}

// A migration written on a branch in parallel can land numbered below one a database already
// has: it is applied all the same (here 0017 taken back out of a database at the latest version).
TEST_P(StoreTest, AMigrationNumberedBelowTheNewestAppliedIsAppliedToo) {
  store_.reset();
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    for (const auto& undo : UndoAdditions(GetParam(), "0017_campaigns")) {
      ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
    }
    ASSERT_TRUE((*conn)->Exec("DELETE FROM schema_migrations WHERE version = 17").ok());
  }
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)->SchemaVersion(), test::LatestSchemaVersion());
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok());
  auto rows = (*conn)->Query("SELECT COUNT(*) FROM schema_migrations WHERE version = 17");
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  EXPECT_EQ(sql::Int(rows->front(), 0), 1);
  EXPECT_TRUE((*conn)->Query("SELECT COUNT(*) FROM campaign_codes").ok()) << "its tables are back";
}

TEST_P(StoreTest, RefusesADatabaseNewerThanItKnows) {
  store_.reset();
  {
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto ins = (*conn)->Exec("INSERT INTO schema_migrations VALUES (999, '0999_future', 0)");
    ASSERT_TRUE(ins.ok()) << ins.error().message;
  }
  auto s = OpenStore(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Code::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("newer"), std::string::npos);
}

TEST_P(StoreTest, RejectsUnknownUrlScheme) {
  auto s = OpenStore("mysql://x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "VOUCH_DB");
}

TEST_P(StoreTest, FailedWriteLeavesNothingBehind) {
  auto r = store_->Write<Id>([&](Tx& tx) -> Result<Id> {
    Shop shop;
    shop.name = "Half";
    shop.url = "https://half.example";
    auto id = tx.shops().Insert(shop, "half");
    if (!id) return id;
    return InvalidArgument("x", "fails after the insert");
  });
  ASSERT_FALSE(r.ok());
  auto found = store_->Read<std::optional<Shop>>([](ReadTx& tx) { return tx.shops().FindByKeyHash("half"); });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  // A write alone in its transaction runs without a savepoint and its failure rolls the whole
  // transaction back: the writer goes on with a clean one.
  auto next = store_->Write<Id>([&](Tx& tx) {
    Shop shop;
    shop.name = "Whole";
    shop.url = "https://whole.example";
    return tx.shops().Insert(shop, "whole");
  });
  ASSERT_TRUE(next.ok()) << next.error().message;
  auto whole =
      store_->Read<std::optional<Shop>>([](ReadTx& tx) { return tx.shops().FindByKeyHash("whole"); });
  ASSERT_TRUE(whole.ok() && whole->has_value());
  EXPECT_EQ((*whole)->name, "Whole");
}

TEST_P(StoreTest, GroupCommitIsolatesAFailingWriteFromItsBatch) {
  // Queue many writes at once so they share transactions; every odd one fails after inserting.
  constexpr int kWrites = 200;
  std::mutex mu;
  std::condition_variable cv;
  int done = 0, failed = 0;
  for (int i = 0; i < kWrites; ++i) {
    store_->WriteAsync(
        [i](Tx& tx) -> Status {
          Shop shop;
          shop.name = "S" + std::to_string(i);
          shop.url = "https://s.example";
          auto id = tx.shops().Insert(shop, "k" + std::to_string(i));
          if (!id) return id.error();
          if (i % 2) return InvalidArgument("x", "odd");
          return OkStatus();
        },
        [&](Status s) {
          std::lock_guard lock(mu);
          ++done;
          if (!s.ok()) ++failed;
          cv.notify_one();
        });
  }
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done == kWrites; });
  EXPECT_EQ(failed, kWrites / 2);
  auto shops = store_->Read<std::vector<Shop>>([](ReadTx& tx) { return tx.shops().List(); });
  ASSERT_TRUE(shops.ok());
  ASSERT_EQ(shops->size(), static_cast<size_t>(kWrites / 2));
  for (const auto& s : *shops) EXPECT_EQ(std::stoi(s.name.substr(1)) % 2, 0) << s.name;
}

TEST_P(StoreTest, AcknowledgedWriteSurvivesReopen) {
  MakeShop("durable");
  store_.reset();
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok());
  auto found =
      (*again)->Read<std::optional<Shop>>([](ReadTx& tx) { return tx.shops().FindByKeyHash("durable"); });
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
}

TEST_P(StoreTest, EnqueueIsIdempotentPerCause) {
  const Id shop = MakeShop();
  auto first = store_->Write<bool>(
      [&](Tx& tx) { return tx.jobs().Enqueue(shop, JobKind::kSurvey, 7, core::Channel::kEmail, kT0); });
  auto second = store_->Write<bool>(
      [&](Tx& tx) { return tx.jobs().Enqueue(shop, JobKind::kSurvey, 7, core::Channel::kEmail, kT0); });
  auto other = store_->Write<bool>(
      [&](Tx& tx) { return tx.jobs().Enqueue(shop, JobKind::kReward, 7, core::Channel::kEmail, kT0); });
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
  EXPECT_TRUE(*other);
  auto counts = store_->Read<JobCounts>([&](ReadTx& tx) { return tx.jobs().Count(shop); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 2);
}

TEST_P(StoreTest, ClaimTakesDueJobsOnceUntilTheLeaseExpires) {
  const Id shop = MakeShop();
  ASSERT_TRUE(store_
                  ->Write<bool>([&](Tx& tx) {
                    return tx.jobs().Enqueue(shop, JobKind::kSurvey, 1, core::Channel::kEmail, kT0);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write<bool>([&](Tx& tx) {
                    return tx.jobs().Enqueue(shop, JobKind::kSurvey, 2, core::Channel::kEmail,
                                             kT0 + Millis{60'000});
                  })
                  .ok());
  auto claim = [&](Instant now) {
    auto jobs =
        store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(now, Millis{30'000}, 10); });
    EXPECT_TRUE(jobs.ok());
    return jobs.ok() ? *jobs : std::vector<Job>{};
  };
  auto first = claim(kT0);
  ASSERT_EQ(first.size(), 1u);  // job 2 is not due yet
  EXPECT_EQ(first[0].ref_id, 1);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].status, store::JobStatus::kRunning);
  EXPECT_TRUE(claim(kT0 + Millis{10'000}).empty());  // leased
  auto after_lease = claim(kT0 + Millis{31'000});    // the claimer died: lease expired
  ASSERT_EQ(after_lease.size(), 1u);
  EXPECT_EQ(after_lease[0].ref_id, 1);
  EXPECT_EQ(after_lease[0].attempts, 2);
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) {
                    return tx.jobs().Finish(after_lease[0].id, store::JobStatus::kDone, "", kT0);
                  })
                  .ok());
  auto later = claim(kT0 + Millis{120'000});
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].ref_id, 2);
}

TEST_P(StoreTest, ConcurrentClaimersNeverShareAJob) {
  const Id shop = MakeShop();
  constexpr int kJobs = 300;
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    for (int i = 0; i < kJobs; ++i) {
                      auto q = tx.jobs().Enqueue(shop, JobKind::kSurvey, i, core::Channel::kEmail, kT0);
                      if (!q) return q.error();
                    }
                    return OkStatus();
                  })
                  .ok());
  std::mutex mu;
  std::vector<Id> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (true) {
        auto jobs =
            store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{60'000}, 7); });
        ASSERT_TRUE(jobs.ok());
        if (jobs->empty()) return;
        std::lock_guard lock(mu);
        for (const auto& j : *jobs) seen.push_back(j.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST_P(StoreTest, RollupSumsByDayAndFiltersBySegment) {
  const Id shop = MakeShop();
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 100, "shoes", 10, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 100, "shoes", 10, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 100, "tents", 3, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 101, "shoes", 8, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 101, "shoes", 8, -1));  // an answer changed away
                    return tx.surveys().AddToRollup(shop, 105, "", 0, 1);
                  })
                  .ok());
  auto all = store_->Read<std::vector<DayCounts>>(
      [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 100, 105, std::nullopt); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);  // day 105 is outside [100, 105)
  EXPECT_EQ((*all)[0].day, 100);
  EXPECT_EQ((*all)[0].counts.by_score[10], 2);
  EXPECT_EQ((*all)[0].counts.by_score[3], 1);
  EXPECT_EQ((*all)[1].counts.Total(), 0);
  auto shoes = store_->Read<std::vector<DayCounts>>(
      [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 0, 1000, std::string("shoes")); });
  ASSERT_TRUE(shoes.ok());
  int64_t total = 0;
  for (const auto& d : *shoes) total += d.counts.Total();
  EXPECT_EQ(total, 2);
  auto segments =
      store_->Read<std::vector<std::string>>([&](ReadTx& tx) { return tx.reports().Segments(shop); });
  ASSERT_TRUE(segments.ok());
  EXPECT_EQ(*segments, (std::vector<std::string>{"", "shoes", "tents"}));
}

TEST_P(StoreTest, SegmentTotalsSumEachSegmentOverTheDaysOfOneShop) {
  const Id shop = MakeShop("a"), other = MakeShop("b");
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 100, "tents", 10, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 101, "tents", 10, 2));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 101, "shoes", 4, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 102, "shoes", 9, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(shop, 110, "hats", 9, 1));  // outside the range
                    return tx.surveys().AddToRollup(other, 101, "tents", 0, 5);
                  })
                  .ok());
  auto totals = store_->Read<std::vector<SegmentCounts>>(
      [&](ReadTx& tx) { return tx.reports().SegmentTotals(shop, 100, 103); });
  ASSERT_TRUE(totals.ok()) << totals.error().message;
  ASSERT_EQ(totals->size(), 2u);
  EXPECT_EQ((*totals)[0].segment, "shoes");
  EXPECT_EQ((*totals)[0].counts.by_score[4], 1);
  EXPECT_EQ((*totals)[0].counts.by_score[9], 1);
  EXPECT_EQ((*totals)[0].counts.Total(), 2);
  EXPECT_EQ((*totals)[1].segment, "tents");
  EXPECT_EQ((*totals)[1].counts.by_score[10], 3);
  EXPECT_EQ((*totals)[1].counts.Total(), 3) << "the other shop's tents are not counted";
}

TEST_P(StoreTest, CampaignsKeepTheirCodesAndACodeBelongsToOneCampaign) {
  const Id shop = MakeShop("a"), other = MakeShop("b");
  auto insert = [&](Id s, const std::string& name, std::vector<std::string> codes) {
    Campaign c;
    c.shop_id = s;
    c.name = name;
    c.kind = "influencer";
    c.cost_minor = 150000;
    c.currency = "EUR";
    c.codes = std::move(codes);
    c.created_at = kT0;
    return store_->Write<Id>([&](Tx& tx) { return tx.campaigns().Insert(c); });
  };
  auto a = insert(shop, "Lena's video", {"LENA10", "LENA15"});
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto taken = insert(shop, "Again", {"MAX5", "LENA10"});
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, Code::kAlreadyExists);
  EXPECT_EQ(taken.error().field, "codes");
  ASSERT_TRUE(insert(other, "Elsewhere", {"LENA10"}).ok()) << "codes are per shop";
  auto list = store_->Read<std::vector<Campaign>>([&](ReadTx& tx) { return tx.campaigns().List(shop); });
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u) << "the refused campaign left nothing behind";
  EXPECT_EQ((*list)[0].name, "Lena's video");
  EXPECT_EQ((*list)[0].cost_minor, 150000);
  EXPECT_EQ((*list)[0].codes, (std::vector<std::string>{"LENA10", "LENA15"}));
  auto found =
      store_->Read<std::optional<Campaign>>([&](ReadTx& tx) { return tx.campaigns().Find(other, *a); });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value()) << "another shop's campaign is not found";
  auto gone = store_->Write<int64_t>([&](Tx& tx) { return tx.campaigns().Delete(shop, *a); });
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(*gone, 1);
  ASSERT_TRUE(insert(shop, "Reuse", {"LENA10"}).ok()) << "a deleted campaign's codes are free again";
}

TEST_P(StoreTest, ExperimentsRunOneAtATimeAndKeepEachPromotersFirstVariant) {
  const Id shop = MakeShop("a"), other = MakeShop("b");
  Experiment e;
  e.shop_id = shop;
  e.name = "Friend discount";
  e.metric = "referred_orders";
  e.minimum_effect_milli = 100;
  e.window_days = 14;
  e.created_at = kT0;
  e.variants = {{0, "Control", "percent", 15, 1000, ""},
                {1, "Generous", "amount", 1500, 2000, "{{reward_disclosure}}"}};
  auto id = store_->Write<Id>([&](Tx& tx) { return tx.experiments().Insert(e); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto again = store_->Write<Id>([&](Tx& tx) { return tx.experiments().Insert(e); });
  ASSERT_FALSE(again.ok()) << "one running experiment per shop";
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  Customer c;
  c.shop_id = shop;
  c.external_id = "c";
  auto customer = store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(c); });
  ASSERT_TRUE(customer.ok());
  ReferralCode code;
  code.shop_id = shop;
  code.code = "ANNA-7K3F";
  code.promoter_id = *customer;
  code.created_at = kT0;
  auto code_id = store_->Write<Id>([&](Tx& tx) { return tx.referrals().InsertCode(code); });
  ASSERT_TRUE(code_id.ok());
  ExperimentAssignment a{*id, *customer, shop, 1, *code_id, kT0};
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.experiments().Assign(a); }).ok());
  a.variant = 0;
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.experiments().Assign(a); }).ok());
  auto variant = store_->Read<std::optional<ExperimentVariant>>(
      [&](ReadTx& tx) { return tx.experiments().VariantOfPromoter(shop, *customer); });
  ASSERT_TRUE(variant.ok() && variant->has_value());
  EXPECT_EQ((*variant)->variant, 1) << "the first assignment stays";
  EXPECT_EQ((*variant)->discount_kind, "amount");
  EXPECT_EQ((*variant)->reward_minor, 2000);
  EXPECT_EQ((*variant)->share_text, "{{reward_disclosure}}");
  auto elsewhere = store_->Read<std::optional<ExperimentVariant>>(
      [&](ReadTx& tx) { return tx.experiments().VariantOfPromoter(other, *customer); });
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_FALSE(elsewhere->has_value()) << "scoped by shop";
  int rows = 0;
  ASSERT_TRUE(store_
                  ->Read<Ok>([&](ReadTx& tx) {
                    return tx.experiments().EachOutcome(shop, *id, std::nullopt,
                                                        [&](const ExperimentOutcomeRow& r) {
                                                          ++rows;
                                                          EXPECT_EQ(r.variant, 1);
                                                          EXPECT_FALSE(r.referral_at) << "no referral yet";
                                                        });
                  })
                  .ok());
  EXPECT_EQ(rows, 1);
  const Instant stop = kT0 + std::chrono::hours{1};
  auto stopped = store_->Write<int64_t>(
      [&](Tx& tx) { return tx.experiments().Finish(shop, *id, "stopped", stop, std::nullopt); });
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(*stopped, 1);
  auto running =
      store_->Read<std::optional<Experiment>>([&](ReadTx& tx) { return tx.experiments().Running(shop); });
  ASSERT_TRUE(running.ok());
  EXPECT_FALSE(running->has_value());
  auto adopted = store_->Write<int64_t>(
      [&](Tx& tx) { return tx.experiments().Finish(shop, *id, "adopted", stop + std::chrono::hours{1}, 1); });
  ASSERT_TRUE(adopted.ok());
  EXPECT_EQ(*adopted, 1);
  auto found =
      store_->Read<std::optional<Experiment>>([&](ReadTx& tx) { return tx.experiments().Find(shop, *id); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->status, "adopted");
  EXPECT_EQ((*found)->stopped_at, stop) << "the stop time stays";
  EXPECT_EQ((*found)->adopted_variant, 1);
  ASSERT_EQ((*found)->variants.size(), 2u);
  EXPECT_EQ((*found)->variants[1].discount_value, 1500);
  auto none =
      store_->Read<std::optional<Experiment>>([&](ReadTx& tx) { return tx.experiments().Find(other, *id); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "another shop's experiment is not found";
  EXPECT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.experiments().Insert(e); }).ok())
      << "another may start";
}

// Migration 0002 adds the all-segments rollup and fills it from nps_daily, so a database that
// already holds answers reports the same NPS after the upgrade; each shop keeps its own counts.
TEST_P(StoreTest, AllSegmentsRollupIsBackfilledByItsMigration) {
  const Id a = MakeShop("a"), b = MakeShop("b");
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    VOUCH_TRY(tx.surveys().AddToRollup(a, 200, "shoes", 10, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(a, 200, "tents", 10, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(a, 200, "tents", 2, 1));
                    VOUCH_TRY(tx.surveys().AddToRollup(a, 201, "", 7, 1));
                    return tx.surveys().AddToRollup(b, 200, "shoes", 0, 1);
                  })
                  .ok());
  store_.reset();
  {  // back to schema 1: no totals table or its triggers, jobs without channels, no users,
     // sessions, API keys, follow-ups, money tables, webhook settings, deliveries, nor anything
     // a later migration added: migrations 2 on not applied
    auto conn = db_->Connect();
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    if (GetParam() == "postgres") {
      ASSERT_TRUE((*conn)->Exec("DROP FUNCTION nps_daily_total_apply() CASCADE").ok());
    } else {
      for (const char* t : {"insert", "update", "delete"}) {
        ASSERT_TRUE((*conn)->Exec(std::string("DROP TRIGGER nps_daily_total_") + t).ok());
      }
    }
    for (const auto& undo : UndoAdditions(GetParam(), "0015_sms")) {  // before jobs goes back to version 1
      ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
    }
    ASSERT_TRUE((*conn)->Exec("DROP TABLE nps_daily_total").ok());
    ASSERT_TRUE((*conn)->Exec("DROP TABLE jobs").ok());
    ASSERT_TRUE((*conn)->Script(JobsAtVersion1(GetParam())).ok());
    ASSERT_TRUE((*conn)->Exec("DROP TABLE sessions").ok());
    ASSERT_TRUE((*conn)->Exec("DROP TABLE api_keys").ok());
    ASSERT_TRUE((*conn)->Exec("DROP TABLE users").ok());
    // Every migration from 0010 on only adds (tables, indexes, columns), as 0008 and 0007 do
    // (0015 was taken back above, before jobs; 0012's column went with users), except 0011,
    // which also renamed a column.
    std::vector<std::string> additive = test::MigrationsFrom(GetParam(), 10);
    std::erase(additive, std::string("0015_sms"));
    std::erase(additive, std::string("0012_dashboard"));  // its column went with the users table
    additive.insert(additive.end(), {"0008_shop_hooks", "0007_money"});
    for (const auto& migration : additive) {         // the last first
      if (migration == "0027_lean_order_indexes") {  // the indexes as 0001 made them (0015 undid phone_all)
        for (const char* undo :
             {"CREATE INDEX surveys_shop_due ON surveys (shop_id, due_at)",
              "DROP INDEX surveys_shop_answered",
              "CREATE INDEX surveys_shop_answered ON surveys (shop_id, answered_at)",
              "DROP INDEX customers_phone", "CREATE INDEX customers_phone ON customers (shop_id, phone)"}) {
          ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
        }
        continue;
      }
      if (migration == "0011_money_rest") {  // its settings dropped, the hold back in days
        for (const char* undo :
             {"ALTER TABLE shops DROP COLUMN max_messages", "ALTER TABLE shops DROP COLUMN budget_days",
              "ALTER TABLE shops RENAME COLUMN reward_hold_seconds TO reward_hold_days"}) {
          ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
        }
        continue;
      }
      for (const auto& undo : UndoAdditions(GetParam(), migration)) {
        ASSERT_TRUE((*conn)->Exec(undo).ok()) << undo;
      }
    }
    ASSERT_TRUE((*conn)->Exec("DROP TABLE followups").ok());
    ASSERT_TRUE((*conn)->Exec("DROP INDEX surveys_shop_id").ok());
    ASSERT_TRUE((*conn)->Exec("DROP INDEX surveys_shop_detractors").ok());
    ASSERT_TRUE((*conn)->Exec("DELETE FROM schema_migrations WHERE version >= 2").ok());
  }
  auto reopened = OpenStore(url_);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  store_ = std::move(*reopened);
  EXPECT_EQ(store_->SchemaVersion(), test::LatestSchemaVersion());
  // Migration 0005 made each shop's key its first API key.
  for (auto [key, shop] : {std::pair{"a", a}, std::pair{"b", b}}) {
    auto found =
        store_->Read<std::optional<KeyedShop>>([&](ReadTx& tx) { return tx.shops().FindByKey(key); });
    ASSERT_TRUE(found.ok() && found->has_value()) << key;
    EXPECT_EQ((*found)->shop.id, shop);
  }
  auto days = [&](Id shop) {
    auto r = store_->Read<std::vector<DayCounts>>(
        [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 0, 1000, std::nullopt); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<DayCounts>{};
  };
  auto da = days(a);
  ASSERT_EQ(da.size(), 2u);
  EXPECT_EQ(da[0].day, 200);
  EXPECT_EQ(da[0].counts.by_score[10], 2);
  EXPECT_EQ(da[0].counts.by_score[2], 1);
  EXPECT_EQ(da[1].counts.by_score[7], 1);
  auto db = days(b);
  ASSERT_EQ(db.size(), 1u);
  EXPECT_EQ(db[0].counts.by_score[0], 1);
  EXPECT_EQ(db[0].counts.Total(), 1);
  // Answers after the upgrade add to both rollups.
  ASSERT_TRUE(
      store_->Write<Ok>([&](Tx& tx) { return tx.surveys().AddToRollup(a, 200, "shoes", 9, 1); }).ok());
  EXPECT_EQ(days(a)[0].counts.Total(), 4);
}

// ReadOne runs its single statement without a transaction around it: it must still see what was
// committed, and leave the reader usable for transactional reads after it.
TEST_P(StoreTest, ReadOneSeesCommittedRowsAndLeavesTheReaderUsable) {
  const Id shop = MakeShop("one");
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(
        store_->Write<Ok>([&](Tx& tx) { return tx.surveys().AddToRollup(shop, 300, "s", 9, 1); }).ok());
    auto one = store_->ReadOne<std::vector<DayCounts>>(
        [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 300, 301, std::nullopt); });
    ASSERT_TRUE(one.ok()) << one.error().message;
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].counts.by_score[9], round + 1);
    auto both = store_->Read<std::vector<DayCounts>>(
        [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 300, 301, std::string("s")); });
    ASSERT_TRUE(both.ok()) << both.error().message;
    EXPECT_EQ((*both)[0].counts.by_score[9], round + 1);
  }
}

// During a rolling upgrade, nodes still running the version-1 binary write nps_daily only (their
// own SQL, below); the totals must follow all the same, for new rows, changed rows and removals.
TEST_P(StoreTest, AllSegmentsRollupFollowsWritesItsCodeDoesNotMake) {
  const Id shop = MakeShop("old-node");
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto old_node_add = [&](const std::string& segment, int score, int64_t delta) {
    const std::string col = "s" + std::to_string(score);
    auto r = (*conn)->Exec("INSERT INTO nps_daily (shop_id, day, segment, " + col +
                               ") VALUES (?1, 400, ?2, ?3) "
                               "ON CONFLICT (shop_id, day, segment) DO UPDATE SET " +
                               col + " = nps_daily." + col + " + ?3",
                           {shop, segment, delta});
    ASSERT_TRUE(r.ok()) << r.error().message;
  };
  auto total = [&] {
    auto r = store_->ReadOne<std::vector<DayCounts>>(
        [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 400, 401, std::nullopt); });
    EXPECT_TRUE(r.ok());
    return r.ok() && !r->empty() ? (*r)[0].counts : core::ScoreCounts{};
  };
  old_node_add("shoes", 10, 1);  // a new rollup row
  old_node_add("shoes", 10, 1);  // the same row again (ON CONFLICT ... DO UPDATE)
  old_node_add("tents", 4, 1);
  old_node_add("shoes", 10, -1);  // an answer changed away
  ASSERT_TRUE(
      store_->Write<Ok>([&](Tx& tx) { return tx.surveys().AddToRollup(shop, 400, "shoes", 8, 1); }).ok());
  auto t = total();
  EXPECT_EQ(t.by_score[10], 1);
  EXPECT_EQ(t.by_score[4], 1);
  EXPECT_EQ(t.by_score[8], 1);
  EXPECT_EQ(t.Total(), 3);
  ASSERT_TRUE((*conn)->Exec("DELETE FROM nps_daily WHERE shop_id = ?1 AND segment = 'tents'", {shop}).ok());
  EXPECT_EQ(total().by_score[4], 0);
  EXPECT_EQ(total().Total(), 2);
}

TEST_P(StoreTest, ReferralCodesAreUniqueAcrossShops) {
  const Id a = MakeShop("a"), b = MakeShop("b");
  auto customer = [&](Id shop) {
    Customer c;
    c.shop_id = shop;
    c.external_id = "c";
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(c); });
    EXPECT_TRUE(id.ok());
    return *id;
  };
  ReferralCode code;
  code.shop_id = a;
  code.code = "ANNA-7K3F";
  code.promoter_id = customer(a);
  code.created_at = kT0;
  ASSERT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.referrals().InsertCode(code); }).ok());
  code.shop_id = b;
  code.promoter_id = customer(b);
  auto dup = store_->Write<Id>([&](Tx& tx) { return tx.referrals().InsertCode(code); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  auto found = store_->Read<std::optional<ReferralCode>>(
      [](ReadTx& tx) { return tx.referrals().FindCodeAnyShop("ANNA-7K3F"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->shop_id, a);
}

TEST_P(StoreTest, OrdersAreUniquePerShopAndKeepTheirItems) {
  const Id shop = MakeShop();
  Customer c;
  c.shop_id = shop;
  c.external_id = "c-1";
  auto cid = store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(c); });
  ASSERT_TRUE(cid.ok());
  Order o;
  o.shop_id = shop;
  o.external_id = "1001";
  o.customer_id = *cid;
  o.created_at = kT0;
  o.currency = "EUR";
  o.total_minor = 5990;
  o.discount_codes = {"ANNA-7K3F", "SUMMER"};
  o.items = {LineItem{"p-1", "Trail shoe", "shoes", 1, 5990}};
  ASSERT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.orders().Insert(o); }).ok());
  auto dup = store_->Write<Id>([&](Tx& tx) { return tx.orders().Insert(o); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  auto found = store_->Read<std::optional<Order>>([&](ReadTx& tx) { return tx.orders().Find(shop, "1001"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->discount_codes, o.discount_codes);
  ASSERT_EQ((*found)->items.size(), 1u);
  EXPECT_EQ((*found)->items[0].category, "shoes");
  EXPECT_EQ((*found)->total_minor, 5990);
}

// Migration 0010: an order's landing page, buyer IP and shipping address, and a customer's
// consent (yes, no, unknown), written one by one and in sets, read back, and erased with the
// customer.
TEST_P(StoreTest, OrderFieldsAndConsentRoundTripAndAreErased) {
  const Id shop = MakeShop();
  std::vector<Customer> cs(3);
  for (size_t i = 0; i < cs.size(); ++i) {
    cs[i].shop_id = shop;
    cs[i].external_id = "fc-" + std::to_string(i);
  }
  cs[0].accepts_email_marketing = true;
  cs[1].accepts_email_marketing = false;
  cs[1].accepts_sms_marketing = true;
  auto ids =
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.customers().InsertMany(cs); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  Customer one;
  one.shop_id = shop;
  one.external_id = "fc-one";
  one.accepts_sms_marketing = false;
  auto one_id = store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(one); });
  ASSERT_TRUE(one_id.ok());
  auto found = store_->Read<std::vector<Customer>>([&](ReadTx& tx) {
    return tx.customers().FindMany(shop, {"fc-0", "fc-1", "fc-2", "fc-one"});
  });
  ASSERT_TRUE(found.ok());
  std::map<std::string, Customer> by_key;
  for (const auto& c : *found) by_key[c.external_id] = c;
  EXPECT_EQ(by_key["fc-0"].accepts_email_marketing, std::optional<bool>(true));
  EXPECT_EQ(by_key["fc-0"].accepts_sms_marketing, std::nullopt);
  EXPECT_EQ(by_key["fc-1"].accepts_email_marketing, std::optional<bool>(false));
  EXPECT_EQ(by_key["fc-1"].accepts_sms_marketing, std::optional<bool>(true));
  EXPECT_EQ(by_key["fc-2"].accepts_email_marketing, std::nullopt);
  EXPECT_EQ(by_key["fc-one"].accepts_sms_marketing, std::optional<bool>(false));
  Customer updated = by_key["fc-2"];
  updated.accepts_email_marketing = false;
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.customers().Update(updated); }).ok());
  auto got =
      store_->Read<std::optional<Customer>>([&](ReadTx& tx) { return tx.customers().Get(updated.id); });
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->accepts_email_marketing, std::optional<bool>(false));

  std::vector<Order> os(2);
  for (size_t i = 0; i < os.size(); ++i) {
    os[i].shop_id = shop;
    os[i].external_id = "fo-" + std::to_string(i);
    os[i].customer_id = *(*ids)[1];
    os[i].created_at = kT0;
    os[i].currency = "EUR";
    os[i].total_minor = 100;
  }
  os[0].landing_site = "/p?x=1";
  os[0].browser_ip = "2001:db8::1";
  os[0].shipping_address = ShippingAddress{"Weg 1", "1000", "BE"};
  ASSERT_TRUE(
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.orders().InsertMany(os); }).ok());
  Order single = os[0];
  single.external_id = "fo-single";
  single.shipping_address = ShippingAddress{"", "", "NL"};
  ASSERT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.orders().Insert(single); }).ok());
  auto orders =
      store_->Read<std::vector<Order>>([&](ReadTx& tx) { return tx.orders().ListByCustomer(*(*ids)[1]); });
  ASSERT_TRUE(orders.ok());
  ASSERT_EQ(orders->size(), 3u);
  std::map<std::string, Order> order_by_key;
  for (const auto& o : *orders) order_by_key[o.external_id] = o;
  EXPECT_EQ(order_by_key["fo-0"].landing_site, "/p?x=1");
  EXPECT_EQ(order_by_key["fo-0"].browser_ip, "2001:db8::1");
  EXPECT_EQ(order_by_key["fo-0"].shipping_address,
            std::optional<ShippingAddress>(ShippingAddress{"Weg 1", "1000", "BE"}));
  EXPECT_EQ(order_by_key["fo-1"].browser_ip, "");
  EXPECT_FALSE(order_by_key["fo-1"].shipping_address.has_value());
  EXPECT_EQ(order_by_key["fo-single"].shipping_address,
            std::optional<ShippingAddress>(ShippingAddress{"", "", "NL"}));

  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.customers().Erase(*(*ids)[1]); }).ok());
  auto after =
      store_->Read<std::vector<Order>>([&](ReadTx& tx) { return tx.orders().ListByCustomer(*(*ids)[1]); });
  ASSERT_TRUE(after.ok());
  for (const auto& o : *after) {
    EXPECT_EQ(o.browser_ip, "") << o.external_id;
    EXPECT_EQ(o.landing_site, "") << o.external_id;
    // The country stays (anonymous); the street and zip go.
    if (o.shipping_address) {
      EXPECT_EQ(o.shipping_address->line1, "");
      EXPECT_EQ(o.shipping_address->zip, "");
    }
  }
}

// Two nodes ingest the first orders of one new customer at the same moment: the second insert
// waits for the first node's commit and reports the customer as taken (a value, the transaction
// still usable), so the order can join the customer the other node created.
TEST_P(StoreTest, ACustomerInsertedByAnotherNodeMeanwhileIsReportedTakenNotFailed) {
  const Id shop = MakeShop();
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  Customer c;
  c.shop_id = shop;
  c.external_id = "same-new-customer";
  std::latch inserted(1);
  std::thread first([&] {
    auto id = store_->Write<Id>([&](Tx& tx) -> Result<Id> {
      auto r = tx.customers().Insert(c);
      inserted.count_down();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // hold it uncommitted
      return r;
    });
    EXPECT_TRUE(id.ok()) << id.error().message;
  });
  inserted.wait();
  auto second = (*other)->Write<Id>([&](Tx& tx) -> Result<Id> {
    auto r = tx.customers().Insert(c);
    if (r.ok() || r.error().code != Code::kAlreadyExists) return Internal("expected the customer taken");
    auto found = tx.customers().Find(shop, c.external_id);
    if (!found) return found.error();
    if (!found->has_value()) return Internal("the other node's customer is not visible");
    return (**found).id;
  });
  first.join();
  ASSERT_TRUE(second.ok()) << second.error().message;
  auto mine = store_->Read<std::optional<Customer>>(
      [&](ReadTx& tx) { return tx.customers().Find(shop, c.external_id); });
  ASSERT_TRUE(mine.ok() && mine->has_value());
  EXPECT_EQ((*mine)->id, *second);
}

TEST_P(StoreTest, SetFormsWriteAndFindManyRowsAcrossChunkSizes) {
  // 300 rows are cut into chunks of 256, 16, 16, 4, 4 and 4 (150 surveys: 64, 64, 16, 4 and
  // 1 ones), so each chunk size runs and rows are matched back across chunks.
  const Id shop = MakeShop();
  const Id other_shop = MakeShop("hash-2");
  constexpr size_t kRows = 300;
  Customer taken;
  taken.shop_id = shop;
  taken.external_id = "c-7";
  auto taken_id = store_->Write<Id>([&](Tx& tx) { return tx.customers().Insert(taken); });
  ASSERT_TRUE(taken_id.ok());

  std::vector<Customer> customers(kRows);
  std::vector<std::string> keys;
  for (size_t i = 0; i < kRows; ++i) {
    customers[i].shop_id = shop;
    customers[i].external_id = "c-" + std::to_string(i);
    customers[i].email = "c" + std::to_string(i) + "@example.com";
    customers[i].last_survey_at = kT0 + std::chrono::seconds{static_cast<int64_t>(i)};
    keys.push_back(customers[i].external_id);
  }
  auto ids = store_->Write<std::vector<std::optional<Id>>>(
      [&](Tx& tx) { return tx.customers().InsertMany(customers); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  ASSERT_EQ(ids->size(), kRows);
  EXPECT_FALSE((*ids)[7]);  // taken before: reported, not failed
  for (size_t i = 0; i < kRows; ++i) {
    if (i != 7) {
      EXPECT_TRUE((*ids)[i]) << i;
    }
  }

  auto found =
      store_->Read<std::vector<Customer>>([&](ReadTx& tx) { return tx.customers().FindMany(shop, keys); });
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), kRows);
  for (const auto& c : *found) {
    const size_t i = std::stoul(c.external_id.substr(2));
    if (i == 7) continue;
    EXPECT_EQ(c.id, *(*ids)[i]);
    EXPECT_EQ(c.email, customers[i].email);
    EXPECT_EQ(c.last_survey_at, customers[i].last_survey_at);
  }
  auto elsewhere = store_->Read<std::vector<Customer>>(
      [&](ReadTx& tx) { return tx.customers().FindMany(other_shop, keys); });
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->empty());  // each shop sees only its own

  std::vector<Order> orders(kRows);
  std::vector<std::string> order_keys;
  for (size_t i = 0; i < kRows; ++i) {
    Order& o = orders[i];
    o.shop_id = shop;
    o.external_id = "o-" + std::to_string(i);
    o.customer_id = i == 7 ? *taken_id : *(*ids)[i];
    o.created_at = kT0;
    o.currency = "EUR";
    o.total_minor = static_cast<int64_t>(i);
    o.survey_skip = i % 2 ? "throttled" : "";
    o.ingested_at = kT0;
    for (size_t k = 0; k < i % 3; ++k) {
      o.items.push_back(LineItem{"p-" + std::to_string(k), "Item", "cat-" + std::to_string(k), 1, 100});
    }
    order_keys.push_back(o.external_id);
  }
  // Orders and their surveys in one transaction, as ingest writes them: the even rows' survey ids
  // are taken first and each order names its survey in its own insert.
  std::vector<Survey> surveys;
  std::vector<std::optional<Id>> order_ids_written;
  auto linked = store_->Write<std::vector<Id>>([&](Tx& tx) -> Result<std::vector<Id>> {
    auto reserved = tx.surveys().TakeIds(kRows / 2);
    if (!reserved) return reserved.error();
    if (reserved->size() != kRows / 2) return Internal("wrong number of ids reserved");
    for (size_t i = 0; i < kRows; i += 2) orders[i].survey_id = (*reserved)[i / 2];
    auto order_ids = tx.orders().InsertMany(orders);
    if (!order_ids) return order_ids.error();
    order_ids_written = *order_ids;
    for (size_t i = 0; i < kRows; i += 2) {
      if (!(*order_ids)[i]) return Internal("an order was not inserted");
      Survey s;
      s.id = *orders[i].survey_id;
      s.shop_id = shop;
      s.order_id = *(*order_ids)[i];
      s.customer_id = orders[i].customer_id;
      s.segment = "shoes";
      s.order_at = orders[i].created_at;
      s.due_at = kT0 + std::chrono::hours{1};
      surveys.push_back(s);
    }
    auto sids = tx.surveys().InsertMany(surveys);
    if (!sids) return sids.error();
    if (*sids != *reserved) return Internal("the surveys did not keep the ids reserved for them");
    std::vector<std::pair<Id, Instant>> jobs;
    for (size_t j = 0; j < sids->size(); ++j) jobs.emplace_back((*sids)[j], surveys[j].due_at);
    auto added = tx.jobs().EnqueueMany(shop, JobKind::kSurvey, core::Channel::kEmail, jobs);
    if (!added) return added.error();
    if (*added != static_cast<int64_t>(jobs.size())) return Internal("jobs not all new");
    auto twice = tx.jobs().EnqueueMany(shop, JobKind::kSurvey, core::Channel::kEmail, jobs);
    if (!twice) return twice.error();
    if (*twice != 0) return Internal("a job was queued twice");
    return *sids;
  });
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  const std::vector<std::optional<Id>>& order_ids = order_ids_written;
  for (const auto& id : order_ids) ASSERT_TRUE(id);
  // Again: every key is taken now, and nothing fails.
  auto again =
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.orders().InsertMany(orders); });
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(std::count(again->begin(), again->end(), std::nullopt), static_cast<long>(kRows));
  // Ids taken later are past every survey's.
  auto later = store_->Write<std::vector<Id>>([&](Tx& tx) { return tx.surveys().TakeIds(3); });
  ASSERT_TRUE(later.ok()) << later.error().message;
  ASSERT_EQ(later->size(), 3u);
  EXPECT_GT(*std::min_element(later->begin(), later->end()), linked->back());
  EXPECT_EQ(std::set<Id>(later->begin(), later->end()).size(), 3u);

  auto stored =
      store_->Read<std::vector<Order>>([&](ReadTx& tx) { return tx.orders().FindMany(shop, order_keys); });
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  ASSERT_EQ(stored->size(), kRows);
  for (const auto& o : *stored) {
    const size_t i = std::stoul(o.external_id.substr(2));
    EXPECT_EQ(o.id, *order_ids[i]);
    EXPECT_EQ(o.total_minor, static_cast<int64_t>(i));
    EXPECT_EQ(o.survey_skip, orders[i].survey_skip);
    if (i % 2 == 0) {
      ASSERT_TRUE(o.survey_id) << i;
      EXPECT_EQ(*o.survey_id, (*linked)[i / 2]);
    } else {
      EXPECT_FALSE(o.survey_id) << i;
    }
  }
  for (size_t i : {size_t{0}, size_t{2}, size_t{257}, size_t{299}}) {
    auto one = store_->Read<std::optional<Order>>(
        [&](ReadTx& tx) { return tx.orders().Find(shop, orders[i].external_id); });
    ASSERT_TRUE(one.ok() && one->has_value());
    EXPECT_EQ((*one)->items.size(), orders[i].items.size()) << i;
    if (!orders[i].items.empty()) {
      EXPECT_EQ((*one)->items.back().category, orders[i].items.back().category);
    }
  }
  auto survey =
      store_->Read<std::optional<Survey>>([&](ReadTx& tx) { return tx.surveys().Get((*linked)[3]); });
  ASSERT_TRUE(survey.ok() && survey->has_value());
  EXPECT_EQ((*survey)->order_id, *order_ids[6]);
  auto job = store_->Read<std::optional<Job>>(
      [&](ReadTx& tx) { return tx.jobs().Find(JobKind::kSurvey, (*linked)[3], core::Channel::kEmail); });
  ASSERT_TRUE(job.ok() && job->has_value());
  EXPECT_EQ((*job)->status, store::JobStatus::kPending);
  EXPECT_EQ((*job)->run_at, kT0 + std::chrono::hours{1});

  // The answer-click forms over the 150 surveys (chunks of 64, 64, 16, 4, 1 and 1): answers
  // saved, two clicks each logged, read back by survey and by customer.
  std::vector<Survey> answered;
  std::vector<Click> clicks;
  for (size_t j = 0; j < linked->size(); ++j) {
    Survey a = surveys[j];
    a.id = (*linked)[j];
    a.score = static_cast<int>(j % 11);
    a.answer_state = j % 5 ? AnswerState::kCounted : AnswerState::kSuspect;
    a.answered_at = kT0 + std::chrono::seconds{static_cast<int64_t>(j)};
    a.updated_at = a.answered_at;
    a.comment = j == 3 ? "a \"quoted\", back\\slash {x} NULL" : "";
    answered.push_back(a);
    for (int k = 0; k < 2; ++k) {
      clicks.push_back(
          Click{a.id, kT0 + std::chrono::seconds{static_cast<int64_t>(j + 10 * k)}, static_cast<int>(j % 11),
                k ? core::ClickVerdict::kSuspect : core::ClickVerdict::kCount, k ? "" : "UA \"x\""});
    }
  }
  auto saved = store_->Write<Ok>([&](Tx& tx) -> Status {
    VOUCH_TRY(tx.surveys().InsertClicks(clicks));
    return tx.surveys().SaveAnswers(answered);
  });
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  std::vector<Id> asked = *linked;
  asked.push_back(999'999);  // unknown: left out
  auto got = store_->Read<std::vector<Survey>>([&](ReadTx& tx) { return tx.surveys().GetMany(asked); });
  ASSERT_TRUE(got.ok()) << got.error().message;
  ASSERT_EQ(got->size(), linked->size());
  std::map<Id, size_t> index_of;
  for (size_t j = 0; j < linked->size(); ++j) index_of[(*linked)[j]] = j;
  for (const auto& g : *got) {
    const size_t j = index_of.at(g.id);
    EXPECT_EQ(g.score, answered[j].score) << j;
    EXPECT_EQ(g.answer_state, answered[j].answer_state) << j;
    EXPECT_EQ(g.answered_at, answered[j].answered_at) << j;
    EXPECT_EQ(g.comment, answered[j].comment) << j;
    EXPECT_EQ(g.order_id, answered[j].order_id) << j;
  }
  // Since kT0 + 100 s: both clicks of surveys 100-149, the second one of 90-99.
  auto recent = store_->Read<std::vector<Click>>(
      [&](ReadTx& tx) { return tx.surveys().RecentClicksOf(*linked, kT0 + std::chrono::seconds{100}); });
  ASSERT_TRUE(recent.ok()) << recent.error().message;
  EXPECT_EQ(recent->size(), 2 * 50 + 10u);
  std::map<Id, std::vector<Click>> by_survey;
  for (const auto& c : *recent) by_survey[c.survey_id].push_back(c);
  for (const auto& [id, cs] : by_survey) {
    const size_t j = index_of.at(id);
    ASSERT_EQ(cs.size(), j >= 100 ? 2u : 1u) << j;
    EXPECT_EQ(cs.back().verdict, core::ClickVerdict::kSuspect);
    if (cs.size() == 2) {
      EXPECT_LT(cs[0].at, cs[1].at);
      EXPECT_EQ(cs[0].user_agent, "UA \"x\"");
    }
  }
  std::vector<Id> customer_ids;
  for (const auto& sv : surveys) customer_ids.push_back(sv.customer_id);
  auto people =
      store_->Read<std::vector<Customer>>([&](ReadTx& tx) { return tx.customers().GetMany(customer_ids); });
  ASSERT_TRUE(people.ok()) << people.error().message;
  ASSERT_EQ(people->size(), customer_ids.size());
  for (const auto& c : *people) EXPECT_EQ(c.shop_id, shop);
}

TEST_P(StoreTest, SetFormsTakeMoreRowsThanOneStatementCarries) {
  // 4,500 rows: PostgreSQL sends them in blocks of 2,000 array elements, SQLite in chunks.
  const Id shop = MakeShop();
  std::vector<Customer> cs(4500);
  std::vector<std::string> keys;
  for (size_t i = 0; i < cs.size(); ++i) {
    cs[i].shop_id = shop;
    cs[i].external_id = "c-" + std::to_string(i);
    cs[i].last_survey_at = kT0 + std::chrono::milliseconds{static_cast<int64_t>(i)};
    keys.push_back(cs[i].external_id);
  }
  auto ids =
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.customers().InsertMany(cs); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  auto found =
      store_->Read<std::vector<Customer>>([&](ReadTx& tx) { return tx.customers().FindMany(shop, keys); });
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), cs.size());
  std::set<Id> distinct;
  for (const auto& c : *found) {
    const size_t i = std::stoul(c.external_id.substr(2));
    ASSERT_TRUE((*ids)[i]) << i;
    EXPECT_EQ(c.id, *(*ids)[i]);
    EXPECT_EQ(c.last_survey_at, cs[i].last_survey_at);
    distinct.insert(c.id);
  }
  EXPECT_EQ(distinct.size(), cs.size());
}

TEST_P(StoreTest, SetFormsKeepAwkwardTextAndNulls) {
  // On PostgreSQL every column travels as one array literal: quotes, backslashes, commas,
  // braces, "NULL" as text, empty strings and real NULLs must all come back as they went in.
  const Id shop = MakeShop();
  const std::vector<std::string> awkward = {
      R"(He said "hi", {x} \ back\)", "NULL", "", "  ", "Zoë, 日本", "a\nb", "}{", R"(\")"};
  std::vector<Customer> cs;
  std::vector<std::string> keys;
  for (size_t i = 0; i < awkward.size(); ++i) {
    Customer c;
    c.shop_id = shop;
    c.external_id = "k" + std::to_string(i) + awkward[i];
    c.first_name = awkward[i];
    c.last_name = awkward[awkward.size() - 1 - i];
    if (i % 2) c.unsubscribed_at = kT0;
    cs.push_back(c);
    keys.push_back(c.external_id);
  }
  auto ids =
      store_->Write<std::vector<std::optional<Id>>>([&](Tx& tx) { return tx.customers().InsertMany(cs); });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  for (const auto& id : *ids) EXPECT_TRUE(id);
  auto found =
      store_->Read<std::vector<Customer>>([&](ReadTx& tx) { return tx.customers().FindMany(shop, keys); });
  ASSERT_TRUE(found.ok()) << found.error().message;
  ASSERT_EQ(found->size(), awkward.size());
  for (const auto& c : *found) {
    auto at = std::find(keys.begin(), keys.end(), c.external_id);
    ASSERT_NE(at, keys.end()) << c.external_id;
    const size_t i = static_cast<size_t>(at - keys.begin());
    EXPECT_EQ(c.id, *(*ids)[i]);
    EXPECT_EQ(c.first_name, awkward[i]);
    EXPECT_EQ(c.last_name, awkward[awkward.size() - 1 - i]);
    EXPECT_EQ(c.unsubscribed_at, i % 2 ? std::optional<Instant>(kT0) : std::nullopt) << i;
    EXPECT_FALSE(c.last_survey_at.has_value());
  }
}

TEST_P(StoreTest, ACollidingInsertLeavesTheTransactionUsable) {
  // PostgreSQL aborts a transaction on a failed statement; the app retries a taken code with
  // another in the same transaction, so a collision must come back as a value, not a failure.
  const Id shop = MakeShop();
  auto ids = store_->Write<std::pair<Id, Id>>([&](Tx& tx) -> Result<std::pair<Id, Id>> {
    Customer a, b;
    a.shop_id = b.shop_id = shop;
    a.external_id = "a";
    b.external_id = "b";
    auto ia = tx.customers().Insert(a);
    auto ib = tx.customers().Insert(b);
    if (!ia || !ib) return Internal("customers");
    ReferralCode code;
    code.shop_id = shop;
    code.code = "TAKEN-1";
    code.promoter_id = *ia;
    code.created_at = kT0;
    VOUCH_TRY(tx.referrals().InsertCode(code));
    code.promoter_id = *ib;
    auto dup = tx.referrals().InsertCode(code);
    if (dup.ok() || dup.error().code != Code::kAlreadyExists) return Internal("expected a collision");
    code.code = "FREE-2";
    auto second = tx.referrals().InsertCode(code);
    if (!second) return second.error();
    return std::make_pair(*ia, *second);
  });
  ASSERT_TRUE(ids.ok()) << ids.error().message;
  auto found = store_->Read<std::optional<ReferralCode>>(
      [](ReadTx& tx) { return tx.referrals().FindCodeAnyShop("FREE-2"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, ids->second);
}

// Runs every operation of the Tx once with realistic data: a query PostgreSQL cannot type or
// parse fails here, on every store.
TEST_P(StoreTest, EveryOperationRunsAndReadsBackWhatItWrote) {
  const Id shop = MakeShop();
  auto r = store_->Write<Ok>([&](Tx& tx) -> Status {
    auto got = tx.shops().Get(shop);
    if (!got || !got->has_value()) return Internal("GetShop");
    Shop s = **got;
    s.settings.reward_minor = 1500;
    VOUCH_TRY(tx.shops().Update(s));
    VOUCH_TRY(tx.shops().ReplaceKeys(shop, "hash-2", "Rotated key", kT0));
    Customer c;
    c.shop_id = shop;
    c.external_id = "c-1";
    c.email = "anna@example.com";
    c.last_survey_at = kT0;
    auto cid = tx.customers().Insert(c);
    if (!cid) return cid.error();
    c.id = *cid;
    c.first_name = "Anna";
    VOUCH_TRY(tx.customers().Update(c));
    Order o;
    o.shop_id = shop;
    o.external_id = "1001";
    o.customer_id = c.id;
    o.created_at = kT0;
    o.currency = "EUR";
    o.total_minor = 4200;
    o.items = {LineItem{"p", "Tent", "tents", 2, 2100}};
    auto oid = tx.orders().Insert(o);
    if (!oid) return oid.error();
    Survey sv;
    sv.shop_id = shop;
    sv.order_id = *oid;
    sv.customer_id = c.id;
    sv.segment = "tents";
    sv.order_at = o.created_at;
    sv.due_at = kT0;
    auto sid = tx.surveys().Insert(sv);
    if (!sid) return sid.error();
    VOUCH_TRY(tx.orders().SetOutcome(*oid, *sid, "", std::nullopt));
    VOUCH_TRY(tx.surveys().MarkSent(*sid, kT0));
    sv.id = *sid;
    sv.score = 10;
    sv.answer_state = AnswerState::kCounted;
    sv.answered_at = sv.updated_at = kT0 + Millis{1000};
    sv.comment = "great";
    VOUCH_TRY(tx.surveys().SaveAnswer(sv));
    VOUCH_TRY(
        tx.surveys().InsertClick(Click{*sid, kT0 + Millis{1000}, 10, core::ClickVerdict::kCount, "Mozilla"}));
    VOUCH_TRY(tx.surveys().AddToRollup(shop, 20416, "tents", 10, 1));
    ReferralCode code;
    code.shop_id = shop;
    code.code = "ANNA-1234";
    code.promoter_id = c.id;
    code.survey_id = *sid;
    code.created_at = kT0;
    auto kid = tx.referrals().InsertCode(code);
    if (!kid) return kid.error();
    VOUCH_TRY(tx.referrals().AddCodeVisit(*kid, kT0 + Millis{2000}));
    VOUCH_TRY(tx.referrals().AddCodeUse(*kid));
    Customer friend_c;
    friend_c.shop_id = shop;
    friend_c.external_id = "c-2";
    auto fid = tx.customers().Insert(friend_c);
    if (!fid) return fid.error();
    Order fo = o;
    fo.external_id = "1002";
    fo.customer_id = *fid;
    fo.created_at = kT0 + Millis{3000};
    fo.discount_codes = {"ANNA-1234"};
    auto foid = tx.orders().Insert(fo);
    if (!foid) return foid.error();
    auto rid = tx.referrals().Insert(Referral{0,
                                              shop,
                                              *foid,
                                              *kid,
                                              c.id,
                                              core::ReferralVerdict::kQualified,
                                              4200,
                                              "EUR",
                                              fo.created_at,
                                              core::Decision::kQualified,
                                              {},
                                              std::nullopt});
    if (!rid) return rid.error();
    auto wid = tx.referrals().InsertReward(Reward{0, shop, *rid, c.id, "RW-1", 1500, "EUR", fo.created_at,
                                                  RewardStatus::kReleased, std::nullopt, fo.created_at,
                                                  std::nullopt, "", std::nullopt, "", std::nullopt});
    if (!wid) return wid.error();
    auto queued = tx.jobs().Enqueue(shop, JobKind::kActivation, *kid, core::Channel::kEmail, kT0);
    if (!queued) return queued.error();
    VOUCH_TRY(tx.jobs().Reschedule(JobKind::kActivation, *kid, core::Channel::kEmail, kT0 + Millis{10}));
    auto jobs = tx.jobs().Claim(kT0 + Millis{20}, Millis{1000}, 5);
    if (!jobs || jobs->size() != 1) return Internal("claim");
    VOUCH_TRY(tx.jobs().Finish(jobs->front().id, store::JobStatus::kDone, "", kT0 + Millis{30}));
    VOUCH_TRY(tx.jobs().Enqueue(shop, JobKind::kReward, *wid, core::Channel::kEmail, kT0));
    auto again = tx.jobs().Claim(kT0 + Millis{40}, Millis{1000}, 5);
    if (!again || again->size() != 1) return Internal("claim 2");
    VOUCH_TRY(tx.jobs().Retry(again->front().id, kT0 + Millis{5000}, "smtp down"));
    VOUCH_TRY(tx.templates().Put(shop, "de/survey", "a"));
    VOUCH_TRY(tx.templates().Put(shop, "de/survey", "b"));
    VOUCH_TRY(tx.templates().Put(shop, "en/thanks", "c"));
    VOUCH_TRY(tx.templates().Delete(shop, "en/thanks"));
    VOUCH_TRY(tx.meta().PutIfAbsent("secret", "one"));
    return tx.meta().PutIfAbsent("secret", "two");
  });
  ASSERT_TRUE(r.ok()) << r.error().message;

  auto check = store_->Read<Ok>([&](ReadTx& tx) -> Status {
    auto s = tx.shops().FindByKeyHash("hash-2");
    EXPECT_TRUE(s.ok() && s->has_value() && (*s)->settings.reward_minor == 1500);
    auto c = tx.customers().Find(shop, "c-1");
    EXPECT_TRUE(c.ok() && c->has_value());
    if (!c.ok() || !c->has_value()) return Internal("customer");
    const Id cid = (**c).id;
    EXPECT_EQ((**c).first_name, "Anna");
    EXPECT_EQ((**c).last_survey_at, std::optional<Instant>(kT0));
    EXPECT_TRUE(tx.customers().Get(cid).ok());
    auto before = tx.orders().CountBefore(cid, kT0 + Millis{1}, 0);
    EXPECT_TRUE(before.ok() && *before == 1);
    auto by_contact = tx.orders().CountByContactBefore(shop, "anna@example.com", "", kT0 + Millis{1}, 0);
    EXPECT_TRUE(by_contact.ok() && *by_contact == 1);
    auto none = tx.orders().CountByContactBefore(shop, "", "", kT0 + Millis{1}, 0);
    EXPECT_TRUE(none.ok() && *none == 0);
    auto orders = tx.orders().ListByCustomer(cid);
    EXPECT_TRUE(orders.ok() && orders->size() == 1 && orders->front().survey_id.has_value());
    auto surveys = tx.surveys().ListByCustomer(cid);
    EXPECT_TRUE(surveys.ok() && surveys->size() == 1);
    if (!surveys.ok() || surveys->empty()) return Internal("surveys");
    const Survey& sv = surveys->front();
    EXPECT_EQ(sv.score, std::optional<int>(10));
    EXPECT_EQ(sv.status, store::SurveyStatus::kSent);
    EXPECT_EQ(sv.comment, "great");
    EXPECT_EQ(sv.order_at, kT0);  // the order's time, stored with its survey for the funnel
    auto gs = tx.surveys().Get(sv.id);
    EXPECT_TRUE(gs.ok() && gs->has_value());
    auto clicks = tx.surveys().RecentClicks(sv.id, kT0);
    EXPECT_TRUE(clicks.ok() && clicks->size() == 1 && clicks->front().user_agent == "Mozilla");
    auto code = tx.referrals().FindCodeByPromoter(shop, cid);
    EXPECT_TRUE(code.ok() && code->has_value() && (**code).visits == 1 && (**code).uses == 1);
    EXPECT_TRUE(tx.referrals().FindCode(shop, "ANNA-1234").ok());
    if (code.ok() && code->has_value()) {
      EXPECT_TRUE(tx.referrals().GetCode((**code).id).ok());
      // The visit at kT0 + 2 s is in [from, to) only when both ends hold it.
      const Id kid = (**code).id;
      auto visits = [&](Id k, Instant from, Instant to) {
        auto n = tx.referrals().CountVisitsOnCode(k, from, to);
        return n.ok() ? *n : -1;
      };
      EXPECT_EQ(visits(kid, kT0, kT0 + Millis{2001}), 1);
      EXPECT_EQ(visits(kid, kT0 + Millis{2000}, kT0 + Millis{2001}), 1);
      EXPECT_EQ(visits(kid, kT0, kT0 + Millis{2000}), 0);
      EXPECT_EQ(visits(kid, kT0 + Millis{2001}, kT0 + Millis{9000}), 0);
      EXPECT_EQ(visits(kid + 1000, kT0, kT0 + Millis{9000}), 0);
    }
    auto days = tx.reports().RollupByDay(shop, 20000, 21000, std::string("tents"));
    EXPECT_TRUE(days.ok() && days->size() == 1 && days->front().counts.by_score[10] == 1);
    auto funnel = tx.reports().FunnelCounts(shop, kT0, kT0 + Millis{86'400'000});
    EXPECT_TRUE(funnel.ok());
    if (funnel.ok()) {
      EXPECT_EQ(funnel->orders, 2);
      EXPECT_EQ(funnel->surveys_sent, 1);
      EXPECT_EQ(funnel->promoters, 1);
      EXPECT_EQ(funnel->activated, 1);
      EXPECT_EQ(funnel->share_visits, 1);
      EXPECT_EQ(funnel->referred_revenue_minor, 4200);
      EXPECT_EQ(funnel->reward_cost_minor, 1500);
    }
    auto top = tx.reports().TopPromoters(shop, kT0, kT0 + Millis{86'400'000}, 10);
    EXPECT_TRUE(top.ok() && top->size() == 1 && top->front().revenue_minor == 4200 &&
                top->front().reward_cost_minor == 1500);
    auto responses = tx.reports().ListResponses(shop, kT0, kT0 + Millis{86'400'000}, 0, 10, 0, 10);
    EXPECT_TRUE(responses.ok() && responses->size() == 1 && responses->front().segment == "tents");
    auto after = tx.reports().ListResponses(shop, kT0, kT0 + Millis{86'400'000}, 0, 10, sv.id, 10);
    EXPECT_TRUE(after.ok() && after->empty());
    auto all_jobs = tx.jobs().List(shop, std::nullopt, 10);
    EXPECT_TRUE(all_jobs.ok() && all_jobs->size() == 2);
    auto pending = tx.jobs().List(shop, store::JobStatus::kPending, 10);
    EXPECT_TRUE(pending.ok() && pending->size() == 1 && pending->front().last_error == "smtp down");
    auto counts = tx.jobs().Count(shop);
    EXPECT_TRUE(counts.ok() && counts->done == 1 && counts->pending == 1);
    auto next = tx.jobs().NextDue();
    EXPECT_TRUE(next.ok() && *next == std::optional<Instant>(kT0 + Millis{5000}));
    auto job = tx.jobs().Find(JobKind::kReward, 1, core::Channel::kEmail);
    EXPECT_TRUE(job.ok());
    auto reward = tx.referrals().FindRewardByReferral(1);
    EXPECT_TRUE(reward.ok());
    if (reward.ok() && reward->has_value()) {
      EXPECT_EQ((**reward).code, "RW-1");
      auto rw = tx.referrals().GetReward((**reward).id);
      EXPECT_TRUE(rw.ok() && rw->has_value());
      auto ref = tx.referrals().Get((**reward).referral_id);
      EXPECT_TRUE(ref.ok() && ref->has_value() && (**ref).status == core::ReferralVerdict::kQualified);
    }
    auto templates = tx.templates().Overrides(shop);
    EXPECT_TRUE(templates.ok() && *templates == (std::map<std::string, std::string>{{"de/survey", "b"}}));
    auto meta = tx.meta().Get("secret");
    EXPECT_TRUE(meta.ok() && *meta == std::optional<std::string>("one"));
    auto segments = tx.reports().Segments(shop);
    EXPECT_TRUE(segments.ok() && *segments == std::vector<std::string>{"tents"});
    return OkStatus();
  });
  ASSERT_TRUE(check.ok()) << check.error().message;

  auto erased = store_->Write<Ok>([&](Tx& tx) -> Status {
    auto c = tx.customers().Find(shop, "c-1");
    if (!c || !c->has_value()) return Internal("customer");
    return tx.customers().Erase((**c).id);
  });
  ASSERT_TRUE(erased.ok()) << erased.error().message;
  auto gone =
      store_->Read<std::optional<Customer>>([&](ReadTx& tx) { return tx.customers().Find(shop, "c-1"); });
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

// Several nodes on one database: every node has its own store (writer and readers). The rollup
// upsert must lose no increment when their transactions interleave.
TEST_P(StoreTest, RollupLosesNoUpdateWithSeveralStoresOnOneDatabase) {
  const Id shop = MakeShop();
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  std::vector<Store*> stores = {store_.get(), other->get()};
  constexpr int kPerThread = 150;
  std::atomic<int64_t> added{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      Store& store = *stores[static_cast<size_t>(t % 2)];
      for (int i = 0; i < kPerThread; ++i) {
        const int score = (t + i) % 11;
        // Interleaved group commits of two nodes can deadlock on rollup rows; the writer runs a
        // write PostgreSQL aborted for that again itself, so no caller sees the deadlock.
        Status w = store.Write<Ok>(
            [&](Tx& tx) { return tx.surveys().AddToRollup(shop, 20000 + i % 3, "all", score, 1); });
        if (w.ok()) {
          added.fetch_add(1);
        } else {
          failed.fetch_add(1);
          ADD_FAILURE() << w.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  for (Store* store : stores) {
    auto days = store->Read<std::vector<DayCounts>>(
        [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 0, 30000, std::nullopt); });
    ASSERT_TRUE(days.ok()) << days.error().message;
    int64_t total = 0;
    for (const auto& d : *days) total += d.counts.Total();
    EXPECT_EQ(total, added.load());
    EXPECT_EQ(total, 6 * kPerThread);
  }
}

// Two nodes' writes that lock the same rollup rows in opposite order deadlock. PostgreSQL aborts
// one of them; the writer rolls it back to its savepoint and runs it again after its batch has
// committed, so both callers succeed and no increment is lost.
TEST_P(StoreTest, AWriteAbortedByADeadlockIsRunAgain) {
  if (GetParam() != "postgres") GTEST_SKIP() << "PostgreSQL only (SQLite has one writer)";
  const Id shop = MakeShop();
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  std::latch both_hold_a_row(2);
  std::atomic<int> runs{0};
  auto crossing = [&](int64_t first_day, int64_t second_day) {
    return [&, first_day, second_day](Tx& tx) -> Status {
      const bool initial = runs.fetch_add(1) < 2;  // a rerun only follows the deadlock
      VOUCH_TRY(tx.surveys().AddToRollup(shop, first_day, "all", 10, 1));
      if (initial) both_hold_a_row.arrive_and_wait();
      return tx.surveys().AddToRollup(shop, second_day, "all", 10, 1);
    };
  };
  Status a = OkStatus(), b = OkStatus();
  std::thread ta([&] { a = store_->Write<Ok>(crossing(20001, 20002)); });
  std::thread tb([&] { b = (*other)->Write<Ok>(crossing(20002, 20001)); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(b.ok()) << b.error().message;
  // At least one rerun; under load a rerun can meet the other node's batch again (seen once:
  // 4 runs), which is the retry doing its job, not a lost or doubled write (the total says so).
  EXPECT_GE(runs.load(), 3) << "one of the two writes should have been run again";
  auto days = store_->Read<std::vector<DayCounts>>(
      [&](ReadTx& tx) { return tx.reports().RollupByDay(shop, 0, 30000, std::nullopt); });
  ASSERT_TRUE(days.ok()) << days.error().message;
  int64_t total = 0;
  for (const auto& d : *days) total += d.counts.Total();
  EXPECT_EQ(total, 4);
}

TEST_P(StoreTest, ClaimersOnSeveralStoresNeverShareAJob) {
  const Id shop = MakeShop();
  constexpr int kJobs = 300;
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    for (int i = 0; i < kJobs; ++i)
                      VOUCH_TRY(tx.jobs().Enqueue(shop, JobKind::kSurvey, i, core::Channel::kEmail, kT0));
                    return OkStatus();
                  })
                  .ok());
  auto other = OpenStore(url_);
  ASSERT_TRUE(other.ok()) << other.error().message;
  std::vector<Store*> stores = {store_.get(), other->get()};
  std::mutex mu;
  std::vector<Id> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Store& store = *stores[static_cast<size_t>(t % 2)];
      for (int idle = 0; idle < 3;) {
        auto jobs =
            store.Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{60'000}, 5); });
        ASSERT_TRUE(jobs.ok()) << jobs.error().message;
        if (jobs->empty()) {
          ++idle;  // the other store's open transaction may hold the rest for a moment
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        std::lock_guard lock(mu);
        for (const auto& j : *jobs) seen.push_back(j.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

// PostgreSQL restarts (or an admin kills sessions): requests fail fast with kUnavailable, then the
// same store recovers on its own.
TEST_P(StoreTest, RecoversWhenTheServerDropsItsConnections) {
  if (GetParam() != "postgres") GTEST_SKIP() << "PostgreSQL only";
  MakeShop("before");
  {
    auto admin = db_->Connect();
    ASSERT_TRUE(admin.ok());
    auto backends = [&] {
      auto n = (*admin)->Query(
          "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
          "AND pid <> pg_backend_pid()");
      EXPECT_TRUE(n.ok());
      return n.ok() ? sql::Int(n->front(), 0) : -1;
    };
    EXPECT_EQ(backends(), 1);  // the writer: readers open on first need, not at start-up
    ASSERT_TRUE(store_->Read<std::vector<Shop>>([](ReadTx& tx) { return tx.shops().List(); }).ok());
    EXPECT_EQ(backends(), 2);
    auto killed = (*admin)->Query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    ASSERT_TRUE(killed.ok()) << killed.error().message;
    ASSERT_GE(killed->size(), 2u);  // the writer and the readers
  }
  auto write = [&](const std::string& key) {
    Shop shop;
    shop.name = key;
    shop.url = "https://x.example";
    return store_->Write<Id>([&](Tx& tx) { return tx.shops().Insert(shop, key); });
  };
  int failures = 0;
  Result<Id> w = write("after-0");
  for (int i = 1; !w.ok() && i < 3; ++i) {
    EXPECT_EQ(w.error().code, Code::kUnavailable) << w.error().message;
    ++failures;
    w = write("after-" + std::to_string(i));
  }
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_LE(failures, 1);
  for (int i = 0; i < 10; ++i) {  // every pooled reader fails once at most, then reconnects
    auto r = store_->Read<std::vector<Shop>>([](ReadTx& tx) { return tx.shops().List(); });
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, Code::kUnavailable) << r.error().message;
      continue;
    }
    EXPECT_EQ(r->size(), 2u);
  }
  auto final_read = store_->Read<std::vector<Shop>>([](ReadTx& tx) { return tx.shops().List(); });
  ASSERT_TRUE(final_read.ok()) << final_read.error().message;
}

TEST_P(StoreTest, MigratingFromSeveralNodesAtOnceIsSafe) {
  store_.reset();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto s = OpenStore(url_, StoreOptions{1, 16, true});
      if (s.ok() && (*s)->SchemaVersion() == test::LatestSchemaVersion()) ok.fetch_add(1);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);
}

// Text messages (migration 0015): opt-outs per number, the survey a reply answers, delivery reports.
TEST_P(StoreTest, SmsOptOutsRepliesAndDeliveryReports) {
  const Id a = MakeShop("a"), b = MakeShop("b");
  const std::string phone = "+4915112345678";
  // Two shops' customers with the number; each has a texted survey, b's sent later.
  auto surveyed = [&](Id shop, const std::string& ext, Instant sent, core::Channel channel) {
    return store_->Write<Id>([&](Tx& tx) -> Result<Id> {
      Customer c;
      c.shop_id = shop;
      c.external_id = ext;
      c.phone = phone;
      auto cid = tx.customers().Insert(c);
      if (!cid) return cid.error();
      Order o;
      o.shop_id = shop;
      o.external_id = ext;
      o.customer_id = *cid;
      o.created_at = kT0;
      o.currency = "EUR";
      auto oid = tx.orders().Insert(o);
      if (!oid) return oid.error();
      Survey sv;
      sv.shop_id = shop;
      sv.order_id = *oid;
      sv.customer_id = *cid;
      sv.channel = channel;
      sv.order_at = o.created_at;
      sv.due_at = kT0;
      auto sid = tx.surveys().Insert(sv);
      if (!sid) return sid.error();
      VOUCH_TRY(tx.surveys().MarkSent(*sid, sent));
      return *sid;
    });
  };
  const auto first = surveyed(a, "c-a", kT0 + std::chrono::minutes{1}, core::Channel::kSms);
  const auto second = surveyed(b, "c-b", kT0 + std::chrono::minutes{2}, core::Channel::kSms);
  const auto mailed = surveyed(b, "c-m", kT0 + std::chrono::minutes{3}, core::Channel::kEmail);
  ASSERT_TRUE(first.ok() && second.ok() && mailed.ok());
  auto latest = [&] {
    auto r = store_->Read<std::optional<Id>>([&](ReadTx& tx) { return tx.sms().LatestOpenSurvey(phone); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  };
  EXPECT_EQ(latest(), *second);  // the newest texted survey, not the mailed one
  ASSERT_TRUE(store_
                  ->Write<Ok>([&](Tx& tx) -> Status {
                    auto sv = tx.surveys().Get(*second);
                    if (!sv) return sv.error();
                    Survey answered = **sv;
                    answered.score = 10;
                    answered.answer_state = AnswerState::kConfirmed;
                    answered.answered_at = kT0 + std::chrono::minutes{4};
                    return tx.surveys().SaveAnswer(answered);
                  })
                  .ok());
  EXPECT_EQ(latest(), *first);  // answered ones are not open
  EXPECT_FALSE(
      store_->Read<std::optional<Id>>([&](ReadTx& tx) { return tx.sms().LatestOpenSurvey("+4915199999999"); })
          ->has_value());

  auto opt = [&](bool out) {
    return *store_->Write<bool>(
        [&](Tx& tx) { return out ? tx.sms().OptOut(phone, kT0) : tx.sms().OptIn(phone); });
  };
  auto is_out = [&] { return *store_->Read<bool>([&](ReadTx& tx) { return tx.sms().IsOptedOut(phone); }); };
  EXPECT_FALSE(is_out());
  EXPECT_TRUE(opt(true));   // new
  EXPECT_FALSE(opt(true));  // again: not new (confirmed once)
  EXPECT_TRUE(is_out());
  EXPECT_TRUE(opt(false));
  EXPECT_FALSE(opt(false));
  EXPECT_FALSE(is_out());

  // Delivery reports: only an SMS job that was sent changes; a failure fails it with the reason.
  auto job = [&](Id ref, core::Channel channel) {
    EXPECT_TRUE(
        store_->Write<bool>([&](Tx& tx) { return tx.jobs().Enqueue(a, JobKind::kSurvey, ref, channel, kT0); })
            .ok());
    return (*store_->Read<std::optional<Job>>(
                [&](ReadTx& tx) { return tx.jobs().Find(JobKind::kSurvey, ref, channel); }))
        ->id;
  };
  const Id text = job(1, core::Channel::kSms), mail = job(2, core::Channel::kEmail);
  auto report = [&](Id id, bool delivered, const std::string& detail) {
    return *store_->Write<bool>([&](Tx& tx) { return tx.sms().RecordDelivery(id, delivered, detail, kT0); });
  };
  auto get = [&](Id ref, core::Channel channel) {
    return **store_->Read<std::optional<Job>>(
        [&](ReadTx& tx) { return tx.jobs().Find(JobKind::kSurvey, ref, channel); });
  };
  EXPECT_FALSE(report(text, true, ""));  // still pending: not sent yet
  ASSERT_TRUE(
      store_->Write<Ok>([&](Tx& tx) { return tx.jobs().Finish(text, JobStatus::kDone, "", kT0); }).ok());
  ASSERT_TRUE(
      store_->Write<Ok>([&](Tx& tx) { return tx.jobs().Finish(mail, JobStatus::kDone, "", kT0); }).ok());
  EXPECT_FALSE(report(mail, true, ""));  // a mail has no delivery reports
  EXPECT_TRUE(report(text, false, "not delivered: stat:UNDELIV"));
  Job failed = get(1, core::Channel::kSms);
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.delivery, "failed");
  EXPECT_EQ(failed.last_error, "not delivered: stat:UNDELIV");
  EXPECT_TRUE(report(text, true, ""));  // a later "delivered" wins: reports may come out of order
  Job delivered = get(1, core::Channel::kSms);
  EXPECT_EQ(delivered.status, JobStatus::kDone);
  EXPECT_EQ(delivered.delivery, "delivered");
  EXPECT_EQ(get(2, core::Channel::kEmail).delivery, "");

  // Defer: back to pending at the given time, its claim not counted as an attempt.
  const Id later = job(3, core::Channel::kSms);
  auto claimed =
      store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{60000}, 10); });
  ASSERT_TRUE(claimed.ok());
  ASSERT_TRUE(
      store_->Write<Ok>([&](Tx& tx) { return tx.sms().Defer(later, kT0 + std::chrono::hours{8}, "quiet"); })
          .ok());
  Job deferred = get(3, core::Channel::kSms);
  EXPECT_EQ(deferred.status, JobStatus::kPending);
  EXPECT_EQ(deferred.attempts, 0);
  EXPECT_EQ(deferred.run_at, kT0 + std::chrono::hours{8});

  // A report that comes while the job still runs (before the worker records the gateway's answer)
  // is kept; the worker's Finish then makes it done, or failed when the report said so.
  const Id early = job(4, core::Channel::kSms), early_fail = job(5, core::Channel::kSms);
  ASSERT_TRUE(
      store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.jobs().Claim(kT0, Millis{60000}, 10); }).ok());
  ASSERT_EQ(get(4, core::Channel::kSms).status, JobStatus::kRunning);
  EXPECT_TRUE(report(early, true, ""));
  EXPECT_TRUE(report(early_fail, false, "not delivered: stat:REJECTD"));
  EXPECT_EQ(get(4, core::Channel::kSms).status, JobStatus::kRunning) << "the worker still owns it";
  for (Id id : {early, early_fail}) {
    ASSERT_TRUE(
        store_->Write<Ok>([&](Tx& tx) { return tx.jobs().Finish(id, JobStatus::kDone, "", kT0); }).ok());
  }
  EXPECT_EQ(get(4, core::Channel::kSms).status, JobStatus::kDone);
  EXPECT_EQ(get(4, core::Channel::kSms).delivery, "delivered");
  Job rejected = get(5, core::Channel::kSms);
  EXPECT_EQ(rejected.status, JobStatus::kFailed);
  EXPECT_EQ(rejected.last_error, "not delivered: stat:REJECTD");
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

TEST(PgPlaceholderTest, RewritesNumberedParametersOutsideLiteralsAndComments) {
  using postgres::RewritePlaceholders;
  EXPECT_EQ(RewritePlaceholders("SELECT ?1, ?12 FROM t WHERE a = ?2"), "SELECT $1, $12 FROM t WHERE a = $2");
  EXPECT_EQ(RewritePlaceholders("SELECT '?1', 'it''s ?2', \"?3\" -- ?4\n, ?5"),
            "SELECT '?1', 'it''s ?2', \"?3\" -- ?4\n, $5");
  EXPECT_EQ(RewritePlaceholders("SELECT a ? b"), "SELECT a ? b");
}

}  // namespace
}  // namespace vouch::store
