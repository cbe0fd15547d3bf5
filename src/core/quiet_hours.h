#pragma once
// Quiet hours for marketing text messages: none between 21:00 and 09:00 where the customer is.
// Without a better hint, where the customer is comes from the phone number's region, which may
// span several zones (US, CA, AU, RU, BR, ...): a message then goes only when it is daytime in all
// of them. Pure functions over loaded zones; thread-safe.
#include <span>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "base/tz.h"

namespace vouch::core {

struct QuietHours {
  int start_hour = 21;  // local hour the quiet starts
  int end_hour = 9;     // local hour it ends
};

// The IANA zones a region's (ISO 3166 alpha-2, upper case: "DE", "US") phone numbers may be in,
// from a table compiled in; empty for a region not in the table.
std::vector<std::string_view> ZonesOfRegion(std::string_view region);

// Whether `t` is outside quiet hours in `zone`.
bool IsDaytime(Instant t, const TimeZone& zone, const QuietHours& q = {});

// The earliest instant at or after `now` outside quiet hours in every zone of `zones` (`now`
// itself when it already is, or no zones). When the zones never share a daytime hour, the first
// zone alone decides.
Instant NextDaytime(Instant now, std::span<const TimeZone* const> zones, const QuietHours& q = {});

}  // namespace vouch::core
