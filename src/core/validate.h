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
// E.164 form of a phone number in international form, or in national form of `region` (ISO 3166
// alpha-2, any case: the customer's country or the shop's default_region; "" for none).
Result<std::string> NormalizePhoneIn(std::string_view phone, std::string_view region,
                                     const std::string& field);
// "DE" for a region libphonenumber knows (any case in, upper case out); kInvalidArgument otherwise.
Result<std::string> NormalizeRegion(std::string_view region, const std::string& field);
// What libphonenumber can tell of a stored E.164 number: its region ("DE"; "" when unknown) and
// whether it can take a text message (false for fixed-line, toll-free, premium-rate, shared-cost
// and voicemail numbers; true for mobile, fixed-line-or-mobile and numbers of unknown type).
struct PhoneFacts {
  std::string region;
  bool can_text = false;
};
PhoneFacts DescribePhone(std::string_view e164);
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
