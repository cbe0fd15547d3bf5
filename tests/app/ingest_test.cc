// Order ingest on every store: the set path (many orders, a few statements per table) must give
// each order exactly what the one-by-one path gives it, isolate a bad order, and survive another
// node inserting the same customer meanwhile.
#include <latch>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "app/store_app_test.h"
#include "support/test_db.h"

namespace vouch::app {
namespace {

using std::chrono::days;
using std::chrono::hours;
using test::TestDb;

const Instant kNow = FromUnixMillis(1'795'600'000'000);  // 2026-11-24

class IngestTest : public StoreAppTest {
 protected:
  IngestTest() : StoreAppTest(kNow) {}

  void SetUp() override {
    StoreAppTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    shop_ = NewShop("Trail");
  }

  store::Shop NewShop(const std::string& name) {
    auto shop = app_->shops().Create(name, "https://trail.example");
    EXPECT_TRUE(shop.ok()) << shop.error().message;
    return shop.ok() ? shop->shop : store::Shop{};
  }

  static OrderInput Order(const std::string& id, const std::string& customer, Instant at) {
    OrderInput o = SampleOrder(id, customer, at);
    o.items.push_back(store::LineItem{"p-2", "Sock", "socks", 2, 500});
    return o;
  }

  std::optional<store::Order> Stored(const store::Shop& shop, const std::string& id) {
    auto o = store_->Read<std::optional<store::Order>>(
        [&](store::ReadTx& tx) { return tx.orders().Find(shop.id, id); });
    EXPECT_TRUE(o.ok());
    return o.ok() ? *o : std::nullopt;
  }

  std::optional<store::Customer> Customer(const store::Shop& shop, const std::string& id) {
    auto c = store_->Read<std::optional<store::Customer>>(
        [&](store::ReadTx& tx) { return tx.customers().Find(shop.id, id); });
    EXPECT_TRUE(c.ok());
    return c.ok() ? *c : std::nullopt;
  }

  store::Shop shop_;
};

// Every kind of order in one batch, against the same orders taken one by one: a discount code
// that is no referral code sends an order down the one-by-one path without changing its outcome.
TEST_P(IngestTest, ABatchGivesEachOrderWhatTheOneByOnePathGivesIt) {
  const store::Shop alone = NewShop("Alone");
  auto prepare = [&](const store::Shop& shop) {
    // A customer who ordered yesterday: surveyed, so throttled for the next 90 days.
    auto r = app_->ingest().Order(shop, Order("old-1", "c-old", kNow - days{1}));
    ASSERT_TRUE(r.ok() && r->survey.scheduled) << (r.ok() ? r->survey.skipped_reason : r.error().message);
  };
  prepare(shop_);
  prepare(alone);

  std::vector<OrderInput> batch;
  batch.push_back(Order("n1", "c-n1", kNow));   // new customer: survey
  batch.push_back(Order("n2", "c-old", kNow));  // throttled, contact data updated
  batch.back().customer.first_name = "Anne";
  batch.back().customer.phone = "+4915112345678";
  batch.push_back(Order("old-1", "c-old", kNow - days{1}));  // known: a replay
  batch.push_back(Order("n3", "c-n3", kNow - days{200}));    // too old to ask about
  batch.push_back(Order("n4", "c-n1", kNow));                // same customer as n1: throttled
  batch.push_back(Order("n1", "c-n1", kNow));                // n1 again: a replay of it
  batch.push_back(Order("fut", "c-f", kNow + days{2}));      // from the future: refused
  batch.push_back(Order("n5", "c-n5", kNow));                // no email: no channel
  batch.back().customer.email.clear();
  batch.back().customer.phone = "+4915112345679";
  batch.push_back(Order("n6", "", kNow));  // identified by email alone
  batch.back().customer.email = "only-email@example.com";

  std::vector<OrderInput> coded = batch;
  for (auto& o : coded) o.discount_codes = {"WELCOME10"};

  auto set = app_->ingest().Batch(shop_, batch);
  auto one_by_one = app_->ingest().Batch(alone, coded);
  ASSERT_EQ(set.size(), batch.size());
  ASSERT_EQ(one_by_one.size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE(batch[i].external_id + " #" + std::to_string(i));
    ASSERT_EQ(set[i].ok(), one_by_one[i].ok());
    if (!set[i].ok()) {
      EXPECT_EQ(set[i].error().code, one_by_one[i].error().code);
      EXPECT_EQ(set[i].error().field, one_by_one[i].error().field);
      continue;
    }
    EXPECT_EQ(set[i]->created, one_by_one[i]->created);
    EXPECT_EQ(set[i]->external_id, batch[i].external_id);
    EXPECT_EQ(set[i]->survey.scheduled, one_by_one[i]->survey.scheduled);
    EXPECT_EQ(set[i]->survey.skipped_reason, one_by_one[i]->survey.skipped_reason);
    EXPECT_EQ(set[i]->survey.due_at, one_by_one[i]->survey.due_at);

    // What is stored, field by field.
    auto a = Stored(shop_, batch[i].external_id);
    auto b = Stored(alone, batch[i].external_id);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->id, set[i]->order_id);
    EXPECT_EQ(a->total_minor, b->total_minor);
    EXPECT_EQ(a->created_at, b->created_at);
    EXPECT_EQ(a->survey_skip, b->survey_skip);
    EXPECT_EQ(a->survey_id.has_value(), b->survey_id.has_value());
    ASSERT_EQ(a->items.size(), 2u);
    EXPECT_EQ(a->items[1].title, "Sock");
    if (a->survey_id) {
      auto job = store_->Read<std::optional<store::Job>>([&](store::ReadTx& tx) {
        return tx.jobs().Find(store::JobKind::kSurvey, *a->survey_id, core::Channel::kEmail);
      });
      ASSERT_TRUE(job.ok() && job->has_value());
      EXPECT_EQ((*job)->run_at, set[i]->survey.due_at);
      auto survey = store_->Read<std::optional<store::Survey>>(
          [&](store::ReadTx& tx) { return tx.surveys().Get(*a->survey_id); });
      ASSERT_TRUE(survey.ok() && survey->has_value());
      EXPECT_EQ((*survey)->order_id, a->id);
      EXPECT_EQ((*survey)->segment, "shoes");
    }
  }
  EXPECT_EQ(set[0]->survey.due_at, kNow + days{3});
  EXPECT_EQ(set[1]->survey.skipped_reason, "throttled");
  EXPECT_FALSE(set[2]->created);
  EXPECT_EQ(set[3]->survey.skipped_reason, "too_old");
  EXPECT_EQ(set[4]->survey.skipped_reason, "throttled");
  EXPECT_FALSE(set[5]->created);
  EXPECT_EQ(set[5]->order_id, set[0]->order_id);
  EXPECT_EQ(set[6].error().field, "created_at");
  EXPECT_EQ(set[7]->survey.skipped_reason, "no_channel");
  EXPECT_FALSE(Stored(shop_, "fut"));
  EXPECT_FALSE(Customer(shop_, "c-f"));  // nothing half-stored for the refused order

