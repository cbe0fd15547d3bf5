#pragma once
// The rules of issue 11 that read where people come from rather than who they are: a shared
// network, a leaked coupon and attribution by landing URL. Each rule is pure and, when it
// fires, gives core/fraud.h's FiredRule: its name and evidence without the other person's
// personal data (no address, no IP). No I/O, thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "core/fraud.h"

namespace vouch::core {

// --- Shared network ----------------------------------------------------------------------------

// The network an address stands for: an IPv4 address as itself, an IPv6 address as its /64 (the
// prefix a home or mobile line is given), written canonically ("2001:db8:0:1::/64"), so the
// writings of one network compare equal. nullopt for anything that is not an IP address.
std::optional<std::string> NetworkOf(std::string_view ip);

// What is kept of a network: HMAC-SHA256(key, shop id ‖ network) in hex, so no raw IP is stored,
// and one shop's hashes say nothing about another's. nullopt when `ip` is not an address.
std::optional<std::string> NetworkHash(std::string_view key, int64_t shop_id, std::string_view ip);

// Shared network: the buyer ordered from a network the promoter used. `source` says where the
// promoter was seen on it: kOrdered (one of their orders' browser_ip) or kAnswered (they answered
// their survey from it, app/promoter_networks.h); nullopt: not shared. The evidence names the
// source, never the network.
enum class NetworkSource { kOrdered, kAnswered };
std::optional<FiredRule> SharedNetworkRule(std::optional<NetworkSource> source);

// --- Coupon leak -------------------------------------------------------------------------------

// A code is leaked when at least `threshold` buyers used it (unrelated: not self-referrals) beyond
// the visits its share link had (within the attribution window: each visit stands for at most one
// buyer): what happens when a code lands on a coupon site. threshold <= 0: off.
bool CouponLeaked(int64_t buyers_without_visit, int64_t threshold);
// The rule on a referral through a paused code; `paused_at` and the count it was paused with.
FiredRule CouponLeakRule(Instant paused_at, int64_t buyers_without_visit);

// --- Attribution by landing URL ---------------------------------------------------------------

// The texts of a landing URL ("/products/x?discount=ANNA-7K3F&utm_source=y", as Shopify sends
// landing_site; absolute or not) that may hold a referral code: every query value and the last
// path segment, percent-decoded, at most 8 of at most 64 bytes each, in order of appearance.
// The share link's redirect puts the code into the shop's landing URL (landing_url's {code}).
std::vector<std::string> LandingCodeCandidates(std::string_view landing_site);

// Whether a candidate has the shape of a referral code (core/codes.h: one to eight letters, a dash,
// four or more symbols of kCodeAlphabet; any case): only those are looked up.
bool HasReferralCodeShape(std::string_view text);
// Whether any candidate of `landing_site` has that shape: an order for which this is false (and
// that has no discount code) cannot be a referral, so ingest may take it in a set.
bool LandingMayHoldCode(std::string_view landing_site);

// Whether an order at `order_time` after a visit at `visit` is within `days` of it.
bool WithinAttribution(Instant visit, Instant order_time, int64_t days);

}  // namespace vouch::core
