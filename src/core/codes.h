#pragma once
// Referral and reward codes: human-friendly, from an alphabet without look-alike characters.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace vouch::core {

// 31 symbols: digits and capitals without 0/O, 1/I/L, so a code read aloud or retyped survives.
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

// Returns a uniformly random integer in [0, bound); production passes vouch::RandomBelow.
using RandomSource = std::function<uint32_t(uint32_t bound)>;

// "ANNA-7K3F": the first name folded to A–Z (umlauts and accents transliterated, at most 8
// letters, "FRIEND" when nothing is left), a dash and `suffix_len` random symbols. Callers retry
// with a longer suffix when the store reports a collision.
std::string MakeReferralCode(std::string_view first_name, int suffix_len, const RandomSource& rnd);
// The suffix new referral codes get: 31^8 (about 40 bits) per name stem, so guessing codes at
// the public routes' rate (a few a second per client, api/rate_limit.h) finds nothing. Codes made
// with shorter suffixes before keep working.
inline constexpr int kReferralSuffixLength = 8;
// "THANKS-XXXX-XXXX-XX": 10 random symbols (about 50 bits), for rewards that are worth money.
std::string MakeRewardCode(const RandomSource& rnd);
// Whether a normalised discount code may be a reward voucher (MakeRewardCode's "THANKS-" prefix):
// an order's other codes need no look-up.
bool MayBeRewardCode(std::string_view normalized);
// Upper-cases and strips spaces, so " anna-7k3f " finds ANNA-7K3F.
std::string NormalizeCode(std::string_view code);
// Folds a UTF-8 name to the letters A–Z ("Jürgen" → "JUERGEN", "Zoë" → "ZOE").
std::string FoldName(std::string_view name);

}  // namespace vouch::core
