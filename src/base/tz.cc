#include "base/tz.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace vouch {
namespace {

Error Bad(std::string_view name, const std::string& why) {
  return InvalidArgument("tz", std::string(name) + ": " + why);
}

uint32_t Be32(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3]));
}
int64_t Be64(std::string_view b, size_t at) {
  return static_cast<int64_t>((static_cast<uint64_t>(Be32(b, at)) << 32) | Be32(b, at + 4));
}

int64_t DaysFromCivil(int y, int m, int d) {
  using namespace std::chrono;
  return sys_days{year{y} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)}}
      .time_since_epoch()
      .count();
}

int YearOf(int64_t seconds) {
  using namespace std::chrono;
  const int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  return static_cast<int>(year_month_day{sys_days{std::chrono::days{days}}}.year());
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Local seconds (since 1970-01-01 local) at which `w` happens in year `y`.
int64_t LocalSecondsOf(const TimeZone::Rule::When& w, int y) {
  int64_t day = 0;
  if (w.form == 'J') {
    day = DaysFromCivil(y, 1, 1) + w.day - 1 + ((IsLeap(y) && w.day >= 60) ? 1 : 0);
  } else if (w.form == 'D') {
    day = DaysFromCivil(y, 1, 1) + w.day;
  } else {
    using namespace std::chrono;
    const sys_days first{year{y} / month{static_cast<unsigned>(w.month)} / 1};
    const unsigned first_wd = weekday{first}.c_encoding();
    int64_t d = first.time_since_epoch().count() + (static_cast<unsigned>(w.day) + 7 - first_wd) % 7;
    d += 7 * (w.week - 1);
    const int next_month_y = w.month == 12 ? y + 1 : y;
    const int next_month = w.month == 12 ? 1 : w.month + 1;
    while (d >= DaysFromCivil(next_month_y, next_month, 1)) d -= 7;  // week 5: the last one
    day = d;
  }
  return day * 86400 + w.time;
}

// --- POSIX TZ strings --------------------------------------------------------------------------

struct Cursor {
  std::string_view s;
  size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
};

bool SkipName(Cursor& c) {
  if (c.peek() == '<') {
    const size_t close = c.s.find('>', c.i);
    if (close == std::string_view::npos) return false;
    c.i = close + 1;
    return true;
  }
  const size_t start = c.i;
  while (!c.done() && ((c.peek() >= 'A' && c.peek() <= 'Z') || (c.peek() >= 'a' && c.peek() <= 'z'))) ++c.i;
  return c.i - start >= 3;
}

// [+-]hh[:mm[:ss]] as seconds; hours up to 167.
bool ParseHms(Cursor& c, int32_t& out) {
  int sign = 1;
  if (c.peek() == '+' || c.peek() == '-') sign = c.s[c.i++] == '-' ? -1 : 1;
  int32_t parts[3] = {0, 0, 0};
  for (int p = 0; p < 3; ++p) {
    if (p > 0) {
      if (c.peek() != ':') break;
      ++c.i;
    }
    const size_t start = c.i;
    int v = 0;
    while (!c.done() && c.peek() >= '0' && c.peek() <= '9' && c.i - start < 3)
      v = v * 10 + (c.s[c.i++] - '0');
    if (c.i == start) return false;
    parts[p] = v;
  }
  if (parts[0] > 167 || parts[1] > 59 || parts[2] > 59) return false;
  out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool ParseInt(Cursor& c, int& out) {
  const size_t start = c.i;
  out = 0;
  while (!c.done() && c.peek() >= '0' && c.peek() <= '9' && c.i - start < 4)
    out = out * 10 + (c.s[c.i++] - '0');
  return c.i > start;
}

bool ParseWhen(Cursor& c, TimeZone::Rule::When& w) {
  if (c.peek() == 'M') {
    ++c.i;
    w.form = 'M';
    if (!ParseInt(c, w.month) || c.peek() != '.') return false;
    ++c.i;
    if (!ParseInt(c, w.week) || c.peek() != '.') return false;
    ++c.i;
    if (!ParseInt(c, w.day)) return false;
    if (w.month < 1 || w.month > 12 || w.week < 1 || w.week > 5 || w.day > 6) return false;
  } else if (c.peek() == 'J') {
    ++c.i;
    w.form = 'J';
    if (!ParseInt(c, w.day) || w.day < 1 || w.day > 365) return false;
  } else {
    w.form = 'D';
    if (!ParseInt(c, w.day) || w.day > 365) return false;
  }
  w.time = 7200;
  if (c.peek() == '/') {
    ++c.i;
    if (!ParseHms(c, w.time)) return false;
  }
  return true;
}

}  // namespace

Result<TimeZone::Rule> TimeZone::ParseRule(std::string_view posix) {
  auto bad = [&] { return InvalidArgument("tz", "not a POSIX TZ rule: " + std::string(posix)); };
  Cursor c{posix};
  Rule r;
  int32_t west = 0;
  if (!SkipName(c) || !ParseHms(c, west)) return bad();
  r.std_offset = -west;
  if (c.done()) return r;
  if (!SkipName(c)) return bad();
  r.has_dst = true;
  r.dst_offset = r.std_offset + 3600;
  if (c.peek() != ',' && !c.done()) {
    if (!ParseHms(c, west)) return bad();
    r.dst_offset = -west;
  }
  // A DST name without a rule: POSIX leaves the dates to the implementation; take the US rule.
  if (c.done()) {
    r.start = {'M', 3, 2, 0, 7200};
    r.end = {'M', 11, 1, 0, 7200};
    return r;
  }
  if (c.peek() != ',') return bad();
  ++c.i;
  if (!ParseWhen(c, r.start) || c.peek() != ',') return bad();
  ++c.i;
  if (!ParseWhen(c, r.end) || !c.done()) return bad();
  return r;
}

Result<TimeZone> TimeZone::FromTzif(std::string_view name, std::string_view b) {
  if (b.size() < 44 || b.substr(0, 4) != "TZif") return Bad(name, "not a TZif file");
  if (b[4] < '2') return Bad(name, "TZif version 1 (no 64-bit data)");
  auto counts = [&](size_t at, uint32_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = Be32(b, at + 20 + 4 * static_cast<size_t>(k));
  };
  uint32_t c1[6];
  counts(0, c1);
  // Skip the version 1 block: isut, isstd, leap, time, type, char counts.
  const uint64_t v1 = 44ull + c1[3] * 5ull + c1[4] * 6ull + c1[5] + c1[2] * 8ull + c1[1] + c1[0];
  if (v1 + 44 > b.size() || b.substr(v1, 4) != "TZif") return Bad(name, "truncated");
  uint32_t c[6];
  counts(v1, c);
  const uint64_t isut = c[0], isstd = c[1], leap = c[2], timecnt = c[3], typecnt = c[4], charcnt = c[5];
  if (typecnt == 0 || typecnt > 256 || timecnt > 100000) return Bad(name, "bad counts");
  const uint64_t data = v1 + 44;
  const uint64_t times_at = data, idx_at = times_at + timecnt * 8, types_at = idx_at + timecnt;
  const uint64_t end = types_at + typecnt * 6 + charcnt + leap * 12 + isstd + isut;
  if (end > b.size()) return Bad(name, "truncated");
  TimeZone z;
  z.name_ = std::string(name);
  std::vector<int32_t> type_offsets(typecnt);
  for (uint64_t t = 0; t < typecnt; ++t) type_offsets[t] = static_cast<int32_t>(Be32(b, types_at + t * 6));
  z.initial_offset_ = type_offsets[0];
  for (uint64_t t = 0; t < timecnt; ++t) {
    const auto idx = static_cast<unsigned char>(b[idx_at + t]);
    if (idx >= typecnt) return Bad(name, "bad type index");
    const int64_t at = Be64(b, times_at + t * 8);
    if (!z.transitions_.empty() && at <= z.transitions_.back()) return Bad(name, "transitions out of order");
    z.transitions_.push_back(at);
    z.offsets_.push_back(type_offsets[idx]);
  }
  // The footer: "\n<POSIX TZ>\n", for times after the last transition.
  if (end < b.size() && b[end] == '\n') {
    const size_t close = b.find('\n', end + 1);
    if (close == std::string_view::npos) return Bad(name, "unterminated footer");
    const std::string_view footer = b.substr(end + 1, close - end - 1);
    if (!footer.empty()) {
      auto rule = ParseRule(footer);
      if (!rule) return rule.error();
      z.rule_ = *rule;
      z.has_rule_ = true;
    }
  }
  return z;
}

TimeZone TimeZone::Fixed(std::string name, int32_t utc_offset_seconds) {
  TimeZone z;
  z.name_ = std::move(name);
  z.initial_offset_ = utc_offset_seconds;
  return z;
}

int32_t TimeZone::RuleOffset(int64_t utc) const {
  if (!rule_.has_dst) return rule_.std_offset;
  // The rule's dates are in local time of the year the instant falls in (by standard time).
  const int y = YearOf(utc + rule_.std_offset);
  const int64_t start = LocalSecondsOf(rule_.start, y) - rule_.std_offset;  // start: in standard time
  const int64_t end = LocalSecondsOf(rule_.end, y) - rule_.dst_offset;      // end: in daylight time
  const bool dst = start < end ? (utc >= start && utc < end) : !(utc >= end && utc < start);
  return dst ? rule_.dst_offset : rule_.std_offset;
}

int32_t TimeZone::OffsetAt(Instant t) const {
  const int64_t s = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  if (transitions_.empty() || s < transitions_.front()) {
    return (transitions_.empty() && has_rule_) ? RuleOffset(s) : initial_offset_;
  }
  if (s >= transitions_.back() && has_rule_) return RuleOffset(s);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

Instant TimeZone::FromLocal(int64_t local) const {
  auto at = [](int64_t s) { return Instant{std::chrono::seconds{s}}; };
  // Try the offsets in force a day either side; the earliest consistent reading wins (overlap),
  // and with none (a gap) the local time is read with the offset before the gap.
  const int32_t before = OffsetAt(at(local - 86400)), after = OffsetAt(at(local + 86400));
  const int32_t first = std::max(before, after), second = std::min(before, after);
  for (int32_t off : {first, second}) {
    if (OffsetAt(at(local - off)) == off) return at(local - off);
  }
  return at(local - before);
}

Result<std::shared_ptr<const TimeZone>> LoadTimeZone(std::string_view name, const std::string& tzdir) {
  const bool plain = !name.empty() && name.size() <= 64 && name.front() != '/' &&
                     name.find("..") == std::string_view::npos &&
                     std::all_of(name.begin(), name.end(), [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                              (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '-' || ch == '+';
                     });
  if (!plain) return InvalidArgument("tz", "not a time zone name: " + std::string(name));
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  const std::string key = tzdir + "\n" + std::string(name);
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::ifstream in(tzdir + "/" + std::string(name), std::ios::binary);
  if (!in) return NotFound("no time zone " + std::string(name));
  std::string bytes;
  bytes.resize(1 << 18);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  auto zone = TimeZone::FromTzif(name, bytes);
  if (!zone) return zone.error();
  auto shared = std::make_shared<const TimeZone>(std::move(*zone));
  std::lock_guard lock(mu);
  cache.emplace(key, shared);
  return shared;
}

}  // namespace vouch
