#pragma once
// Time zones from the system's tz database (TZif files, RFC 8536), read without touching the
// process's TZ or localtime: GCC 12's libstdc++ has no std::chrono time-zone database. A TimeZone
// is an immutable value: thread-safe once loaded.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace vouch {

class TimeZone {
 public:
  // Parses a TZif file's bytes (version 2 or later: 64-bit transitions and the POSIX TZ footer
  // for times after the last transition). kInvalidArgument (field "tz") when malformed.
  static Result<TimeZone> FromTzif(std::string_view name, std::string_view bytes);
  // A zone at a fixed offset from UTC, named `name`.
  static TimeZone Fixed(std::string name, int32_t utc_offset_seconds);

  const std::string& name() const { return name_; }
  // Seconds to add to UTC for local wall-clock time at `t` (Europe/Berlin in July: 7200).
  int32_t OffsetAt(Instant t) const;
  // The UTC instant of local wall-clock time `local` (seconds since 1970-01-01 local); a time in
  // a spring-forward gap maps past the gap, one in an autumn overlap to its first occurrence.
  Instant FromLocal(int64_t local_seconds) const;

  // A POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3"); public for the parser's tests.
  struct Rule {
    int32_t std_offset = 0;  // seconds east of UTC
    int32_t dst_offset = 0;
    bool has_dst = false;
    struct When {
      char form = 'M';  // 'M' month.week.day, 'J' Julian 1–365 without Feb 29, 'D' zero-based day 0–365
      int month = 0, week = 0, day = 0;
      int32_t time = 7200;  // seconds after local midnight, may be negative or past 24 h
    } start, end;
  };
  static Result<Rule> ParseRule(std::string_view posix);

 private:
  int32_t RuleOffset(int64_t utc_seconds) const;

  std::string name_;
  std::vector<int64_t> transitions_;  // UTC seconds, ascending
  std::vector<int32_t> offsets_;      // offset after each transition
  int32_t initial_offset_ = 0;        // before the first transition
  bool has_rule_ = false;
  Rule rule_;
};

// The zone named `name` ("Europe/Berlin") from `tzdir` (default /usr/share/zoneinfo), loaded once
// per process and cached. kInvalidArgument (field "tz") for a name that is not a plain relative
// zone path (no "..", no leading '/', only letters, digits, '/', '_', '-', '+'), kNotFound when
// no such file, kInvalidArgument when it is not a TZif file.
Result<std::shared_ptr<const TimeZone>> LoadTimeZone(std::string_view name,
                                                     const std::string& tzdir = "/usr/share/zoneinfo");

}  // namespace vouch
