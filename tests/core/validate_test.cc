#include "core/validate.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::core {
namespace {

// The normalised value, or "<rejected>".
template <class Fn>
std::string Normalized(Fn fn, std::string_view input) {
  auto r = fn(input, "field");
  return r.ok() ? *r : "<rejected>";
}
std::string Email(std::string_view s) { return Normalized(NormalizeEmail, s); }
std::string Phone(std::string_view s) { return Normalized(NormalizePhone, s); }
std::string Locale(std::string_view s) { return Normalized(NormalizeLocale, s); }

TEST(NormalizeEmailTest, AcceptsAndLowerCasesNormalAddresses) {
  EXPECT_EQ(Email("anna@example.com"), "anna@example.com");
  EXPECT_EQ(Email("Anna.Schmidt@Example.COM"), "anna.schmidt@example.com");
  EXPECT_EQ(Email("anna+vouch@example.com"), "anna+vouch@example.com");
  EXPECT_EQ(Email("anna@mail.shop.example.co.uk"), "anna@mail.shop.example.co.uk");
  EXPECT_EQ(Email("a@b.de"), "a@b.de");
  EXPECT_EQ(Email("first_last-1@my-shop.example"), "first_last-1@my-shop.example");
  EXPECT_EQ(Email("o'brien@example.ie"), "o'brien@example.ie");
}

TEST(NormalizeEmailTest, RejectsMalformedAddresses) {
  for (std::string_view bad : {
           "",
           "anna.example.com",   // no @
           "anna@@example.com",  // two @
           "anna@ex@ample.com",
           "@example.com",            // empty local part
           "anna@",                   // empty domain
           "anna smith@example.com",  // space in local part
           "anna@exa mple.com",       // space in domain
           " anna@example.com",
           "anna@example.com ",
           "anna@localhost",     // no dot in domain
           "anna@example..com",  // empty label
           "anna@.example.com",
           "anna@example.com.",
           "anna@-example.com",  // label starts with a hyphen
           "anna@example-.com",  // label ends with a hyphen
           "anna@exa_mple.com",
           "anna<x>@example.com",
           "\"anna\"@example.com",
           "anna@example.com\n",
           "jürgen@example.com",  // local part must be ASCII
       }) {
    auto r = NormalizeEmail(bad, "email");
    ASSERT_FALSE(r.ok()) << '"' << bad << '"';
    EXPECT_EQ(r.error().code, Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().field, "email") << bad;
  }
}

TEST(NormalizeEmailTest, LengthLimits) {
  const std::string domain = "@" + std::string(63, 'd') + "." + std::string(63, 'e') + "." +
                             std::string(63, 'f') + ".com";    // 196 characters with the @
  const std::string at_limit = std::string(58, 'a') + domain;  // 254
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_EQ(Email(at_limit), at_limit);
  EXPECT_EQ(Email("a" + at_limit), "<rejected>");  // 255

  EXPECT_EQ(Email(std::string(64, 'a') + "@example.com"), std::string(64, 'a') + "@example.com");
  EXPECT_EQ(Email(std::string(65, 'a') + "@example.com"), "<rejected>");  // local part > 64
  EXPECT_EQ(Email("a@" + std::string(64, 'd') + ".com"), "<rejected>");   // label > 63
}

TEST(NormalizePhoneTest, InternationalNumbersBecomeE164) {
  EXPECT_EQ(Phone("+49 151 12345678"), "+4915112345678");
  EXPECT_EQ(Phone("+4915112345678"), "+4915112345678");
  EXPECT_EQ(Phone("+49 (0)151 1234-5678"), "+4915112345678");
  EXPECT_EQ(Phone("+1 650-253-0000"), "+16502530000");
  EXPECT_EQ(Phone("+44 20 7946 0958"), "+442079460958");
}

TEST(NormalizePhoneTest, RejectsNumbersThatAreNotValidInternationalOnes) {
  for (std::string_view bad : {"", "12345", "+12345", "0151 12345678", "phone", "call me", "+49 151 1234567a",
                               "+4915112345678abc", "+49 151"}) {
    auto r = NormalizePhone(bad, "phone");
    ASSERT_FALSE(r.ok()) << '"' << bad << '"';
    EXPECT_EQ(r.error().code, Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().field, "phone") << bad;
  }
}

TEST(NormalizeLocaleTest, LanguageWithOptionalRegion) {
  EXPECT_EQ(Locale("de"), "de");
  EXPECT_EQ(Locale("DE"), "de");
  EXPECT_EQ(Locale("de-AT"), "de-AT");
  EXPECT_EQ(Locale("de-at"), "de-AT");
  EXPECT_EQ(Locale("en_GB"), "en-GB");
  EXPECT_EQ(Locale("EN_gb"), "en-GB");
}

TEST(NormalizeLocaleTest, RejectsOtherShapes) {
  for (std::string_view bad :
       {"", "d", "deu", "d1", "12", "de-", "de-A", "de-AT1", "de.AT", "de-A1", "de AT", "de-DEU", "german"}) {
    auto r = NormalizeLocale(bad, "locale");
    ASSERT_FALSE(r.ok()) << '"' << bad << '"';
    EXPECT_EQ(r.error().field, "locale") << bad;
  }
}

TEST(LanguageOfTest, IsTheFirstTwoLetters) {
  EXPECT_EQ(LanguageOf("de-AT"), "de");
  EXPECT_EQ(LanguageOf("en-GB"), "en");
  EXPECT_EQ(LanguageOf("fr"), "fr");
}

TEST(NormalizePhoneInTest, NationalNumbersReadInTheGivenRegion) {
  EXPECT_EQ(*NormalizePhoneIn("0151 12345678", "DE", "phone"), "+4915112345678");
  EXPECT_EQ(*NormalizePhoneIn("0151 12345678", "de", "phone"), "+4915112345678");
  EXPECT_EQ(*NormalizePhoneIn("+44 7400 123456", "DE", "phone"), "+447400123456");  // international wins
  EXPECT_EQ(*NormalizePhoneIn("(201) 555-0123", "US", "phone"), "+12015550123");
  auto national_without_region = NormalizePhoneIn("0151 12345678", "", "customer.phone");
  ASSERT_FALSE(national_without_region.ok());
  EXPECT_EQ(national_without_region.error().field, "customer.phone");
  auto invalid = NormalizePhoneIn("0151 1", "DE", "customer.phone");
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.error().message.find("DE"), std::string::npos);
}

