#pragma once
// What the use cases that answer without blocking share: AsyncCalls counts the calls in flight
// (so their owner can wait for them before it stops what they need), and WorkNotifier wakes the
// job workers after a commit that queued work due now.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace vouch::app {

// Calls in flight. Thread-safe. Must outlive every function Begin returned that has not run.
class AsyncCalls {
 public:
  // Counts a call in flight; the returned function (idempotent: only its first run counts) ends it.
  std::function<void()> Begin();
  // Returns once every call begun so far has ended.
  void Wait();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t in_flight_ = 0;
};

// Wakes the workers. Set once (App::SetWorkNotifier) before the use cases run; Notify may then be
// called from any thread. A notifier left unset does nothing.
class WorkNotifier {
 public:
  void Set(std::function<void()> notify) { notify_ = std::move(notify); }
  void Notify() const {
    if (notify_) notify_();
  }

 private:
  std::function<void()> notify_;
};

}  // namespace vouch::app
