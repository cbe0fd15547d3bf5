#include "base/metrics.h"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

namespace vouch {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double v) {
  const size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
}

void Histogram::Write(std::string& out, std::string_view name, std::string_view labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    const std::string le = i < bounds_.size() ? fmt::format("{}", bounds_[i]) : "+Inf";
    out += fmt::format("{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, sep, le, cumulative);
  }
  const std::string braces = labels.empty() ? "" : fmt::format("{{{}}}", labels);
  out += fmt::format("{}_sum{} {}\n", name, braces, sum_.load(std::memory_order_relaxed));
  out += fmt::format("{}_count{} {}\n", name, braces, cumulative);
}

// The last slot is kept for keys beyond the others (its key stays 0, "other").
void KeyedCounter::Add(int key) {
  constexpr size_t kProbed = kSlots - 1;
  const size_t start = static_cast<size_t>(key) % kProbed;
  for (size_t n = 0; n < kProbed; ++n) {
    const size_t i = (start + n) % kProbed;
    int k = keys_[i].load(std::memory_order_relaxed);
    if (k == 0 && keys_[i].compare_exchange_strong(k, key, std::memory_order_relaxed)) k = key;
    if (k == key) {
      counts_[i].fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  counts_[kProbed].fetch_add(1, std::memory_order_relaxed);
}

std::vector<std::pair<int, uint64_t>> KeyedCounter::Snapshot() const {
  std::vector<std::pair<int, uint64_t>> out;
  for (size_t i = 0; i < kSlots; ++i) {
    const uint64_t c = counts_[i].load(std::memory_order_relaxed);
    if (c > 0) out.emplace_back(keys_[i].load(std::memory_order_relaxed), c);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string PromLabel(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void PromHeader(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace vouch
