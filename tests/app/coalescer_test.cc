// WriteCoalescer on its own, over a real store: every item answered exactly once, items that come
// while a set runs go in a later set, groups stay whole, and a set the database refuses is rolled
// back and its items handed over one by one.
#include "app/coalescer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "support/test_db.h"

namespace vouch::app {
namespace {

struct Item {
  int id = 0;
  bool poison = false;  // a set holding it fails after its writes
};

struct State {
  std::vector<int> ids;
};

using Coalescer = WriteCoalescer<Item, State>;

// What the callbacks saw; Wait blocks until `n` items were answered one way or another.
struct Tracker {
  std::mutex mu;
  std::condition_variable cv;
  std::map<int, int> finished, alone, refused;  // item id -> times
  std::vector<std::vector<int>> sets;           // ids of each set finished, in order
  int answered = 0;
  // Run blocks while `hold` is set (from the first set that sees it), after telling `running`.
  bool hold = false, running = false;

  void Wait(int n) {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds{60}, [&] { return answered >= n; }))
        << answered << " of " << n << " answered";
  }
};

class CoalescerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!test::TestDb::Available(GetParam())) GTEST_SKIP() << test::TestDb::kSkip;
    db_ = std::make_unique<test::TestDb>(GetParam());
    auto s = store::OpenStore(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(*s);
  }

  // A coalescer whose sets write one meta row per item (so a refused set has writes to undo).
  std::unique_ptr<Coalescer> Make(size_t max_items) {
    Tracker& t = tracker_;
    return std::make_unique<Coalescer>(
        *store_, Coalescer::Options{max_items, "test.set_one_by_one", "items", "set not run"},
        Coalescer::Callbacks{[&t](store::Tx& tx, Coalescer::Set& set) -> Status {
                               {
                                 std::unique_lock lock(t.mu);
                                 t.running = true;
                                 t.cv.notify_all();
                                 t.cv.wait(lock, [&] { return !t.hold; });
                               }
                               set.state.ids.clear();
                               bool poisoned = false;
                               for (const Item& item : set.items) {
                                 VOUCH_TRY(tx.meta().PutIfAbsent("item-" + std::to_string(item.id), "x"));
                                 set.state.ids.push_back(item.id);
                                 poisoned = poisoned || item.poison;
                               }
                               if (poisoned) return InvalidArgument("item", "poisoned set");
                               return OkStatus();
                             },
                             [&t](Coalescer::Set& set) {
                               std::lock_guard lock(t.mu);
                               t.sets.push_back(set.state.ids);
                               for (int id : set.state.ids) ++t.finished[id];
                               t.answered += static_cast<int>(set.items.size());
                               t.cv.notify_all();
                             },
                             [&t](Item&& item) {
                               std::lock_guard lock(t.mu);
                               ++t.alone[item.id];
                               ++t.answered;
                               t.cv.notify_all();
                             },
                             [&t](Item& item, const Error&) {
                               std::lock_guard lock(t.mu);
                               ++t.refused[item.id];
                               ++t.answered;
                               t.cv.notify_all();
                             }});
  }

  bool Stored(int id) {
    auto v = store_->Read<std::optional<std::string>>(
        [&](store::ReadTx& tx) { return tx.meta().Get("item-" + std::to_string(id)); });
    EXPECT_TRUE(v.ok());
    return v.ok() && v->has_value();
  }

  // Blocks the writer in the next set's run until Release.
  void Hold() {
    std::lock_guard lock(tracker_.mu);
    tracker_.hold = true;
    tracker_.running = false;
  }
  void WaitRunning() {
    std::unique_lock lock(tracker_.mu);
    ASSERT_TRUE(tracker_.cv.wait_for(lock, std::chrono::seconds{60}, [&] { return tracker_.running; }));
  }
  void Release() {
    std::lock_guard lock(tracker_.mu);
    tracker_.hold = false;
    tracker_.cv.notify_all();
  }

  std::unique_ptr<test::TestDb> db_;
  std::unique_ptr<store::Store> store_;
  Tracker tracker_;
};

TEST_P(CoalescerTest, ItemsFromManyThreadsAreAnsweredExactlyOnceInSetsOfAtMostTheMaximum) {
  auto coalescer = Make(/*max_items=*/50);
  constexpr int kThreads = 8, kPerThread = 150;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) coalescer->Submit(Item{t * kPerThread + i});
    });
  }
  for (auto& th : threads) th.join();
  tracker_.Wait(kThreads * kPerThread);
  std::lock_guard lock(tracker_.mu);
  ASSERT_EQ(tracker_.finished.size(), static_cast<size_t>(kThreads * kPerThread));
  for (const auto& [id, times] : tracker_.finished) EXPECT_EQ(times, 1) << id;
  EXPECT_TRUE(tracker_.alone.empty());
  EXPECT_TRUE(tracker_.refused.empty());
  size_t most = 0;
  for (const auto& s : tracker_.sets) most = std::max(most, s.size());
  EXPECT_LE(most, 50u);
  EXPECT_LT(tracker_.sets.size(), static_cast<size_t>(kThreads * kPerThread)) << "nothing was coalesced";
  // Each thread's items keep their order across sets.
  std::map<int, int> last_of_thread;
  for (const auto& s : tracker_.sets) {
    for (int id : s) {
      auto [it, fresh] = last_of_thread.try_emplace(id / kPerThread, id);
      if (!fresh) {
        EXPECT_LT(it->second, id);
        it->second = id;
      }
    }
  }
}

