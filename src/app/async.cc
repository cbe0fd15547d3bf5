#include "app/async.h"

#include <atomic>
#include <memory>

namespace vouch::app {

std::function<void()> AsyncCalls::Begin() {
  {
    std::lock_guard lock(mu_);
    ++in_flight_;
  }
  auto counted = std::make_shared<std::atomic<bool>>(true);
  return [this, counted] {
    if (!counted->exchange(false)) return;  // once, whichever way the call ends
    std::lock_guard lock(mu_);              // the last touch of this object (and of its App)
    if (--in_flight_ == 0) cv_.notify_all();
  };
}

void AsyncCalls::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return in_flight_ == 0; });
}

}  // namespace vouch::app
