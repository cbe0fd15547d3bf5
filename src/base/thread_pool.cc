#include "base/thread_pool.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <latch>

namespace vouch {

ThreadPool::ThreadPool(int threads, size_t max_queued, int niceness)
    : max_queued_(max_queued), niceness_(niceness) {
  const int n = threads > 0 ? threads : 1;
  std::latch started(n);  // so niceness_applied() is settled once the constructor returns
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([this, &started] {
      LowerPriority();
      started.count_down();
      Run();
    });
  }
  started.wait();
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

bool ThreadPool::TryPost(std::function<void()>& task) {
  {
    std::lock_guard lock(mu_);
    if (max_queued_ > 0 && tasks_.size() >= max_queued_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void ThreadPool::LowerPriority() {
  if (niceness_ == 0) return;
  // On Linux a thread id names one thread here, so this lowers only the calling thread.
  const id_t self = static_cast<id_t>(gettid());
  errno = 0;
  const int current = getpriority(PRIO_PROCESS, self);  // -1 is a value too: errno tells
  if (errno != 0 || setpriority(PRIO_PROCESS, self, std::min(current + niceness_, 19)) != 0) {
    niceness_applied_ = false;
  }
}

void ThreadPool::Run() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace vouch
