#include "base/time.h"

#include <cstdio>

#include <fmt/format.h>

namespace vouch {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<Instant> ParseRfc3339(std::string_view s, const std::string& field) {
  auto bad = [&] {
    return InvalidArgument(field, "must be an RFC 3339 timestamp such as 2026-11-20T10:15:00Z");
  };
  int y, mo, d, h, mi, se;
  if (s.size() < 20 || !Digits(s, 0, 4, y) || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !Digits(s, 11, 2, h) ||
      s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, se)) {
    return bad();
  }
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                  std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 60) return bad();
  size_t pos = 19;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  if (pos >= s.size()) return bad();
  int64_t offset_min = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return bad();
    }
    offset_min = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  auto days = std::chrono::sys_days{ymd};
  Instant t = std::chrono::time_point_cast<Millis>(days) + std::chrono::hours{h} + std::chrono::minutes{mi} +
              std::chrono::seconds{std::min(se, 59)} + Millis{ms} - std::chrono::minutes{offset_min};
  return t;
}

Result<Instant> ParseDateOrTime(std::string_view s, const std::string& field) {
  if (s.size() == 10) {
    int y, mo, d;
    if (Digits(s, 0, 4, y) && s[4] == '-' && Digits(s, 5, 2, mo) && s[7] == '-' && Digits(s, 8, 2, d)) {
      std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                      std::chrono::day{static_cast<unsigned>(d)}};
      if (ymd.ok()) return std::chrono::time_point_cast<Millis>(std::chrono::sys_days{ymd});
    }
    return InvalidArgument(field, "must be a date (2026-11-20) or an RFC 3339 timestamp");
  }
  return ParseRfc3339(s, field);
}

std::string FormatRfc3339(Instant t) {
  // By hand, not through fmt: reports print thousands of these (a 3-year daily NPS report, two
  // per bucket), and fmt's parsing of the format string was 9 % of such a query's CPU.
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {  // outside RFC 3339's four digits: the general (slow) way
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", year,
                                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                  hms.hours().count(), hms.minutes().count(), hms.seconds().count());
    if (hms.subseconds().count() != 0) out += fmt::format(".{:03}", hms.subseconds().count());
    return out + 'Z';
  }
  char buf[24];
  auto put = [&buf](size_t at, int64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i, value /= 10) {
      buf[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
    }
  };
  put(0, year, 4);
  buf[4] = '-';
  put(5, static_cast<unsigned>(ymd.month()), 2);
  buf[7] = '-';
  put(8, static_cast<unsigned>(ymd.day()), 2);
  buf[10] = 'T';
  put(11, hms.hours().count(), 2);
  buf[13] = ':';
  put(14, hms.minutes().count(), 2);
  buf[16] = ':';
  put(17, hms.seconds().count(), 2);
  size_t len = 19;
  if (const int64_t ms = hms.subseconds().count(); ms != 0) {
    buf[len++] = '.';
    put(len, ms, 3);
    len += 3;
  }
  buf[len++] = 'Z';
  return std::string(buf, len);
}

int64_t DayNumber(Instant t) { return std::chrono::floor<std::chrono::days>(t).time_since_epoch().count(); }

Instant DayStart(int64_t day) {
  return std::chrono::time_point_cast<Millis>(std::chrono::sys_days{std::chrono::days{day}});
}

Instant SystemClock::Now() const {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

}  // namespace vouch
