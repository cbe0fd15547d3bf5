// The store suite: runs against every store URL the environment offers (SQLite always).
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "store/store.h"
#include "support/temp_dir.h"

namespace vouch::store {
namespace {

using test::TempDir;

const Instant kT0 = FromUnixMillis(1'764'000'000'000);  // 2025-11-24

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = "sqlite:" + dir_.File("vouch.db");
    auto s = OpenStore(url_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  Id MakeShop(const std::string& key_hash = "hash-1") {
    Shop shop;
    shop.name = "Trail";
    shop.url = "https://trail.example";
    shop.created_at = kT0;
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.InsertShop(shop, key_hash); });
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, MigrationsAppliedOnceAndReopenIsANoOp) {
  EXPECT_EQ(store_->Kind(), "sqlite");
  EXPECT_EQ(store_->SchemaVersion(), 1);
  MakeShop();
  store_.reset();
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok());
  auto shops = (*again)->Read<std::vector<Shop>>([](Tx& tx) { return tx.ListShops(); });
  ASSERT_TRUE(shops.ok());
  EXPECT_EQ(shops->size(), 1u);
}

TEST_F(StoreTest, RefusesADatabaseNewerThanItKnows) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("vouch.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, '0999_future', 0)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto s = OpenStore(url_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Code::kFailedPrecondition);
  EXPECT_NE(s.error().message.find("newer"), std::string::npos);
}

TEST_F(StoreTest, RejectsUnknownUrlScheme) {
  auto s = OpenStore("mysql://x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "VOUCH_DB");
}

TEST_F(StoreTest, FailedWriteLeavesNothingBehind) {
  auto r = store_->Write<Id>([&](Tx& tx) -> Result<Id> {
    Shop shop;
    shop.name = "Half";
    shop.url = "https://half.example";
    auto id = tx.InsertShop(shop, "half");
    if (!id) return id;
    return InvalidArgument("x", "fails after the insert");
  });
  ASSERT_FALSE(r.ok());
  auto found = store_->Read<std::optional<Shop>>([](Tx& tx) { return tx.FindShopByKeyHash("half"); });
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
}

TEST_F(StoreTest, GroupCommitIsolatesAFailingWriteFromItsBatch) {
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
          auto id = tx.InsertShop(shop, "k" + std::to_string(i));
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
  auto shops = store_->Read<std::vector<Shop>>([](Tx& tx) { return tx.ListShops(); });
  ASSERT_TRUE(shops.ok());
  ASSERT_EQ(shops->size(), static_cast<size_t>(kWrites / 2));
  for (const auto& s : *shops) EXPECT_EQ(std::stoi(s.name.substr(1)) % 2, 0) << s.name;
}

TEST_F(StoreTest, AcknowledgedWriteSurvivesReopen) {
  MakeShop("durable");
  store_.reset();
  auto again = OpenStore(url_);
  ASSERT_TRUE(again.ok());
  auto found = (*again)->Read<std::optional<Shop>>([](Tx& tx) { return tx.FindShopByKeyHash("durable"); });
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value());
}

TEST_F(StoreTest, EnqueueIsIdempotentPerCause) {
  const Id shop = MakeShop();
  auto first = store_->Write<bool>([&](Tx& tx) { return tx.EnqueueJob(shop, JobKind::kSurvey, 7, kT0); });
  auto second = store_->Write<bool>([&](Tx& tx) { return tx.EnqueueJob(shop, JobKind::kSurvey, 7, kT0); });
  auto other = store_->Write<bool>([&](Tx& tx) { return tx.EnqueueJob(shop, JobKind::kReward, 7, kT0); });
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*second);
  EXPECT_TRUE(*other);
  auto counts = store_->Read<JobCounts>([&](Tx& tx) { return tx.CountJobs(shop); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 2);
}

