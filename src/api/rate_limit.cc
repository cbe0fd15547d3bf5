#include "api/rate_limit.h"

#include <algorithm>
#include <functional>

namespace vouch::api {

RateLimiter::RateLimiter(double per_second, double burst, size_t max_clients)
    : per_second_(per_second), burst_(burst), max_per_shard_(std::max<size_t>(1, max_clients / kShards)) {}

bool RateLimiter::Allow(std::string_view client, Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string_view>{}(client) % kShards];
  std::lock_guard lock(shard.mu);
  const auto refill = [&](Bucket& b) {
    const double seconds = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, seconds) * per_second_);
    b.at = now;
  };
  auto it = shard.buckets.find(std::string(client));
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= max_per_shard_) {
      std::erase_if(shard.buckets, [&](const auto& entry) {
        Bucket b = entry.second;
        refill(b);
        return b.tokens >= burst_;
      });
      if (shard.buckets.size() >= max_per_shard_) shard.buckets.clear();
    }
    it = shard.buckets.emplace(std::string(client), Bucket{burst_, now}).first;
  }
  refill(it->second);
  if (it->second.tokens < 1) return false;
  it->second.tokens -= 1;
  return true;
}

size_t RateLimiter::size() {
  size_t n = 0;
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace vouch::api
