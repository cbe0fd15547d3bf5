#pragma once
// A fixed pool of threads running queued tasks in FIFO order; where HTTP handlers send blocking
// work (store calls) so the I/O threads never wait on the database.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vouch {

class ThreadPool {
 public:
  // `max_queued`: tasks that may wait for a thread before TryPost refuses more (0: no bound).
  explicit ThreadPool(int threads, size_t max_queued = 0);
  ~ThreadPool();  // runs the queued tasks, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Post(std::function<void()> task);
  // Queues `task` unless max_queued tasks already wait; false (and `task` untouched) then.
  [[nodiscard]] bool TryPost(std::function<void()>& task);
  // Tasks waiting for a thread now (for /metrics).
  size_t Queued() const {
    std::lock_guard lock(mu_);
    return tasks_.size();
  }

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  size_t max_queued_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vouch
