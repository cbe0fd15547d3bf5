// The public routes' token bucket per client: a burst, then the rate; other clients unaffected;
// memory bounded.
#include "api/rate_limit.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::api {
namespace {

using std::chrono::milliseconds;

TEST(RateLimiterTest, ABurstThenTheRatePerClient) {
  RateLimiter limiter(5, 20, 1000);
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours{1};
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.Allow("192.0.2.1", t0)) << i;
  EXPECT_FALSE(limiter.Allow("192.0.2.1", t0));
  EXPECT_TRUE(limiter.Allow("192.0.2.2", t0)) << "another client has its own bucket";
  EXPECT_FALSE(limiter.Allow("192.0.2.1", t0 + milliseconds{100})) << "half a token";
  EXPECT_TRUE(limiter.Allow("192.0.2.1", t0 + milliseconds{200}));
  EXPECT_FALSE(limiter.Allow("192.0.2.1", t0 + milliseconds{200}));
  // A long pause refills to the burst, not beyond.
  const auto later = t0 + std::chrono::hours{1};
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(limiter.Allow("192.0.2.1", later)) << i;
  EXPECT_FALSE(limiter.Allow("192.0.2.1", later));
}

TEST(RateLimiterTest, MemoryIsBoundedByMaxClients) {
  RateLimiter limiter(5, 20, 1600);
  const auto t0 = RateLimiter::Clock::time_point{} + std::chrono::hours{1};
  for (int i = 0; i < 100'000; ++i) limiter.Allow("10.0." + std::to_string(i), t0);
  EXPECT_LE(limiter.size(), 1600u);
  // A client that spent its burst and is still remembered stays limited.
  for (int i = 0; i < 20; ++i) limiter.Allow("198.51.100.1", t0);
  EXPECT_FALSE(limiter.Allow("198.51.100.1", t0));
}

}  // namespace
}  // namespace vouch::api