TEST_P(CoalescerTest, ItemsThatArriveWhileASetRunsGoTogetherInTheNextSet) {
  auto coalescer = Make(/*max_items=*/100);
  Hold();
  coalescer->Submit(Item{1});
  WaitRunning();  // the set of item 1 runs (and waits) on the writer
  coalescer->Submit(Item{2});
  coalescer->SubmitGroup({Item{3}, Item{4}});
  coalescer->Submit(Item{5});
  Release();
  tracker_.Wait(5);
  std::lock_guard lock(tracker_.mu);
  ASSERT_EQ(tracker_.sets.size(), 2u);
  EXPECT_EQ(tracker_.sets[0], (std::vector<int>{1}));
  EXPECT_EQ(tracker_.sets[1], (std::vector<int>{2, 3, 4, 5}));
}

TEST_P(CoalescerTest, GroupsStayWholeAndAGroupOverTheMaximumGoesAlone) {
  auto coalescer = Make(/*max_items=*/3);
  Hold();
  coalescer->Submit(Item{1});
  WaitRunning();
  coalescer->SubmitGroup({Item{2}, Item{3}});
  coalescer->SubmitGroup({Item{4}, Item{5}});                    // would make 4 > 3 with the group before
  coalescer->SubmitGroup({Item{6}, Item{7}, Item{8}, Item{9}});  // 4 > 3 alone: one set anyway
  Release();
  tracker_.Wait(9);
  std::lock_guard lock(tracker_.mu);
  ASSERT_EQ(tracker_.sets.size(), 4u);
  EXPECT_EQ(tracker_.sets[0], (std::vector<int>{1}));
  EXPECT_EQ(tracker_.sets[1], (std::vector<int>{2, 3}));
  EXPECT_EQ(tracker_.sets[2], (std::vector<int>{4, 5}));
  EXPECT_EQ(tracker_.sets[3], (std::vector<int>{6, 7, 8, 9}));
}

TEST_P(CoalescerTest, ARefusedSetIsRolledBackAndItsItemsGoAloneOnce) {
  auto coalescer = Make(/*max_items=*/100);
  Hold();
  coalescer->Submit(Item{1});
  WaitRunning();
  coalescer->Submit(Item{2});
  coalescer->Submit(Item{3, /*poison=*/true});
  coalescer->Submit(Item{4});
  Release();
  tracker_.Wait(4);
  std::lock_guard lock(tracker_.mu);
  ASSERT_EQ(tracker_.sets.size(), 1u);
  EXPECT_EQ(tracker_.sets[0], (std::vector<int>{1}));
  EXPECT_EQ(tracker_.finished.count(2) + tracker_.finished.count(3) + tracker_.finished.count(4), 0u);
  EXPECT_EQ(tracker_.alone, (std::map<int, int>{{2, 1}, {3, 1}, {4, 1}}));
  EXPECT_TRUE(tracker_.refused.empty());
  EXPECT_TRUE(Stored(1));
  EXPECT_FALSE(Stored(2)) << "the refused set's writes were not rolled back";
  EXPECT_FALSE(Stored(4));
}

// A store shutting down: refuses every write function without running it.
class ClosingStore : public store::Store {
 public:
  void WriteAsync(std::function<Status(store::Tx&)>, std::function<void(Status)> done) override {
    done(Unavailable("store is shutting down"));
  }
  std::string Kind() const override { return "closing"; }
  int SchemaVersion() const override { return 0; }

 protected:
  Status WriteErased(const std::function<Status(store::Tx&)>&) override { return Unavailable("closed"); }
  Status ReadErased(const std::function<Status(store::ReadTx&)>&, bool) override {
    return Unavailable("closed");
  }
};

TEST(CoalescerShutdownTest, ItemsOfASetThatNeverRanAreRefusedWithTheStoresError) {
  ClosingStore store;
  std::vector<std::pair<int, Error>> refused;
  int other_calls = 0;
  Coalescer coalescer(
      store, Coalescer::Options{10, "test.set_one_by_one", "items", "set not run"},
      Coalescer::Callbacks{[&](store::Tx&, Coalescer::Set&) -> Status {
                             ++other_calls;
                             return OkStatus();
                           },
                           [&](Coalescer::Set&) { ++other_calls; }, [&](Item&&) { ++other_calls; },
                           [&](Item& item, const Error& e) { refused.emplace_back(item.id, e); }});
  coalescer.Submit(Item{1});
  coalescer.SubmitGroup({Item{2}, Item{3}});
  ASSERT_EQ(refused.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(refused[i].first, i + 1);
    EXPECT_EQ(refused[i].second.code, Code::kUnavailable);
    EXPECT_EQ(refused[i].second.message, "store is shutting down");
  }
  EXPECT_EQ(other_calls, 0);
  // Nothing waits any more: a later item schedules a function of its own (and is refused too).
  coalescer.Submit(Item{4});
  ASSERT_EQ(refused.size(), 4u);
  EXPECT_EQ(refused[3].first, 4);
}

INSTANTIATE_TEST_SUITE_P(Stores, CoalescerTest, ::testing::ValuesIn(test::TestDb::Kinds()),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace vouch::app
