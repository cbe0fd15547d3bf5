#include "base/money.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch {
namespace {

// The parsed minor units, or -1 when ParseAmount rejects the text.
int64_t Minor(std::string_view text, std::string_view currency) {
  auto r = ParseAmount(text, currency, "amount");
  return r.ok() ? *r : -1;
}

TEST(CurrencyExponentTest, KnowsZeroTwoAndThreeDigitCurrencies) {
  EXPECT_EQ(CurrencyExponent("EUR"), 2);
  EXPECT_EQ(CurrencyExponent("USD"), 2);
  EXPECT_EQ(CurrencyExponent("CHF"), 2);
  EXPECT_EQ(CurrencyExponent("JPY"), 0);
  EXPECT_EQ(CurrencyExponent("KRW"), 0);
  EXPECT_EQ(CurrencyExponent("KWD"), 3);
  EXPECT_EQ(CurrencyExponent("BHD"), 3);
  EXPECT_EQ(CurrencyExponent("XXX"), std::nullopt);
  EXPECT_EQ(CurrencyExponent("eur"), std::nullopt);  // codes are upper case
  EXPECT_EQ(CurrencyExponent("EU"), std::nullopt);
  EXPECT_EQ(CurrencyExponent("EURO"), std::nullopt);
  EXPECT_EQ(CurrencyExponent(""), std::nullopt);
}

TEST(ParseAmountTest, TwoDigitCurrency) {
  EXPECT_EQ(Minor("59.90", "EUR"), 5990);
  EXPECT_EQ(Minor("59.9", "EUR"), 5990);
  EXPECT_EQ(Minor("60", "EUR"), 6000);
  EXPECT_EQ(Minor("0.5", "EUR"), 50);
  EXPECT_EQ(Minor("0.05", "EUR"), 5);
  EXPECT_EQ(Minor("0", "EUR"), 0);
  EXPECT_EQ(Minor("007.10", "EUR"), 710);
  EXPECT_EQ(Minor("59.900", "EUR"), 5990);  // trailing zeros beyond the exponent are harmless
  EXPECT_EQ(Minor("59.901", "EUR"), -1);    // a fraction of a cent is not
  EXPECT_EQ(Minor("0.001", "EUR"), -1);
}

TEST(ParseAmountTest, ZeroDigitCurrency) {
  EXPECT_EQ(Minor("1000", "JPY"), 1000);
  EXPECT_EQ(Minor("1000.0", "JPY"), 1000);
  EXPECT_EQ(Minor("1000.5", "JPY"), -1);
}

TEST(ParseAmountTest, ThreeDigitCurrency) {
  EXPECT_EQ(Minor("1.234", "KWD"), 1234);
  EXPECT_EQ(Minor("1.5", "KWD"), 1500);
  EXPECT_EQ(Minor("2", "KWD"), 2000);
  EXPECT_EQ(Minor("1.2345", "KWD"), -1);
  EXPECT_EQ(Minor("1.2340", "KWD"), 1234);
}

TEST(ParseAmountTest, RejectsAnythingButAPlainNonNegativeDecimal) {
  for (std::string_view bad : {"-1", "-0.50", "+1", "1e3", "1E3", "", ".", ".5", "abc", "5,90", "1 000", " 5",
                               "5 ", "5.9.0", "0x10", "€5", "5EUR", "1.2.3", "5."}) {
    auto r = ParseAmount(bad, "EUR", "amount");
    ASSERT_FALSE(r.ok()) << '"' << bad << '"';
    EXPECT_EQ(r.error().code, Code::kInvalidArgument) << bad;
    EXPECT_EQ(r.error().field, "amount") << bad;
  }
}

TEST(ParseAmountTest, CapsAmountsAtTenToTheFifteen) {
  EXPECT_EQ(Minor("1000000000000000", "EUR"), 100'000'000'000'000'000);  // 10^15
  EXPECT_EQ(Minor("1000000000000000.999", "KWD"), 1'000'000'000'000'000'999);
  EXPECT_EQ(Minor("1000000000000001", "EUR"), -1);
  EXPECT_EQ(Minor("99999999999999999999999999999", "EUR"), -1);  // would overflow int64
  EXPECT_EQ(Minor("99999999999999999999999999999", "JPY"), -1);
}

TEST(ParseAmountTest, UnknownCurrencyIsAnError) {
  auto r = ParseAmount("10", "XYZ", "amount");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(Minor("10", "eur"), -1);
  EXPECT_EQ(Minor("10", ""), -1);
}

TEST(FormatAmountTest, UsesTheCurrencysDigits) {
  EXPECT_EQ(FormatAmount(5990, "EUR"), "59.90");
  EXPECT_EQ(FormatAmount(6000, "EUR"), "60.00");
  EXPECT_EQ(FormatAmount(5, "EUR"), "0.05");
  EXPECT_EQ(FormatAmount(0, "EUR"), "0.00");
  EXPECT_EQ(FormatAmount(-150, "EUR"), "-1.50");
  EXPECT_EQ(FormatAmount(1000, "JPY"), "1000");
  EXPECT_EQ(FormatAmount(1234, "KWD"), "1.234");
  EXPECT_EQ(FormatAmount(5, "KWD"), "0.005");
}

TEST(FormatAmountTest, RoundTripsThroughParseAmount) {
  for (const auto& [minor, currency] : {std::pair<int64_t, std::string_view>{5990, "EUR"},
                                        {1, "USD"},
                                        {0, "GBP"},
                                        {123456789, "JPY"},
                                        {1001, "KWD"}}) {
    EXPECT_EQ(Minor(FormatAmount(minor, currency), currency), minor) << minor << ' ' << currency;
  }
}

TEST(FormatMoneyTest, EnglishPutsTheSymbolFirstAndDropsZeroCents) {
  EXPECT_EQ(FormatMoney(1000, "EUR", "en"), "€10");
  EXPECT_EQ(FormatMoney(1050, "EUR", "en"), "€10.50");
  EXPECT_EQ(FormatMoney(1005, "EUR", "en"), "€10.05");
  EXPECT_EQ(FormatMoney(500, "USD", "en"), "$5");
  EXPECT_EQ(FormatMoney(1999, "GBP", "en-GB"), "£19.99");
  EXPECT_EQ(FormatMoney(0, "EUR", "en"), "€0");
}

TEST(FormatMoneyTest, GermanPutsTheSymbolAfterWithADecimalComma) {
  EXPECT_EQ(FormatMoney(1000, "EUR", "de"), "10 €");
  EXPECT_EQ(FormatMoney(1050, "EUR", "de"), "10,50 €");
  EXPECT_EQ(FormatMoney(1050, "EUR", "de-AT"), "10,50 €");
  EXPECT_EQ(FormatMoney(500, "USD", "de"), "5 $");
  EXPECT_EQ(FormatMoney(1999, "GBP", "de-CH"), "19,99 £");
}

TEST(FormatMoneyTest, CurrenciesWithoutASymbolShowTheCodeAfter) {
  EXPECT_EQ(FormatMoney(1000, "CHF", "en"), "10 CHF");
  EXPECT_EQ(FormatMoney(1050, "CHF", "en"), "10.50 CHF");
  EXPECT_EQ(FormatMoney(1050, "CHF", "de"), "10,50 CHF");
  EXPECT_EQ(FormatMoney(1000, "JPY", "en"), "1000 JPY");
  EXPECT_EQ(FormatMoney(1500, "KWD", "en"), "1.500 KWD");
  EXPECT_EQ(FormatMoney(2000, "KWD", "en"), "2 KWD");
}

}  // namespace
}  // namespace vouch
