// The pool's queue bound: TryPost refuses once max_queued tasks wait, and takes tasks again once
// they have run.
#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <future>

namespace vouch {
namespace {

TEST(ThreadPoolTest, TryPostRefusesBeyondTheQueueBoundAndRecovers) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  {
    ThreadPool pool(1, 2);
    std::promise<void> started;
    std::function<void()> blocker = [&] {
      started.set_value();
      released.wait();
      ++ran;
    };
    ASSERT_TRUE(pool.TryPost(blocker));
    started.get_future().wait();  // the one thread is busy; the queue is empty
    for (int i = 0; i < 2; ++i) {
      std::function<void()> task = [&] { ++ran; };
      EXPECT_TRUE(pool.TryPost(task)) << i;
    }
    std::function<void()> refused = [&] { ++ran; };
    EXPECT_FALSE(pool.TryPost(refused));
    EXPECT_TRUE(static_cast<bool>(refused)) << "a refused task is left to the caller";
    release.set_value();
  }
  EXPECT_EQ(ran.load(), 3);
  ThreadPool unbounded(1);
  for (int i = 0; i < 100; ++i) {
    std::function<void()> task = [] {};
    EXPECT_TRUE(unbounded.TryPost(task));
  }
}

// The priority a task sees on its pool's thread.
int NiceOfATask(ThreadPool& pool) {
  std::promise<int> nice;
  pool.Post([&] { nice.set_value(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))); });
  return nice.get_future().get();
}

TEST(ThreadPoolTest, ALowerPriorityPoolRunsItsTasksAtTheCreatorsNicePlusItsOwn) {
  const int mine = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  ThreadPool plain(2);
  EXPECT_EQ(NiceOfATask(plain), mine);
  ThreadPool lower(2, 0, 5);
  EXPECT_TRUE(lower.niceness_applied());
  EXPECT_EQ(NiceOfATask(lower), std::min(mine + 5, 19));
  EXPECT_EQ(NiceOfATask(lower), std::min(mine + 5, 19)) << "every thread, not only the first";
  EXPECT_EQ(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())), mine) << "the creator keeps its own";
}

}  // namespace
}  // namespace vouch
