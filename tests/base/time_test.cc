#include "base/time.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch {
namespace {

// 2026-11-20T10:15:00Z as Unix milliseconds (date -u -d 2026-11-20T10:15:00Z +%s → 1795169700).
constexpr int64_t kNov20At1015 = 1'795'169'700'000;
// 2026-11-20T00:00:00Z.
constexpr int64_t kNov20Midnight = 1'795'132'800'000;
constexpr int64_t kDayMs = 86'400'000;

int64_t ParsedMillis(std::string_view text) {
  auto t = ParseRfc3339(text, "at");
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? ToUnixMillis(*t) : -1;
}

bool Rejected(std::string_view text) { return !ParseRfc3339(text, "at").ok(); }

TEST(ParseRfc3339Test, AcceptsUtcAndOffsets) {
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00Z"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20T11:15:00+01:00"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20T04:45:00-05:30"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00+00:00"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00-00:00"), kNov20At1015);
  // An offset can move the instant across midnight and across a year.
  EXPECT_EQ(ParsedMillis("2026-11-21T00:15:00+14:00"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2027-01-01T00:30:00+01:00"), ParsedMillis("2026-12-31T23:30:00Z"));
}

TEST(ParseRfc3339Test, AcceptsLowerCaseAndSpaceSeparators) {
  EXPECT_EQ(ParsedMillis("2026-11-20t10:15:00z"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20 10:15:00Z"), kNov20At1015);
}

TEST(ParseRfc3339Test, FractionsAreMillisecondsTruncated) {
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00.5Z"), kNov20At1015 + 500);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00.05Z"), kNov20At1015 + 50);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00.123Z"), kNov20At1015 + 123);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00.123999Z"), kNov20At1015 + 123);
  EXPECT_EQ(ParsedMillis("2026-11-20T10:15:00.000000001Z"), kNov20At1015);
  EXPECT_EQ(ParsedMillis("2026-11-20T11:15:00.250+01:00"), kNov20At1015 + 250);
}

TEST(ParseRfc3339Test, LeapSecondIsHeldAtTheLastSecondOfTheMinute) {
  EXPECT_EQ(ParsedMillis("2016-12-31T23:59:60Z"), ParsedMillis("2016-12-31T23:59:59Z"));
  EXPECT_TRUE(Rejected("2016-12-31T23:59:61Z"));
}

TEST(ParseRfc3339Test, CalendarDatesAreChecked) {
  EXPECT_TRUE(Rejected("2026-02-30T10:00:00Z"));
  EXPECT_TRUE(Rejected("2026-02-29T10:00:00Z"));  // 2026 is not a leap year
  EXPECT_FALSE(Rejected("2024-02-29T10:00:00Z"));
  EXPECT_TRUE(Rejected("2100-02-29T10:00:00Z"));   // centuries are not leap years...
  EXPECT_FALSE(Rejected("2000-02-29T10:00:00Z"));  // ...unless divisible by 400
  EXPECT_TRUE(Rejected("2026-04-31T10:00:00Z"));
  EXPECT_TRUE(Rejected("2026-13-01T10:00:00Z"));
  EXPECT_TRUE(Rejected("2026-00-10T10:00:00Z"));
  EXPECT_TRUE(Rejected("2026-11-00T10:00:00Z"));
}

TEST(ParseRfc3339Test, ClockFieldsAreChecked) {
  EXPECT_TRUE(Rejected("2026-11-20T24:00:00Z"));
  EXPECT_TRUE(Rejected("2026-11-20T10:60:00Z"));
  EXPECT_FALSE(Rejected("2026-11-20T23:59:59Z"));
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00+24:00"));
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00+01:60"));
}

TEST(ParseRfc3339Test, RejectsGarbage) {
  EXPECT_TRUE(Rejected(""));
  EXPECT_TRUE(Rejected("yesterday"));
  EXPECT_TRUE(Rejected("2026-11-20"));                // a date alone is not a timestamp
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00"));       // no zone
  EXPECT_TRUE(Rejected("2026-11-20T10:15Z"));         // no seconds
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00+0100"));  // offset without colon
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00+01"));    // truncated offset
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00+01:0"));
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00.Z"));  // dot without digits
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00Z "));  // trailing text
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00Zjunk"));
  EXPECT_TRUE(Rejected(" 2026-11-20T10:15:00Z"));
  EXPECT_TRUE(Rejected("2026/11/20T10:15:00Z"));
  EXPECT_TRUE(Rejected("2026-11-20X10:15:00Z"));
  EXPECT_TRUE(Rejected("2026-1a-20T10:15:00Z"));
  EXPECT_TRUE(Rejected("+026-11-20T10:15:00Z"));
  EXPECT_TRUE(Rejected("2026-11-20T10:15:00EST"));
}

TEST(ParseRfc3339Test, ErrorNamesTheField) {
  auto t = ParseRfc3339("nonsense", "ordered_at");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, Code::kInvalidArgument);
  EXPECT_EQ(t.error().field, "ordered_at");
}

