#pragma once
// A token bucket per client (IP address) for the public routes (/r, /s, /u): each client may
// make `burst` requests at once and `per_second` a second after; beyond, the route answers 429
// with Retry-After. Per node, in memory, bounded: at most `max_clients` buckets (past it, the
// full ones are dropped, and if none is, all of them). Thread-safe (sharded locks); Allow never
// blocks on I/O.
#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace vouch::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double per_second, double burst, size_t max_clients);

  // Takes a token from `client`'s bucket; false when it is empty.
  bool Allow(std::string_view client, Clock::time_point now);
  bool Allow(std::string_view client) { return Allow(client, Clock::now()); }
  // Buckets held (for tests of the bound).
  size_t size();

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at{};
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;

  double per_second_;
  double burst_;
  size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

// The public routes' limit by default: 20 requests at once, 5 a second after, 100,000 clients
// per node.
inline constexpr double kPublicPerSecond = 5;
inline constexpr double kPublicBurst = 20;
inline constexpr size_t kPublicMaxClients = 100'000;

}  // namespace vouch::api