TEST(NormalizeRegionTest, KnownRegionsOnlyUpperCased) {
  EXPECT_EQ(*NormalizeRegion("at", "default_region"), "AT");
  EXPECT_FALSE(NormalizeRegion("XX", "default_region").ok());
  EXPECT_FALSE(NormalizeRegion("DEU", "default_region").ok());
  EXPECT_EQ(NormalizeRegion("", "default_region").error().field, "default_region");
}

TEST(DescribePhoneTest, MobileNumbersCanTextFixedLinesCannot) {
  const PhoneFacts mobile = DescribePhone("+4915112345678");
  EXPECT_EQ(mobile.region, "DE");
  EXPECT_TRUE(mobile.can_text);
  const PhoneFacts berlin_landline = DescribePhone("+49301234567");
  EXPECT_EQ(berlin_landline.region, "DE");
  EXPECT_FALSE(berlin_landline.can_text);
  EXPECT_FALSE(DescribePhone("+4980012345678").can_text);  // toll-free
  EXPECT_TRUE(DescribePhone("+12015550123").can_text);     // US: fixed line or mobile, cannot tell
  EXPECT_FALSE(DescribePhone("not a number").can_text);
}

TEST(NormalizeIpTest, TakesV4AndV6InTheirCanonicalForm) {
  EXPECT_EQ(Normalized(NormalizeIp, "203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(Normalized(NormalizeIp, "2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(Normalized(NormalizeIp, "::ffff:192.0.2.1"), "::ffff:192.0.2.1");
  EXPECT_EQ(Normalized(NormalizeIp, "::1"), "::1");
  for (std::string_view bad : {"", "256.1.1.1", "1.2.3", "203.0.113.7 ", "203.0.113.7, 10.0.0.1",
                               "fe80::1%eth0", "2001:db8::g", "example.com", "1.2.3.4/24", "0x7f.0.0.1"}) {
    EXPECT_EQ(Normalized(NormalizeIp, bad), "<rejected>") << bad;
  }
  auto r = NormalizeIp("x", "browser_ip");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "browser_ip");
}

TEST(NormalizeCountryTest, TakesTwoLettersUpperCased) {
  EXPECT_EQ(Normalized(NormalizeCountry, "de"), "DE");
  EXPECT_EQ(Normalized(NormalizeCountry, "CH"), "CH");
  for (std::string_view bad : {"", "D", "DEU", "Germany", "D1", "\xc3\x9f", "  "}) {
    EXPECT_EQ(Normalized(NormalizeCountry, bad), "<rejected>") << bad;
  }
}

}  // namespace
}  // namespace vouch::core
