#include "core/codes.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vouch::core {
namespace {

// Returns 0, 1, 2, … (mod bound) and records every bound it was asked for.
struct CountingSource {
  uint32_t next = 0;
  std::vector<uint32_t> bounds;
  RandomSource Fn() {
    return [this](uint32_t bound) {
      bounds.push_back(bound);
      return next++ % bound;
    };
  }
};

RandomSource Always(uint32_t value) {
  return [value](uint32_t) { return value; };
}

TEST(CodeAlphabetTest, HasThirtyOneSymbolsWithoutLookAlikes) {
  EXPECT_EQ(kCodeAlphabet.size(), 31u);
  for (char c : std::string_view("0O1IL")) {
    EXPECT_EQ(kCodeAlphabet.find(c), std::string_view::npos) << c;
  }
  for (char c : kCodeAlphabet) {
    EXPECT_TRUE((c >= '2' && c <= '9') || (c >= 'A' && c <= 'Z')) << c;
  }
}

TEST(MakeReferralCodeTest, IsFoldedNameDashRandomSuffix) {
  CountingSource src;
  EXPECT_EQ(MakeReferralCode("Anna", 4, src.Fn()), "ANNA-2345");
  EXPECT_EQ(src.bounds, (std::vector<uint32_t>{31, 31, 31, 31}));
  EXPECT_EQ(MakeReferralCode("anna", 4, Always(30)), "ANNA-ZZZZ");
  EXPECT_EQ(MakeReferralCode("Anna", 6, Always(0)), "ANNA-222222");
  EXPECT_EQ(MakeReferralCode("Anna", 0, Always(0)), "ANNA-");
}

TEST(MakeReferralCodeTest, SuffixUsesEveryAlphabetSymbolAndNothingElse) {
  CountingSource src;
  const std::string code = MakeReferralCode("Anna", 31, src.Fn());
  EXPECT_EQ(code, "ANNA-" + std::string(kCodeAlphabet));
}

TEST(MakeReferralCodeTest, StemIsCappedAtEightLetters) {
  EXPECT_EQ(MakeReferralCode("Maximilian", 4, Always(0)), "MAXIMILI-2222");
  EXPECT_EQ(MakeReferralCode("Jürgen-Alexander", 4, Always(0)), "JUERGENA-2222");
  EXPECT_EQ(MakeReferralCode("Christin", 4, Always(0)), "CHRISTIN-2222");
}

TEST(MakeReferralCodeTest, FallsBackToFriendWhenTooLittleIsLeft) {
  EXPECT_EQ(MakeReferralCode("", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("J", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("J.", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("Владимир", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("太郎", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("😀", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("42", 4, Always(0)), "FRIEND-2222");
  EXPECT_EQ(MakeReferralCode("Al", 4, Always(0)), "AL-2222");  // two letters are enough
}

TEST(MakeRewardCodeTest, IsThanksAndTenSymbolsInGroups) {
  CountingSource src;
  EXPECT_EQ(MakeRewardCode(src.Fn()), "THANKS-2345-6789-AB");
  EXPECT_EQ(src.bounds, std::vector<uint32_t>(10, 31));
  EXPECT_EQ(MakeRewardCode(Always(30)), "THANKS-ZZZZ-ZZZZ-ZZ");
}

TEST(NormalizeCodeTest, UpperCasesAndStripsWhitespace) {
  EXPECT_EQ(NormalizeCode(" anna-7k3f "), "ANNA-7K3F");
  EXPECT_EQ(NormalizeCode("ANNA-7K3F"), "ANNA-7K3F");
  EXPECT_EQ(NormalizeCode("thanks - 2345 -6789-ab\t\n"), "THANKS-2345-6789-AB");
  EXPECT_EQ(NormalizeCode(""), "");
}

TEST(FoldNameTest, TransliteratesUmlautsAndAccents) {
  EXPECT_EQ(FoldName("Jürgen"), "JUERGEN");
  EXPECT_EQ(FoldName("Zoë"), "ZOE");
  EXPECT_EQ(FoldName("José"), "JOSE");
  EXPECT_EQ(FoldName("Björn"), "BJOERN");
  EXPECT_EQ(FoldName("Ärzte"), "AERZTE");
  EXPECT_EQ(FoldName("Ümit"), "UEMIT");
  EXPECT_EQ(FoldName("Öznur"), "OEZNUR");
  EXPECT_EQ(FoldName("Strauß"), "STRAUSS");
  EXPECT_EQ(FoldName("François"), "FRANCOIS");
  EXPECT_EQ(FoldName("Núñez"), "NUNEZ");
  EXPECT_EQ(FoldName("Søren"), "SOREN");
  EXPECT_EQ(FoldName("Åsa"), "ASA");
  EXPECT_EQ(FoldName("Ægir"), "AEGIR");
  EXPECT_EQ(FoldName("Émile"), "EMILE");
  EXPECT_EQ(FoldName("João"), "JOAO");
  EXPECT_EQ(FoldName("Nicolò"), "NICOLO");
  EXPECT_EQ(FoldName("JOSÉ"), "JOSE");
}

TEST(FoldNameTest, KeepsOnlyLettersFromDigitsSpacesPunctuationAndEmoji) {
  EXPECT_EQ(FoldName("anna"), "ANNA");
  EXPECT_EQ(FoldName("Anna Maria"), "ANNAMARIA");
  EXPECT_EQ(FoldName("Anna-Lena"), "ANNALENA");
  EXPECT_EQ(FoldName("O'Brien"), "OBRIEN");
  EXPECT_EQ(FoldName("R2D2"), "RD");
  EXPECT_EQ(FoldName("Anna 😀"), "ANNA");
  EXPECT_EQ(FoldName("😀Tom😀"), "TOM");
  EXPECT_EQ(FoldName("Tom太郎"), "TOM");
  EXPECT_EQ(FoldName(""), "");
}

TEST(FoldNameTest, SkipsBrokenUtf8WithoutEatingTheNextLetter) {
  EXPECT_EQ(FoldName("\x80Tom"), "TOM");    // stray continuation byte
  EXPECT_EQ(FoldName("Tom\xc3"), "TOM");    // truncated two-byte sequence
  EXPECT_EQ(FoldName("\xf0\x9f\x98"), "");  // truncated emoji
}

// Capitals fold like their lower-case forms; Central European letters fold too.
TEST(FoldNameTest, FoldsCapitalsAndCentralEuropeanLetters) {
  EXPECT_EQ(FoldName("JOÃO"), "JOAO");
  EXPECT_EQ(FoldName("NICOLÒ"), "NICOLO");
  EXPECT_EQ(FoldName("Òscar"), "OSCAR");
  EXPECT_EQ(FoldName("ÌÏÔÕÙÛÝ"), "IIOOUUY");
  EXPECT_EQ(FoldName("Łukasz"), "LUKASZ");
  EXPECT_EQ(FoldName("Jiří"), "JIRI");
  EXPECT_EQ(FoldName("Miloš"), "MILOS");
}

}  // namespace
}  // namespace vouch::core
