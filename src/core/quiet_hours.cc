#include "core/quiet_hours.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace vouch::core {
namespace {

// Region → zones, most populous first. Regions of one zone name it; regions of several list
// each distinct offset's zone, so "daytime in all of them" holds wherever the number may be.
struct RegionZones {
  std::string_view region;
  std::string_view zones;  // space-separated
};
constexpr RegionZones kRegionZones[] = {
    {"AT", "Europe/Vienna"},
    {"AU", "Australia/Sydney Australia/Brisbane Australia/Adelaide Australia/Darwin Australia/Perth"},
    {"BE", "Europe/Brussels"},
    {"BG", "Europe/Sofia"},
    {"BR", "America/Sao_Paulo America/Manaus America/Rio_Branco"},
    {"CA",
     "America/Toronto America/Halifax America/St_Johns America/Winnipeg America/Edmonton America/Vancouver"},
    {"CH", "Europe/Zurich"},
    {"CN", "Asia/Shanghai"},
    {"CY", "Asia/Nicosia"},
    {"CZ", "Europe/Prague"},
    {"DE", "Europe/Berlin"},
    {"DK", "Europe/Copenhagen"},
    {"EE", "Europe/Tallinn"},
    {"ES", "Europe/Madrid Atlantic/Canary"},
    {"FI", "Europe/Helsinki"},
    {"FR", "Europe/Paris"},
    {"GB", "Europe/London"},
    {"GR", "Europe/Athens"},
    {"HK", "Asia/Hong_Kong"},
    {"HR", "Europe/Zagreb"},
    {"HU", "Europe/Budapest"},
    {"IE", "Europe/Dublin"},
    {"IL", "Asia/Jerusalem"},
    {"IN", "Asia/Kolkata"},
    {"IS", "Atlantic/Reykjavik"},
    {"IT", "Europe/Rome"},
    {"JP", "Asia/Tokyo"},
    {"KR", "Asia/Seoul"},
    {"LI", "Europe/Vaduz"},
    {"LT", "Europe/Vilnius"},
    {"LU", "Europe/Luxembourg"},
    {"LV", "Europe/Riga"},
    {"MT", "Europe/Malta"},
    {"MX", "America/Mexico_City America/Cancun America/Chihuahua America/Tijuana"},
    {"NL", "Europe/Amsterdam"},
    {"NO", "Europe/Oslo"},
    {"NZ", "Pacific/Auckland"},
    {"PL", "Europe/Warsaw"},
    {"PT", "Europe/Lisbon Atlantic/Azores"},
    {"RO", "Europe/Bucharest"},
    {"SE", "Europe/Stockholm"},
    {"SG", "Asia/Singapore"},
    {"SI", "Europe/Ljubljana"},
    {"SK", "Europe/Bratislava"},
    {"TR", "Europe/Istanbul"},
    {"UA", "Europe/Kyiv"},
    {"US",
     "America/New_York America/Chicago America/Denver America/Phoenix America/Los_Angeles America/Anchorage "
     "Pacific/Honolulu"},
    {"ZA", "Africa/Johannesburg"},
};

int64_t LocalSeconds(Instant t, const TimeZone& zone) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count() + zone.OffsetAt(t);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

std::vector<std::string_view> ZonesOfRegion(std::string_view region) {
  std::vector<std::string_view> out;
  for (const auto& rz : kRegionZones) {
    if (rz.region != region) continue;
    std::string_view rest = rz.zones;
    while (!rest.empty()) {
      const size_t sp = rest.find(' ');
      out.push_back(rest.substr(0, sp));
      rest = sp == std::string_view::npos ? std::string_view{} : rest.substr(sp + 1);
    }
  }
  return out;
}

bool IsDaytime(Instant t, const TimeZone& zone, const QuietHours& q) {
  const int64_t local = LocalSeconds(t, zone);
  const int64_t hour = FloorDiv(local, 3600) - FloorDiv(local, 86400) * 24;
  return q.start_hour > q.end_hour ? (hour >= q.end_hour && hour < q.start_hour)
                                   : !(hour >= q.start_hour && hour < q.end_hour);
}

Instant NextDaytime(Instant now, std::span<const TimeZone* const> zones, const QuietHours& q) {
  auto ok_everywhere = [&](Instant t, std::span<const TimeZone* const> zs) {
    return std::all_of(zs.begin(), zs.end(), [&](const TimeZone* z) { return IsDaytime(t, *z, q); });
  };
  if (zones.empty() || ok_everywhere(now, zones)) return now;
  // Daytime starts at some zone's end_hour: try each zone's next few mornings, earliest first.
  std::vector<Instant> candidates;
  for (const TimeZone* z : zones) {
    const int64_t today = FloorDiv(LocalSeconds(now, *z), 86400);
    for (int64_t d = 0; d <= 2; ++d) {
      const Instant morning = z->FromLocal((today + d) * 86400 + int64_t{q.end_hour} * 3600);
      if (morning > now) candidates.push_back(morning);
    }
  }
  std::sort(candidates.begin(), candidates.end());
  for (Instant c : candidates) {
    if (ok_everywhere(c, zones)) return c;
  }
  if (zones.size() > 1) return NextDaytime(now, zones.first(1), q);
  return candidates.empty() ? now : candidates.front();
}

}  // namespace vouch::core
