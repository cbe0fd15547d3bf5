#include "core/sms_text.h"

#include <gtest/gtest.h>

#include <string>

namespace vouch::core {
namespace {

TEST(MeasureSmsTest, PlainAsciiIsGsm7With160PerSingleAnd153PerPart) {
  EXPECT_EQ(MeasureSms("").segments, 1);
  const SmsShape s160 = MeasureSms(std::string(160, 'a'));
  EXPECT_EQ(s160.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(s160.characters, 160);
  EXPECT_EQ(s160.segments, 1);
  EXPECT_EQ(MeasureSms(std::string(161, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(306, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms(std::string(307, 'a')).segments, 3);
}

TEST(MeasureSmsTest, GermanUmlautsAndSymbolsOfTheBasicTableStayGsm7) {
  const SmsShape s = MeasureSms("Grüße aus München! Ä Ö Ü ß £ ¥ § ¿ ¡ @ $ _ Δ");
  EXPECT_EQ(s.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(s.units, s.characters);
}

TEST(MeasureSmsTest, ExtensionCharactersTakeTwoSeptets) {
  const SmsShape euro = MeasureSms("10 € {off} [now] ~ | ^ \\");
  EXPECT_EQ(euro.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(euro.characters, 24);
  EXPECT_EQ(euro.units, 24 + 9);
  // 80 euro signs are 160 septets: one message; 81 are two.
  std::string euros;
  for (int i = 0; i < 80; ++i) euros += "€";
  EXPECT_EQ(MeasureSms(euros).segments, 1);
  EXPECT_EQ(MeasureSms(euros + "€").segments, 2);
}

TEST(MeasureSmsTest, AnEscapePairNeverStraddlesTwoParts) {
  // 152 'a' then '€': the pair would take septets 153–154, so it moves to the second part.
  std::string text(152, 'a');
  text += "€";
  text += std::string(152, 'b');  // 152 + 2 + 152 = 306 septets, but three parts
  EXPECT_EQ(MeasureSms(text).units, 306);
  EXPECT_EQ(MeasureSms(text).segments, 3);
}

TEST(MeasureSmsTest, AnythingOutsideTheTablesIsUcs2With70And67) {
  const SmsShape s = MeasureSms("Danke ✓");
  EXPECT_EQ(s.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(s.characters, 7);
  EXPECT_EQ(MeasureSms("ç" + std::string(69, 'a')).segments, 1);  // ç (lower case) is not GSM
  EXPECT_EQ(MeasureSms("ç" + std::string(70, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms("ç" + std::string(133, 'a')).segments, 2);
  EXPECT_EQ(MeasureSms("ç" + std::string(134, 'a')).segments, 3);
  EXPECT_EQ(MeasureSms("`").encoding, SmsEncoding::kUcs2);  // the backtick is not in GSM 03.38
}

TEST(MeasureSmsTest, AnEmojiIsTwoUtf16UnitsAndInvalidBytesAreUcs2) {
  const SmsShape s = MeasureSms("hi 😀");
  EXPECT_EQ(s.characters, 4);
  EXPECT_EQ(s.units, 5);
  EXPECT_EQ(MeasureSms("a\xff").encoding, SmsEncoding::kUcs2);
}

TEST(FitSmsTest, ShortTextIsKeptWhole) {
  auto r = FitSms("How likely are you to recommend Trail Shop?", " https://v.example/s/abc", 1, "body");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "How likely are you to recommend Trail Shop? https://v.example/s/abc");
}

TEST(FitSmsTest, LongTextIsCutAtAWordAndTheLinkKeptWhole) {
  const std::string link = " https://vouch.example/a/AAAAAAAAAAAAAAAAAAAAAAAA";
  std::string text;
  for (int i = 0; i < 40; ++i) text += "word" + std::to_string(i) + " ";
  auto r = FitSms(text, link, 1, "body");
  ASSERT_TRUE(r.ok());
  EXPECT_LE(MeasureSms(*r).units, 160);
  ASSERT_GE(r->size(), link.size());
  EXPECT_EQ(r->substr(r->size() - link.size()), link);
  EXPECT_EQ(r->substr(r->size() - link.size() - 3, 3), "...");
  EXPECT_EQ(r->rfind("word", 0), 0u);
  // Cut after a whole word: the character before "..." ends a word number.
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>((*r)[r->size() - link.size() - 4])));
}

TEST(FitSmsTest, ATailThatCannotFitIsAFieldError) {
  auto r = FitSms("text", " " + std::string(200, 'x'), 1, "body");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "body");
  EXPECT_TRUE(FitSms("text", " " + std::string(200, 'x'), 2, "body").ok());
}

}  // namespace
}  // namespace vouch::core
