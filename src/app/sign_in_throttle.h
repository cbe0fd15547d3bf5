#pragma once
// SignInThrottle: slows and then locks sign-in after repeated failures, counted per email and
// per client address (so one address cannot try many emails, nor many addresses one email).
// After `slow_after` failures within `window` each further attempt waits 1 s, 2 s, 4 s, ...
// (doubling, at most `lock`) after the last failure; after `lock_after` failures attempts are
// refused until `lock` after the last failure. A success clears its email's count (not the
// address's: one valid account must not reset an address that guesses others). Counts are
// forgotten `window` after their last failure.
//
// State lives in memory on this node: several nodes each count their own failures (an attacker
// spread over N nodes gets N times the attempts), and a restart forgets them. At most
// kMaxEntries keys are kept; beyond that, forgotten ones are dropped first, then all.
// Thread-safe (one mutex).
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/time.h"

namespace vouch::app {

struct ThrottleLimits {
  int slow_after = 5, lock_after = 10;
};

class SignInThrottle {
 public:
  static constexpr size_t kMaxEntries = 100'000;
  static constexpr Millis kWindow{15 * 60 * 1000};
  static constexpr Millis kLock{15 * 60 * 1000};

  // Per email 5/10 failures; per address 20/40 (offices and mobile carriers share addresses).
  explicit SignInThrottle(const Clock& clock, ThrottleLimits email = {5, 10},
                          ThrottleLimits client = {20, 40})
      : clock_(clock), email_limits_(email), client_limits_(client) {}

  // How long an attempt for (email, client) must wait now; zero: it may go ahead.
  Millis RetryAfter(std::string_view email, std::string_view client);
  void Failed(std::string_view email, std::string_view client);
  void Succeeded(std::string_view email);

 private:
  struct Entry {
    int failures = 0;
    Instant last{};
  };
  Millis WaitFor(const std::string& key, const ThrottleLimits& limits, Instant now);
  void Count(const std::string& key, Instant now);

  const Clock& clock_;
  const ThrottleLimits email_limits_, client_limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace vouch::app
