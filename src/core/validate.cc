#include "core/validate.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include <phonenumbers/phonenumberutil.h>

namespace vouch::core {

Result<std::string> NormalizeEmail(std::string_view email, const std::string& field) {
  auto bad = [&] { return InvalidArgument(field, "is not a valid email address"); };
  if (email.empty() || email.size() > 254) return bad();
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) {
    return bad();
  }
  std::string_view local = email.substr(0, at), domain = email.substr(at + 1);
  if (local.size() > 64) return bad();
  for (char c : local) {
    if (c <= ' ' || c >= 127 || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == ':' || c == '\\' || c == '"' || c == '[' || c == ']') {
      return bad();
    }
  }
  if (domain.find('.') == std::string_view::npos) return bad();
  size_t label = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      if (label == 0 || label > 63) return bad();
      if (domain[i - 1] == '-' || domain[i - label] == '-') return bad();
      label = 0;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(domain[i]);
    if (!std::isalnum(c) && c != '-') return bad();
    ++label;
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

Result<std::string> NormalizePhone(std::string_view phone, const std::string& field) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(std::string(phone), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(number)) {
    return InvalidArgument(field, "is not a valid phone number in international form (+4915112345678)");
  }
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

Result<std::string> NormalizeRegion(std::string_view region, const std::string& field) {
  std::string out;
  for (char c : region) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (out.size() != 2 ||
      i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(out) == 0) {
    return InvalidArgument(field, "must be a region code such as \"DE\" or \"US\"");
  }
  return out;
}

Result<std::string> NormalizePhoneIn(std::string_view phone, std::string_view region,
                                     const std::string& field) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  std::string in_region = "ZZ";
  if (!region.empty()) {
    auto r = NormalizeRegion(region, field);
    if (r) in_region = *r;
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(std::string(phone), in_region, &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsValidNumber(number)) {
    return InvalidArgument(field, in_region == "ZZ"
                                      ? "is not a valid phone number in international form (+4915112345678)"
                                      : "is not a valid phone number for region " + in_region);
  }
  std::string out;
  util.Format(number, PhoneNumberUtil::E164, &out);
  return out;
}

PhoneFacts DescribePhone(std::string_view e164) {
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  PhoneFacts facts;
  if (util.Parse(std::string(e164), "ZZ", &number) != PhoneNumberUtil::NO_PARSING_ERROR) return facts;
  util.GetRegionCodeForNumber(number, &facts.region);
  if (facts.region == "ZZ") facts.region.clear();
  switch (util.GetNumberType(number)) {
    case PhoneNumberUtil::FIXED_LINE:
    case PhoneNumberUtil::TOLL_FREE:
    case PhoneNumberUtil::PREMIUM_RATE:
    case PhoneNumberUtil::SHARED_COST:
    case PhoneNumberUtil::VOICEMAIL: facts.can_text = false; break;
    default: facts.can_text = util.IsValidNumber(number); break;
  }
  return facts;
}

Result<std::string> NormalizeLocale(std::string_view locale, const std::string& field) {
  auto bad = [&] { return InvalidArgument(field, "must be a locale such as \"de\" or \"en-GB\""); };
  if (locale.size() != 2 && locale.size() != 5) return bad();
  std::string out;
  for (size_t i = 0; i < 2; ++i) {
    if (!std::isalpha(static_cast<unsigned char>(locale[i]))) return bad();
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(locale[i])));
  }
  if (locale.size() == 5) {
    if (locale[2] != '-' && locale[2] != '_') return bad();
    out += '-';
    for (size_t i = 3; i < 5; ++i) {
      if (!std::isalpha(static_cast<unsigned char>(locale[i]))) return bad();
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(locale[i])));
    }
  }
  return out;
}

std::string LanguageOf(std::string_view locale) { return std::string(locale.substr(0, 2)); }

Result<std::string> NormalizeIp(std::string_view ip, const std::string& field) {
  if (ip.empty() || ip.size() > INET6_ADDRSTRLEN)
    return InvalidArgument(field, "must be an IPv4 or IPv6 address");
  const std::string text(ip);
  char out[INET6_ADDRSTRLEN] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1 && inet_ntop(AF_INET, &v4, out, sizeof out) != nullptr) {
    return std::string(out);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1 && inet_ntop(AF_INET6, &v6, out, sizeof out) != nullptr) {
    return std::string(out);
  }
  return InvalidArgument(field, "must be an IPv4 or IPv6 address");
}

Result<std::string> NormalizeCountry(std::string_view country, const std::string& field) {
  if (country.size() != 2 || !std::isalpha(static_cast<unsigned char>(country[0])) ||
      !std::isalpha(static_cast<unsigned char>(country[1])) ||
      static_cast<unsigned char>(country[0]) > 0x7f || static_cast<unsigned char>(country[1]) > 0x7f) {
    return InvalidArgument(field, "must be an ISO 3166-1 alpha-2 country code such as \"DE\"");
  }
  std::string out(country);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace vouch::core