  for (const store::Shop* shop : std::initializer_list<const store::Shop*>{&shop_, &alone}) {
    auto old = Customer(*shop, "c-old");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->first_name, "Anne");
    EXPECT_EQ(old->phone, "+4915112345678");
    EXPECT_EQ(old->last_survey_at, kNow - days{1} + days{3});  // throttled: unchanged
    auto n1 = Customer(*shop, "c-n1");
    ASSERT_TRUE(n1);
    EXPECT_EQ(n1->last_survey_at, kNow + days{3});
    EXPECT_TRUE(Customer(*shop, "email:only-email@example.com"));
  }
  auto stats = app_->outbox().Counts(shop_.id);
  auto alone_stats = app_->outbox().Counts(alone.id);
  ASSERT_TRUE(stats.ok() && alone_stats.ok());
  EXPECT_EQ(stats->pending, 3);  // old-1, n1, n6
  EXPECT_EQ(stats->pending, alone_stats->pending);
}

// Single orders from many threads at once share set writes; each caller still gets its own
// answer, and orders that collide (the same order, the same customer) come out as one by one.
TEST_P(IngestTest, ConcurrentSingleOrdersAreEachAnsweredRightly) {
  constexpr int kThreads = 12;
  constexpr int kEach = 20;
  std::latch start(kThreads);
  std::vector<std::vector<Result<IngestResult>>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kEach; ++i) {
        OrderInput o = Order("t" + std::to_string(t) + "-" + std::to_string(i),
                             "c-" + std::to_string(t * kEach + i), kNow);
        if (i == 0) o = Order("same-order", "c-same-order", kNow);
        if (i == 1) o = Order("shared-" + std::to_string(t), "c-shared", kNow);
        results[t].push_back(app_->ingest().Order(shop_, o));
      }
    });
  }
  for (auto& th : threads) th.join();
  int created_same = 0, surveyed_shared = 0, throttled_shared = 0;
  std::set<store::Id> ids;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const auto& r = results[t][i];
      ASSERT_TRUE(r.ok()) << r.error().message;
      if (i == 0) {
        created_same += r->created;
        continue;
      }
      EXPECT_TRUE(r->created);
      ids.insert(r->order_id);
      if (i == 1) {
        surveyed_shared += r->survey.scheduled;
        throttled_shared += r->survey.skipped_reason == "throttled";
      } else {
        EXPECT_TRUE(r->survey.scheduled);
        auto stored = Stored(shop_, r->external_id);
        ASSERT_TRUE(stored && stored->survey_id);
        EXPECT_EQ(stored->id, r->order_id);
      }
    }
  }
  EXPECT_EQ(created_same, 1);
  EXPECT_EQ(surveyed_shared, 1);
  EXPECT_EQ(throttled_shared, kThreads - 1);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kThreads * (kEach - 1)));
  auto stats = app_->outbox().Counts(shop_.id);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, kThreads * (kEach - 2) + 2);  // + same-order and c-shared's first
}

