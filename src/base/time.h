#pragma once
// Time is UTC instants with millisecond resolution; the store keeps them as int64 Unix milliseconds.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vouch {

using Millis = std::chrono::milliseconds;
using Instant = std::chrono::sys_time<Millis>;

inline int64_t ToUnixMillis(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixMillis(int64_t ms) { return Instant{Millis{ms}}; }

// Parses an RFC 3339 timestamp ("2026-11-20T10:15:00Z", "...+01:00", fractional seconds allowed).
Result<Instant> ParseRfc3339(std::string_view text, const std::string& field);
// Formats as "2026-11-20T10:15:00Z" (milliseconds shown only when non-zero).
std::string FormatRfc3339(Instant t);
// Parses "2026-11-20" (midnight UTC) or a full RFC 3339 timestamp.
Result<Instant> ParseDateOrTime(std::string_view text, const std::string& field);
// The UTC day number (days since 1970-01-01) of an instant.
int64_t DayNumber(Instant t);
Instant DayStart(int64_t day);

// Source of the current time; tests use FakeClock and never sleep.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start) {}
  Instant Now() const override { return now_; }
  void Advance(Millis d) { now_ += d; }
  void Set(Instant t) { now_ = t; }

 private:
  Instant now_;
};

}  // namespace vouch
