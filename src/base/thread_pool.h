#pragma once
// A fixed pool of threads running queued tasks in FIFO order; where HTTP handlers send blocking
// work (store calls) so the I/O threads never wait on the database. A pool may run its threads
// at a lower CPU priority (a Linux thread's nice value): the public pages' pool does, so that a
// flood of them yields the CPU to the shop's API, the writer and the I/O threads.
#include <atomic>
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
  // `niceness` (0-19): each thread lowers its own priority by this much as it starts (0: as the
  // creating thread). Lowering needs no privilege; if the system refuses anyway, the thread runs
  // at the creator's priority and niceness_applied() says so.
  explicit ThreadPool(int threads, size_t max_queued = 0, int niceness = 0);
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
  // False once a thread could not take the requested niceness.
  bool niceness_applied() const { return niceness_applied_; }

 private:
  void LowerPriority();
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  size_t max_queued_ = 0;
  int niceness_ = 0;
  std::atomic<bool> niceness_applied_{true};
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace vouch
