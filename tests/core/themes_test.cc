// Comment themes: words, stop words, stems and the log-likelihood comparison, hand-worked
// (core/themes.h).
#include "core/themes.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

TEST(ThemesTest, WordsAreLowerCasedLettersOfAnyScript) {
  EXPECT_EQ(Words("Die Lieferung kam ZU SPÄT! 2x, a"),
            (std::vector<std::string>{"die", "lieferung", "kam", "zu", "spät"}));
  EXPECT_EQ(Words("don't \xE2\x80\x9Cgreat\xE2\x80\x9D fit\xE2\x80\x94really"),
            (std::vector<std::string>{"dont", "great", "fit", "really"}));
  EXPECT_EQ(Words("\xC3\x9C"
                  "berall Gr\xC3\xB6\xC3\x9F"
                  "e"),
            (std::vector<std::string>{"überall", "größe"}));
  EXPECT_TRUE(Words("").empty());
}

TEST(ThemesTest, LanguageIsGuessedFromStopWords) {
  EXPECT_EQ(GuessLanguage(Words("Die Lieferung kam zu spät")), Language::kGerman);
  EXPECT_EQ(GuessLanguage(Words("The delivery was late")), Language::kEnglish);
  EXPECT_EQ(GuessLanguage(Words("perfekt")), Language::kEnglish) << "no evidence: English";
  EXPECT_TRUE(IsStopWord(Language::kGerman, "und"));
  EXPECT_FALSE(IsStopWord(Language::kGerman, "nicht")) << "a detractor's nicht carries meaning";
  EXPECT_FALSE(IsStopWord(Language::kEnglish, "not"));
}

TEST(ThemesTest, SnowballStemsBothLanguages) {
  Stemmer en(Language::kEnglish);
  EXPECT_EQ(en.Stem("deliveries"), en.Stem("delivery"));
  EXPECT_EQ(en.Stem("running"), "run");
  Stemmer de(Language::kGerman);
  EXPECT_EQ(de.Stem("lieferungen"), de.Stem("lieferung"));
  EXPECT_EQ(de.Stem("qualität"), de.Stem("qualitäten"));
}

TEST(ThemesTest, TermsAreStemsAndNeighboursOnce) {
  CommentTerms t = TermsOf("Late delivery, very late. Late!");
  // "very" is a stop word: "late" after it starts no phrase; "late late" stands.
  EXPECT_EQ(t.terms, (std::vector<std::string>{"late", "deliveri", "late deliveri", "late late"}));
  EXPECT_EQ(t.display[2], "late delivery");
  CommentTerms de = TermsOf("Die Lieferung kam zu spät");
  ASSERT_GE(de.terms.size(), 3u);
  EXPECT_EQ(de.display[0], "lieferung");
  EXPECT_EQ(de.terms[2], de.terms[0] + " " + de.terms[1]) << "lieferung kam";
}

// [3 of 4 against 0 of 4]: expected 1.5, 1.5, 2.5, 2.5;
// G² = 2 (3 ln 2 + 1 ln 0.4 + 4 ln 1.6) = 6.0863, p = erfc(√3.0432) = 0.0136.
TEST(ThemesTest, LogLikelihoodIsHandWorked) {
  EXPECT_NEAR(LogLikelihood(3, 4, 0, 4), 6.0863, 1e-4);
  EXPECT_NEAR(ChiSquare1PValue(6.0863), 0.01363, 1e-4);
  EXPECT_NEAR(LogLikelihood(3, 4, 1, 4), 2.0930, 1e-4);  // [3,1;1,3]: all expected 2
  EXPECT_EQ(LogLikelihood(2, 4, 2, 4), 0.0);
  EXPECT_NEAR(ChiSquare1PValue(3.8415), 0.05, 1e-4);
}

TEST(ThemesTest, DetractorsAndPromotersWordsAreSeparated) {
  const std::vector<std::string> detractors = {"Late delivery, very late.", "The delivery was late again",
                                               "Delivery late and box broken", "Wrong size"};
  const std::vector<std::string> promoters = {"Great quality, fast delivery", "Great fit", "Love the quality",
                                              "Great service"};
  TermComparison c = CompareTerms(detractors, promoters);
  EXPECT_EQ(c.detractor_comments, 4);
  ASSERT_EQ(c.detractor_terms.size(), 1u) << "delivery (3 against 1: G² 2.09) is not significant";
  const TermScore& late = c.detractor_terms[0];
  EXPECT_EQ(late.display, "late");
  EXPECT_EQ(late.detractors, 3);
  EXPECT_EQ(late.promoters, 0);
  EXPECT_NEAR(late.g2, 6.0863, 1e-4);
  EXPECT_EQ(late.examples, (std::vector<size_t>{0, 1, 2}));
  ASSERT_EQ(c.promoter_terms.size(), 1u);
  EXPECT_EQ(c.promoter_terms[0].display, "great");
  EXPECT_EQ(c.promoter_terms[0].examples, (std::vector<size_t>{0, 1, 3}));
  // Nothing to compare: nothing found.
  EXPECT_TRUE(CompareTerms({}, promoters).detractor_terms.empty());
}

}  // namespace
}  // namespace vouch::core
