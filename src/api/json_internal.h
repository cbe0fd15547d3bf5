#pragma once
// Helpers the JSON files of the api module share (json_*.cc only; not part of the module's
// interface). Kept free of nlohmann/json.hpp (scripts/check.sh): a helper that builds a JSON value
// takes the JSON type as a template parameter. Pure functions, thread-safe.
#include <cstdint>
#include <string>

#include "base/money.h"
#include "base/time.h"

namespace vouch::api::internal {

// An instant as the API writes it: RFC 3339, UTC, "Z".
inline std::string Iso(Instant t) { return FormatRfc3339(t); }

// Money as the API writes it: {"amount": "12.50", "currency": "EUR", "minor": 1250}.
template <class Json>
Json MoneyJson(int64_t minor, const std::string& currency) {
  return Json{{"amount", FormatAmount(minor, currency)}, {"minor", minor}, {"currency", currency}};
}

}  // namespace vouch::api::internal
