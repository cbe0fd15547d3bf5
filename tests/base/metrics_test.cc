// base/metrics.h and the log's contact redaction: counters and histograms under many threads,
// the status table's overflow, Prometheus text; addresses and phone numbers out of logged text.
#include "base/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "base/log.h"

namespace vouch {
namespace {

TEST(MetricsTest, CountersAndHistogramsAddUpAcrossThreads) {
  Counter c;
  Histogram h({0.001, 0.01, 0.1});
  KeyedCounter statuses;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10'000; ++i) {
        c.Add();
        h.Observe(t % 2 == 0 ? 0.005 : 1.0);
        statuses.Add(t % 2 == 0 ? 200 : 404);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(c.Get(), 80'000u);
  const auto snap = statuses.Snapshot();
  ASSERT_EQ(snap.size(), 2u);
  EXPECT_EQ(snap[0], (std::pair<int, uint64_t>{200, 40'000}));
  EXPECT_EQ(snap[1], (std::pair<int, uint64_t>{404, 40'000}));
  std::string out;
  h.Write(out, "t_seconds", "route=\"/r\"");
  EXPECT_NE(out.find("t_seconds_bucket{route=\"/r\",le=\"0.001\"} 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("t_seconds_bucket{route=\"/r\",le=\"0.01\"} 40000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("t_seconds_bucket{route=\"/r\",le=\"+Inf\"} 80000\n"), std::string::npos) << out;
  EXPECT_NE(out.find("t_seconds_count{route=\"/r\"} 80000\n"), std::string::npos) << out;
  // The sum is a double added to from many threads: its last bits depend on the order of the
  // additions, so it is compared with a tolerance, not as text.
  const std::string sum_key = "t_seconds_sum{route=\"/r\"} ";
  const size_t at = out.find(sum_key);
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_NEAR(std::stod(out.substr(at + sum_key.size())), 40200.0, 1e-6) << out;
}

TEST(MetricsTest, KeysBeyondTheTableFallIntoOther) {
  KeyedCounter k;
  for (int key = 100; key < 200; ++key) k.Add(key);
  uint64_t total = 0, other = 0;
  for (auto [key, n] : k.Snapshot()) {
    total += n;
    if (key == 0) other = n;
  }
  EXPECT_EQ(total, 100u) << "nothing lost";
  EXPECT_EQ(other, 100u - 31u) << "31 keys get a slot, the rest count as other";
  EXPECT_EQ(PromLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(RedactContactsTest, AddressesAndPhoneNumbersGoNothingElse) {
  EXPECT_EQ(RedactContacts("550 5.1.1 <erin.doe@gmail.com>: Recipient address rejected"),
            "550 5.1.1 <[address]>: Recipient address rejected");
  EXPECT_EQ(RedactContacts("RCPT TO:anna@example.com failed"), "RCPT TO:[address] failed");
  EXPECT_EQ(RedactContacts("to +49 151 12345678 refused"), "to [number] refused");
  EXPECT_EQ(RedactContacts("452 4.2.2 mailbox full, try in 3600 s"), "452 4.2.2 mailbox full, try in 3600 s");
  EXPECT_EQ(RedactContacts("job 1234567"), "job [number]");
  EXPECT_EQ(RedactContacts(""), "");
}

}  // namespace
}  // namespace vouch