// Orders handed over without waiting are all answered, exactly once, before the App goes away.
TEST_P(IngestTest, AsyncOrdersAreAllAnsweredBeforeTheAppIsDestroyed) {
  constexpr int kOrders = 60;
  std::mutex mu;
  std::map<std::string, int> answers;
  int created = 0;
  for (int i = 0; i < kOrders; ++i) {
    OrderInput o = Order("a-" + std::to_string(i), "c-" + std::to_string(i % 40), kNow);
    if (i % 7 == 0) o.discount_codes = {"NOT-A-CODE"};  // the one-by-one path too
    if (i == 5) o.created_at = kNow + days{2};          // refused
    app_->ingest().OrderAsync(shop_, std::move(o),
                              [&, id = "a-" + std::to_string(i)](Result<IngestResult> r) {
                                std::lock_guard lock(mu);
                                ++answers[id];
                                if (r.ok() && r->created) ++created;
                              });
  }
  EXPECT_EQ(app_->ingest().AsyncOrders(), static_cast<uint64_t>(kOrders));
  app_.reset();  // waits for every answer
  std::lock_guard lock(mu);
  EXPECT_EQ(answers.size(), static_cast<size_t>(kOrders));
  for (const auto& [id, n] : answers) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(created, kOrders - 1);
}

// A row the database refuses rolls the whole set back; its orders then run one by one, so only
// the bad order fails, and nothing of it is left behind.
TEST_P(IngestTest, AnOrderTheDatabaseRefusesFailsAlone) {
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto refuse =
      GetParam() == "postgres"
          ? (*conn)->Script("ALTER TABLE orders ADD CONSTRAINT refuse_bad CHECK (external_id <> 'bad')")
          : (*conn)->Script(
                "CREATE TRIGGER refuse_bad BEFORE INSERT ON orders "
                "WHEN NEW.external_id = 'bad' BEGIN SELECT RAISE(ABORT, 'refused'); END");
  ASSERT_TRUE(refuse.ok()) << refuse.error().message;
  auto results = app_->ingest().Batch(
      shop_, {Order("a", "c-a", kNow), Order("bad", "c-bad", kNow), Order("b", "c-b", kNow)});
  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0].ok()) << results[0].error().message;
  ASSERT_TRUE(results[2].ok()) << results[2].error().message;
  EXPECT_TRUE(results[0]->created && results[0]->survey.scheduled);
  EXPECT_TRUE(results[2]->created && results[2]->survey.scheduled);
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(Stored(shop_, "a") && Stored(shop_, "b"));
  EXPECT_FALSE(Stored(shop_, "bad"));
  EXPECT_FALSE(Customer(shop_, "c-bad"));
  auto stats = app_->outbox().Counts(shop_.id);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 2);
}

// PostgreSQL: another node inserts the same new customer between the set's look-up and its
// insert (held uncommitted here, so the race is certain). The set is rolled back and the order,
// run alone, joins that node's customer.
TEST_P(IngestTest, ACustomerAnotherNodeInsertsMeanwhileIsJoined) {
  if (GetParam() != "postgres") GTEST_SKIP() << "one writer per SQLite database: no other node";
  auto conn = db_->Connect();
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE((*conn)->Exec("BEGIN").ok());
  auto ins = (*conn)->Query(
      "INSERT INTO customers (shop_id, external_id, email, phone, first_name, last_name, locale) "
      "VALUES (?1, 'c-race', 'race@example.com', '', 'Other', '', '') RETURNING id",
      {shop_.id});
  ASSERT_TRUE(ins.ok() && ins->size() == 1) << (ins.ok() ? "no row" : ins.error().message);
  const store::Id theirs = store::sql::Int(ins->front(), 0);
  std::optional<Result<IngestResult>> result;
  std::thread ingest([&] { result.emplace(app_->ingest().Order(shop_, Order("race-1", "c-race", kNow))); });
  // Commit only once the set's insert waits on our row, so the race is the one under test.
  auto watch = db_->Connect();
  ASSERT_TRUE(watch.ok()) << watch.error().message;
  bool waiting = false;
  for (int i = 0; i < 500 && !waiting; ++i) {
    auto w = (*watch)->Query(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND "
        "wait_event_type = 'Lock' AND query LIKE 'INSERT INTO customers%'");
    waiting = w.ok() && store::sql::Int(w->front(), 0) > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(waiting) << "the set's customer insert never waited on the other node's row";
  ASSERT_TRUE((*conn)->Exec("COMMIT").ok());
  ingest.join();
  ASSERT_TRUE(result && result->ok()) << (result ? result->error().message : "no result");
  EXPECT_TRUE((*result)->created);
  auto stored = Stored(shop_, "race-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->customer_id, theirs);
  auto c = Customer(shop_, "c-race");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->first_name, "Anna");  // this order's newer contact data merged in
  EXPECT_EQ(c->last_survey_at, kNow + days{3});
}

INSTANTIATE_TEST_SUITE_P(Stores, IngestTest, ::testing::ValuesIn(TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
