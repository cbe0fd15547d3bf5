#pragma once
// Money is an integer count of a currency's minor units (cents) with its ISO 4217 code.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace vouch {

struct Money {
  int64_t minor = 0;
  std::string currency;  // ISO 4217, upper case
};

// Number of minor-unit digits of an active ISO 4217 currency, or nullopt if the code is unknown.
std::optional<int> CurrencyExponent(std::string_view code);
// Parses a non-negative decimal amount ("59.90", "60", "0.5") into minor units of `currency`.
// Rejects negatives, more decimals than the currency has, exponents and amounts over 10^15.
Result<int64_t> ParseAmount(std::string_view text, std::string_view currency, const std::string& field);
// "59.90" for (5990, EUR); "1000" for (1000, JPY).
std::string FormatAmount(int64_t minor, std::string_view currency);
// Human form for messages: "€10", "€10.50", "$5", "10 CHF"; German locale puts the sign after: "10 €".
std::string FormatMoney(int64_t minor, std::string_view currency, std::string_view locale);

}  // namespace vouch
