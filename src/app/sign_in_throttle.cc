#include "app/sign_in_throttle.h"

#include <algorithm>
#include <cctype>

namespace vouch::app {
namespace {

std::string EmailKey(std::string_view email) {
  std::string k = "e:";
  for (char c : email) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

std::string ClientKey(std::string_view client) { return "c:" + std::string(client); }

}  // namespace

Millis SignInThrottle::WaitFor(const std::string& key, const ThrottleLimits& limits, Instant now) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return Millis{0};
  const Entry& e = it->second;
  if (now - e.last >= kWindow) return Millis{0};
  Millis wait{0};
  if (e.failures >= limits.lock_after) {
    wait = kLock;
  } else if (e.failures >= limits.slow_after) {
    wait = std::min<Millis>(Millis{int64_t{1000} << std::min(e.failures - limits.slow_after, 20)}, kLock);
  }
  const Millis left = e.last + wait - now;
  return left > Millis{0} ? left : Millis{0};
}

Millis SignInThrottle::RetryAfter(std::string_view email, std::string_view client) {
  const Instant now = clock_.Now();
  std::lock_guard lock(mu_);
  return std::max(WaitFor(EmailKey(email), email_limits_, now),
                  WaitFor(ClientKey(client), client_limits_, now));
}

void SignInThrottle::Count(const std::string& key, Instant now) {
  if (entries_.size() >= kMaxEntries && !entries_.contains(key)) {
    std::erase_if(entries_, [now](const auto& kv) { return now - kv.second.last >= kWindow; });
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  Entry& e = entries_[key];
  if (now - e.last >= kWindow) e.failures = 0;
  ++e.failures;
  e.last = now;
}

void SignInThrottle::Failed(std::string_view email, std::string_view client) {
  const Instant now = clock_.Now();
  std::lock_guard lock(mu_);
  Count(EmailKey(email), now);
  if (!client.empty()) Count(ClientKey(client), now);
}

void SignInThrottle::Succeeded(std::string_view email) {
  std::lock_guard lock(mu_);
  entries_.erase(EmailKey(email));
}

}  // namespace vouch::app
