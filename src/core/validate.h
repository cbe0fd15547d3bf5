#pragma once
// Validation and normalisation of contact data at the edge.
#include <string>
#include <string_view>

#include "base/result.h"

namespace vouch::core {

// Lower-cased address if it looks deliverable: one '@', a non-empty local part of printable
// ASCII without spaces, a domain of dot-separated labels with a dot, at most 254 characters.
Result<std::string> NormalizeEmail(std::string_view email, const std::string& field);
// E.164 form ("+4915112345678") of a phone number written in international form (libphonenumber).
Result<std::string> NormalizePhone(std::string_view phone, const std::string& field);
// "de", "de-AT", "en-GB": a language with an optional region; normalised to "xx" / "xx-YY".
Result<std::string> NormalizeLocale(std::string_view locale, const std::string& field);
// The canonical text of an IPv4 ("203.0.113.7") or IPv6 ("2001:db8::1") address (inet_ntop's
// form: IPv6 lower case and compressed); anything else is kInvalidArgument on `field`.
Result<std::string> NormalizeIp(std::string_view ip, const std::string& field);
// An ISO 3166-1 alpha-2 country code ("de" → "DE"): two ASCII letters, upper-cased.
Result<std::string> NormalizeCountry(std::string_view country, const std::string& field);
// The language part of a locale: "de-AT" → "de".
std::string LanguageOf(std::string_view locale);

}  // namespace vouch::core