TEST(FormatRfc3339Test, ShowsMillisecondsOnlyWhenNonZero) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(kNov20At1015)), "2026-11-20T10:15:00Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(kNov20At1015 + 5)), "2026-11-20T10:15:00.005Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(kNov20At1015 + 120)), "2026-11-20T10:15:00.120Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(4'102'444'799'999)), "2099-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(253'402'300'800'000)), "10000-01-01T00:00:00Z");
}

TEST(FormatRfc3339Test, RoundTripsThroughParse) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{-1}, kNov20At1015, kNov20At1015 + 999,
                     int64_t{951'782'400'000} /* 2000-02-29 */, int64_t{4'102'444'799'999}}) {
    const std::string text = FormatRfc3339(FromUnixMillis(ms));
    auto back = ParseRfc3339(text, "at");
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(ToUnixMillis(*back), ms) << text;
  }
}

TEST(DayNumberTest, CountsUtcDaysAndFloorsBeforeTheEpoch) {
  EXPECT_EQ(DayNumber(FromUnixMillis(0)), 0);
  EXPECT_EQ(DayNumber(FromUnixMillis(kDayMs - 1)), 0);
  EXPECT_EQ(DayNumber(FromUnixMillis(kDayMs)), 1);
  EXPECT_EQ(DayNumber(FromUnixMillis(-1)), -1);
  EXPECT_EQ(DayNumber(FromUnixMillis(kNov20At1015)), 20777);
  EXPECT_EQ(DayNumber(FromUnixMillis(kNov20Midnight)), 20777);
}

TEST(DayStartTest, IsMidnightUtcAndInvertsDayNumber) {
  EXPECT_EQ(ToUnixMillis(DayStart(0)), 0);
  EXPECT_EQ(ToUnixMillis(DayStart(-1)), -kDayMs);
  EXPECT_EQ(ToUnixMillis(DayStart(20777)), kNov20Midnight);
  for (int64_t day : {int64_t{-400}, int64_t{-1}, int64_t{0}, int64_t{20777}}) {
    EXPECT_EQ(DayNumber(DayStart(day)), day);
    EXPECT_EQ(DayNumber(DayStart(day) + Millis{kDayMs - 1}), day);
  }
}

TEST(ParseDateOrTimeTest, DateIsMidnightUtcAndTimestampsPassThrough) {
  auto date = ParseDateOrTime("2026-11-20", "since");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(ToUnixMillis(*date), kNov20Midnight);

  auto stamp = ParseDateOrTime("2026-11-20T11:15:00+01:00", "since");
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(ToUnixMillis(*stamp), kNov20At1015);
}

TEST(ParseDateOrTimeTest, RejectsInvalidDatesAndGarbageNamingTheField) {
  for (std::string_view bad : {"2026-02-30", "2026-13-01", "2026/11/20", "20261120", "2026-11-2", "",
                               "tomorrow", "2026-11-20T10:15:00"}) {
    auto r = ParseDateOrTime(bad, "since");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().field, "since") << bad;
  }
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  FakeClock clock(FromUnixMillis(kNov20At1015));
  EXPECT_EQ(ToUnixMillis(clock.Now()), kNov20At1015);
  clock.Advance(Millis{1500});
  EXPECT_EQ(ToUnixMillis(clock.Now()), kNov20At1015 + 1500);
  clock.Set(FromUnixMillis(0));
  EXPECT_EQ(ToUnixMillis(clock.Now()), 0);
}

}  // namespace
}  // namespace vouch
