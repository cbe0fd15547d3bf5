// The pool's queue bound: TryPost refuses once max_queued tasks wait, and takes tasks again once
// they have run.
#include "base/thread_pool.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vouch
