// Shop-defined themes: keywords made into terms both ways, comments matched in their own
// language, and the two-proportion test of the over-time marks, hand-worked (core/theme_tags.h).
#include "core/theme_tags.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(ThemeTagsTest, KeywordIsStemmedInBothLanguages) {
  auto t = KeywordTermOf("Deliveries");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->english, Stemmer(Language::kEnglish).Stem("delivery"));
  EXPECT_EQ(t->german, Stemmer(Language::kGerman).Stem("deliveries"));
  auto phrase = KeywordTermOf("  late   DELIVERY ");
  ASSERT_TRUE(phrase.ok());
  EXPECT_EQ(phrase->english, "late " + Stemmer(Language::kEnglish).Stem("delivery"));
  auto und = KeywordTermOf("und");
  ASSERT_TRUE(und.ok()) << "a German stop word is still an English word";
  EXPECT_TRUE(und->german.empty());
  EXPECT_EQ(und->english, "und");
}

TEST(ThemeTagsTest, BadKeywordsAreRefusedNamingTheField) {
  for (const char* bad : {"", "in", "too many words here", "42", "x", "!!"}) {
    auto t = KeywordTermOf(bad, "keywords");
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.error().code, Code::kInvalidArgument);
    EXPECT_EQ(t.error().field, "keywords");
  }
  EXPECT_FALSE(KeywordTermOf(std::string(61, 'a')).ok()) << "over 60 bytes";
  EXPECT_TRUE(KeywordTermOf(std::string(60, 'a')).ok());
}

TEST(ThemeTagsTest, CommentsMatchInTheirOwnLanguage) {
  std::vector<std::vector<KeywordTerm>> themes;
  themes.push_back({*KeywordTermOf("delivery"), *KeywordTermOf("Lieferung")});  // 0: shipping
  themes.push_back({*KeywordTermOf("late delivery")});                          // 1: a phrase
  themes.push_back({*KeywordTermOf("quality")});                                // 2
  auto match = [&](const char* comment) { return MatchThemes(TermsOf(comment), themes); };
  EXPECT_EQ(match("Deliveries were slow"), (std::vector<size_t>{0}));
  EXPECT_EQ(match("Die Lieferungen kamen zu spät"), (std::vector<size_t>{0})) << "German stems";
  EXPECT_EQ(match("Late delivery again, poor quality"), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(match("The delivery was late"), (std::vector<size_t>{0})) << "not neighbours: no phrase";
  EXPECT_TRUE(match("Great fit, lovely colour").empty());
  EXPECT_TRUE(MatchThemes(TermsOf("delivery"), {}).empty());
}

TEST(ThemeTagsTest, TwoProportionTestHandWorked) {
  // 10 of 100 then 25 of 100: pooled 0.175, se = √(0.175·0.825·0.02) = 0.053737, z = 2.79145.
  ProportionChange c = CompareProportions(10, 100, 25, 100);
  EXPECT_NEAR(c.difference, 0.15, 1e-12);
  EXPECT_NEAR(c.z, 2.791453, 1e-5);
  EXPECT_NEAR(c.p_value, 0.005247, 1e-5);
  EXPECT_TRUE(c.significant);
  // 4 of 40 then 6 of 40: z = 0.676, p = 0.499.
  ProportionChange small = CompareProportions(4, 40, 6, 40);
  EXPECT_NEAR(small.p_value, 0.498962, 1e-5);
  EXPECT_FALSE(small.significant);
  EXPECT_LT(CompareProportions(30, 100, 10, 100).z, 0) << "a fall is negative";
  EXPECT_EQ(CompareProportions(0, 0, 5, 10).p_value, 1) << "an empty side: nothing to test";
  EXPECT_FALSE(CompareProportions(0, 50, 0, 60).significant) << "both 0 %";
}

}  // namespace
}  // namespace vouch::core
