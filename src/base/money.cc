#include "base/money.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <fmt/format.h>

namespace vouch {
namespace {

// Active ISO 4217 codes (list of 2024). Exponent 2 unless listed in the 0 or 3 sets.
constexpr std::string_view kCodes =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR "
    "KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK "
    "MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR "
    "SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS "
    "UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL";
constexpr std::string_view kZero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
constexpr std::string_view kThree = "BHD IQD JOD KWD LYD OMR TND";

bool InList(std::string_view list, std::string_view code) {
  if (code.size() != 3) return false;
  for (size_t i = 0; i + 3 <= list.size(); i += 4) {
    if (list.substr(i, 3) == code) return true;
  }
  return false;
}

}  // namespace

std::optional<int> CurrencyExponent(std::string_view code) {
  if (!InList(kCodes, code)) return std::nullopt;
  if (InList(kZero, code)) return 0;
  if (InList(kThree, code)) return 3;
  return 2;
}

Result<int64_t> ParseAmount(std::string_view s, std::string_view currency, const std::string& field) {
  auto exp = CurrencyExponent(currency);
  if (!exp) return InvalidArgument("currency", "unknown ISO 4217 currency code");
  if (!s.empty() && s[0] == '-') return InvalidArgument(field, "must not be negative");
  int64_t whole = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > 1'000'000'000'000'000) return InvalidArgument(field, "is too large");
  }
  if (i == 0) return InvalidArgument(field, "must be a decimal amount such as \"59.90\"");
  int64_t frac = 0;
  int digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i == s.size()) return InvalidArgument(field, "must be a decimal amount such as \"59.90\"");
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
      if (digits >= *exp) {
        if (s[i] != '0') return InvalidArgument(field, fmt::format("has more than {} decimals", *exp));
        continue;
      }
      frac = frac * 10 + (s[i] - '0');
    }
  }
  if (i != s.size()) return InvalidArgument(field, "must be a decimal amount such as \"59.90\"");
  for (int d = std::min(digits, *exp); d < *exp; ++d) frac *= 10;
  int64_t scale = 1;
  for (int d = 0; d < *exp; ++d) scale *= 10;
  return whole * scale + frac;
}

std::string FormatAmount(int64_t minor, std::string_view currency) {
  int exp = CurrencyExponent(currency).value_or(2);
  if (exp == 0) return fmt::format("{}", minor);
  int64_t scale = exp == 3 ? 1000 : 100;
  std::string sign = minor < 0 ? "-" : "";
  int64_t a = std::llabs(minor);
  return fmt::format("{}{}.{:0{}}", sign, a / scale, a % scale, exp);
}

std::string FormatMoney(int64_t minor, std::string_view currency, std::string_view locale) {
  std::string amount = FormatAmount(minor, currency);
  // Drop ".00" for whole amounts: "€10" reads better than "€10.00" in an offer.
  auto dot = amount.find('.');
  if (dot != std::string::npos && amount.find_first_not_of('0', dot + 1) == std::string::npos) {
    amount.resize(dot);
  }
  bool german = locale.substr(0, 2) == "de";
  if (german) std::replace(amount.begin(), amount.end(), '.', ',');
  std::string symbol;
  if (currency == "EUR")
    symbol = "€";
  else if (currency == "USD")
    symbol = "$";
  else if (currency == "GBP")
    symbol = "£";
  if (symbol.empty()) return amount + " " + std::string(currency);
  return german ? amount + " " + symbol : symbol + amount;
}

}  // namespace vouch
