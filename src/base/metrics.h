#pragma once
// Counters and histograms for /metrics, cheap enough for the hot paths: each update is one or two
// relaxed atomic additions, no lock and no allocation. Read (Prometheus text) at scrape time;
// values are monotonic, a scrape may see one update of a histogram half applied.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vouch {

class Counter {
 public:
  void Add(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// Counts observations per bucket of fixed upper bounds (ascending; the last bucket is +Inf) and
// their sum.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  // Appends the Prometheus lines of `name` ({name}_bucket with le, _sum, _count); `labels` are
  // the series' other labels without braces ("route=\"/r/{code}\"") or empty.
  void Write(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_{0};
};

// Counts per small integer key (an HTTP status), lock-free: 32 slots, a key taking the first free
// one it probes; keys beyond 32 distinct ones go to key 0.
class KeyedCounter {
 public:
  void Add(int key);
  // Each (key, count) with a count above 0.
  std::vector<std::pair<int, uint64_t>> Snapshot() const;

 private:
  static constexpr size_t kSlots = 32;
  std::array<std::atomic<int>, kSlots> keys_{};
  std::array<std::atomic<uint64_t>, kSlots> counts_{};
};

// A Prometheus label value: backslash, quote and line feed escaped.
std::string PromLabel(std::string_view v);
// "# HELP name help\n# TYPE name type\n".
void PromHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help);

}  // namespace vouch