TEST_F(StoreTest, ClaimTakesDueJobsOnceUntilTheLeaseExpires) {
  const Id shop = MakeShop();
  ASSERT_TRUE(store_->Write<bool>([&](Tx& tx) { return tx.EnqueueJob(shop, JobKind::kSurvey, 1, kT0); }).ok());
  ASSERT_TRUE(store_->Write<bool>([&](Tx& tx) { return tx.EnqueueJob(shop, JobKind::kSurvey, 2, kT0 + Millis{60'000}); }).ok());
  auto claim = [&](Instant now) {
    auto jobs = store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.ClaimJobs(now, Millis{30'000}, 10); });
    EXPECT_TRUE(jobs.ok());
    return jobs.ok() ? *jobs : std::vector<Job>{};
  };
  auto first = claim(kT0);
  ASSERT_EQ(first.size(), 1u);  // job 2 is not due yet
  EXPECT_EQ(first[0].ref_id, 1);
  EXPECT_EQ(first[0].attempts, 1);
  EXPECT_EQ(first[0].status, "running");
  EXPECT_TRUE(claim(kT0 + Millis{10'000}).empty());  // leased
  auto after_lease = claim(kT0 + Millis{31'000});    // the claimer died: lease expired
  ASSERT_EQ(after_lease.size(), 1u);
  EXPECT_EQ(after_lease[0].ref_id, 1);
  EXPECT_EQ(after_lease[0].attempts, 2);
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) { return tx.FinishJob(after_lease[0].id, "done", "", kT0); }).ok());
  auto later = claim(kT0 + Millis{120'000});
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].ref_id, 2);
}

TEST_F(StoreTest, ConcurrentClaimersNeverShareAJob) {
  const Id shop = MakeShop();
  constexpr int kJobs = 300;
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) -> Status {
    for (int i = 0; i < kJobs; ++i) {
      auto q = tx.EnqueueJob(shop, JobKind::kSurvey, i, kT0);
      if (!q) return q.error();
    }
    return OkStatus();
  }).ok());
  std::mutex mu;
  std::vector<Id> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      while (true) {
        auto jobs = store_->Write<std::vector<Job>>([&](Tx& tx) { return tx.ClaimJobs(kT0, Millis{60'000}, 7); });
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

TEST_F(StoreTest, RollupSumsByDayAndFiltersBySegment) {
  const Id shop = MakeShop();
  ASSERT_TRUE(store_->Write<Ok>([&](Tx& tx) -> Status {
    VOUCH_TRY(tx.AddToRollup(shop, 100, "shoes", 10, 1));
    VOUCH_TRY(tx.AddToRollup(shop, 100, "shoes", 10, 1));
    VOUCH_TRY(tx.AddToRollup(shop, 100, "tents", 3, 1));
    VOUCH_TRY(tx.AddToRollup(shop, 101, "shoes", 8, 1));
    VOUCH_TRY(tx.AddToRollup(shop, 101, "shoes", 8, -1));  // an answer changed away
    return tx.AddToRollup(shop, 105, "", 0, 1);
  }).ok());
  auto all = store_->Read<std::vector<DayCounts>>([&](Tx& tx) { return tx.RollupByDay(shop, 100, 105, std::nullopt); });
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);  // day 105 is outside [100, 105)
  EXPECT_EQ((*all)[0].day, 100);
  EXPECT_EQ((*all)[0].counts.by_score[10], 2);
  EXPECT_EQ((*all)[0].counts.by_score[3], 1);
  EXPECT_EQ((*all)[1].counts.Total(), 0);
  auto shoes = store_->Read<std::vector<DayCounts>>([&](Tx& tx) { return tx.RollupByDay(shop, 0, 1000, std::string("shoes")); });
  ASSERT_TRUE(shoes.ok());
  int64_t total = 0;
  for (const auto& d : *shoes) total += d.counts.Total();
  EXPECT_EQ(total, 2);
  auto segments = store_->Read<std::vector<std::string>>([&](Tx& tx) { return tx.Segments(shop); });
  ASSERT_TRUE(segments.ok());
  EXPECT_EQ(*segments, (std::vector<std::string>{"", "shoes", "tents"}));
}

TEST_F(StoreTest, ReferralCodesAreUniqueAcrossShops) {
  const Id a = MakeShop("a"), b = MakeShop("b");
  auto customer = [&](Id shop) {
    Customer c;
    c.shop_id = shop;
    c.external_id = "c";
    auto id = store_->Write<Id>([&](Tx& tx) { return tx.InsertCustomer(c); });
    EXPECT_TRUE(id.ok());
    return *id;
  };
  ReferralCode code;
  code.shop_id = a;
  code.code = "ANNA-7K3F";
  code.promoter_id = customer(a);
  code.created_at = kT0;
  ASSERT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.InsertCode(code); }).ok());
  code.shop_id = b;
  code.promoter_id = customer(b);
  auto dup = store_->Write<Id>([&](Tx& tx) { return tx.InsertCode(code); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  auto found = store_->Read<std::optional<ReferralCode>>([](Tx& tx) { return tx.FindCodeAnyShop("ANNA-7K3F"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->shop_id, a);
}

TEST_F(StoreTest, OrdersAreUniquePerShopAndKeepTheirItems) {
  const Id shop = MakeShop();
  Customer c;
  c.shop_id = shop;
  c.external_id = "c-1";
  auto cid = store_->Write<Id>([&](Tx& tx) { return tx.InsertCustomer(c); });
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
  ASSERT_TRUE(store_->Write<Id>([&](Tx& tx) { return tx.InsertOrder(o); }).ok());
  auto dup = store_->Write<Id>([&](Tx& tx) { return tx.InsertOrder(o); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Code::kAlreadyExists);
  auto found = store_->Read<std::optional<Order>>([&](Tx& tx) { return tx.FindOrder(shop, "1001"); });
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->discount_codes, o.discount_codes);
  ASSERT_EQ((*found)->items.size(), 1u);
  EXPECT_EQ((*found)->items[0].category, "shoes");
  EXPECT_EQ((*found)->total_minor, 5990);
}

}  // namespace
}  // namespace vouch::store
