#include "core/quiet_hours.h"

#include <gtest/gtest.h>

#include <vector>

namespace vouch::core {
namespace {

Instant At(std::string_view rfc3339) { return *ParseRfc3339(rfc3339, "t"); }
const TimeZone& Zone(std::string_view name) {
  auto z = LoadTimeZone(name);
  EXPECT_TRUE(z.ok()) << name;
  return **z;
}
std::string Next(std::string_view now, std::vector<std::string_view> names) {
  std::vector<const TimeZone*> zones;
  for (auto n : names) zones.push_back(&Zone(n));
  return FormatRfc3339(NextDaytime(At(now), zones));
}

TEST(TimeZoneTest, BerlinOffsetsAcrossBothDstEdges) {
  const TimeZone& berlin = Zone("Europe/Berlin");
  // 2026-03-29 01:00 UTC: 02:00 CET becomes 03:00 CEST.
  EXPECT_EQ(berlin.OffsetAt(At("2026-03-29T00:59:59Z")), 3600);
  EXPECT_EQ(berlin.OffsetAt(At("2026-03-29T01:00:00Z")), 7200);
  // 2026-10-25 01:00 UTC: 03:00 CEST becomes 02:00 CET.
  EXPECT_EQ(berlin.OffsetAt(At("2026-10-25T00:59:59Z")), 7200);
  EXPECT_EQ(berlin.OffsetAt(At("2026-10-25T01:00:00Z")), 3600);
  // Far beyond the file's transitions: the footer's rule decides.
  EXPECT_EQ(berlin.OffsetAt(At("2093-07-01T12:00:00Z")), 7200);
  EXPECT_EQ(berlin.OffsetAt(At("2093-12-01T12:00:00Z")), 3600);
}

TEST(TimeZoneTest, PosixRulesAloneMatchTheFileSouthernHemisphereToo) {
  auto rule = TimeZone::ParseRule("AEST-10AEDT,M10.1.0,M4.1.0/3");
  ASSERT_TRUE(rule.ok());
  EXPECT_EQ(rule->std_offset, 36000);
  EXPECT_EQ(rule->dst_offset, 39600);
  auto godthab = TimeZone::ParseRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  ASSERT_TRUE(godthab.ok());
  EXPECT_EQ(godthab->start.time, -3600);
  EXPECT_FALSE(TimeZone::ParseRule("CET-1CEST,M13.5.0,M10.5.0").ok());
  EXPECT_FALSE(TimeZone::ParseRule("X1").ok());
  const TimeZone& sydney = Zone("Australia/Sydney");
  EXPECT_EQ(sydney.OffsetAt(At("2026-01-15T00:00:00Z")), 39600);
  EXPECT_EQ(sydney.OffsetAt(At("2026-07-15T00:00:00Z")), 36000);
  EXPECT_EQ(sydney.OffsetAt(At("2095-01-15T00:00:00Z")), 39600);
  EXPECT_EQ(sydney.OffsetAt(At("2095-07-15T00:00:00Z")), 36000);
}

TEST(TimeZoneTest, NamesAreCheckedBeforeAnyFileIsOpened) {
  EXPECT_EQ(LoadTimeZone("../etc/passwd").error().code, Code::kInvalidArgument);
  EXPECT_EQ(LoadTimeZone("/etc/passwd").error().code, Code::kInvalidArgument);
  EXPECT_EQ(LoadTimeZone("Europe/Nowhere").error().code, Code::kNotFound);
  EXPECT_EQ(TimeZone::FromTzif("x", "TZif2 but short").error().code, Code::kInvalidArgument);
}

TEST(QuietHoursTest, DaytimeGoesAtOnceNightWaitsForNine) {
  EXPECT_EQ(Next("2026-07-01T10:00:00Z", {"Europe/Berlin"}), "2026-07-01T10:00:00Z");  // 12:00 CEST
  EXPECT_EQ(Next("2026-07-01T18:59:59Z", {"Europe/Berlin"}), "2026-07-01T18:59:59Z");  // 20:59:59
  EXPECT_EQ(Next("2026-07-01T19:00:00Z", {"Europe/Berlin"}), "2026-07-02T07:00:00Z");  // 21:00 → 09:00
  EXPECT_EQ(Next("2026-07-02T05:00:00Z", {"Europe/Berlin"}), "2026-07-02T07:00:00Z");  // 07:00 → 09:00
  EXPECT_EQ(Next("2026-12-01T22:00:00Z", {"Europe/Berlin"}), "2026-12-02T08:00:00Z");  // winter: 09:00 CET
}

TEST(QuietHoursTest, NightsAcrossTheDstChangeEndAtNineLocal) {
  // The night of 28–29 March 2026: 21:30 CET, and the morning is already summer time.
  EXPECT_EQ(Next("2026-03-28T20:30:00Z", {"Europe/Berlin"}), "2026-03-29T07:00:00Z");
  // The night of 24–25 October 2026: 23:00 CEST, the morning is winter time.
  EXPECT_EQ(Next("2026-10-24T21:00:00Z", {"Europe/Berlin"}), "2026-10-25T08:00:00Z");
}

TEST(QuietHoursTest, ARegionOfManyZonesWaitsUntilItIsDaytimeInAllOfThem) {
  auto zones = ZonesOfRegion("US");
  ASSERT_GE(zones.size(), 5u);
  EXPECT_EQ(zones.front(), "America/New_York");
  // 14:00 UTC in July: 10:00 in New York, 04:00 in Honolulu: wait for 09:00 in Honolulu (19:00 UTC).
  EXPECT_EQ(Next("2026-07-01T14:00:00Z", zones), "2026-07-01T19:00:00Z");
  // 19:30 UTC: 15:30 New York, 09:30 Honolulu: all daytime.
  EXPECT_EQ(Next("2026-07-01T19:30:00Z", zones), "2026-07-01T19:30:00Z");
  EXPECT_TRUE(ZonesOfRegion("XX").empty());
  EXPECT_EQ(ZonesOfRegion("DE").size(), 1u);
  for (auto z : ZonesOfRegion("CA")) EXPECT_TRUE(LoadTimeZone(z).ok()) << z;
}

}  // namespace
}  // namespace vouch::core
