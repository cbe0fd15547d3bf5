#include "core/nps.h"

#include <gtest/gtest.h>

namespace vouch::core {
namespace {

constexpr double kTol = 1e-6;

// Counts with `pro` tens, `pas` sevens and `det` zeros.
ScoreCounts Counts(int64_t pro, int64_t pas, int64_t det) {
  ScoreCounts c;
  c.Add(Score{10}, pro);
  c.Add(Score{7}, pas);
  c.Add(Score{0}, det);
  return c;
}

TEST(MakeScoreTest, AcceptsZeroToTenOnly) {
  EXPECT_FALSE(MakeScore(-1).has_value());
  EXPECT_FALSE(MakeScore(11).has_value());
  EXPECT_FALSE(MakeScore(100).has_value());
  for (int v = 0; v <= 10; ++v) {
    auto s = MakeScore(v);
    ASSERT_TRUE(s.has_value()) << v;
    EXPECT_EQ(s->value, v);
  }
}

TEST(ClassifyTest, BoundariesFollowNpsDefinition) {
  EXPECT_EQ(Classify(Score{0}), NpsCategory::kDetractor);
  EXPECT_EQ(Classify(Score{6}), NpsCategory::kDetractor);
  EXPECT_EQ(Classify(Score{7}), NpsCategory::kPassive);
  EXPECT_EQ(Classify(Score{8}), NpsCategory::kPassive);
  EXPECT_EQ(Classify(Score{9}), NpsCategory::kPromoter);
  EXPECT_EQ(Classify(Score{10}), NpsCategory::kPromoter);
}

TEST(CategoryNameTest, NamesEachCategory) {
  EXPECT_STREQ(CategoryName(NpsCategory::kDetractor), "detractor");
  EXPECT_STREQ(CategoryName(NpsCategory::kPassive), "passive");
  EXPECT_STREQ(CategoryName(NpsCategory::kPromoter), "promoter");
}

TEST(ScoreCountsTest, TotalsByCategory) {
  ScoreCounts c;
  for (int v = 0; v <= 10; ++v) c.Add(Score{v});  // one of each score
  c.Add(Score{10}, 4);
  EXPECT_EQ(c.Total(), 15);
  EXPECT_EQ(c.Promoters(), 6);   // 9, 10 and four more 10s
  EXPECT_EQ(c.Passives(), 2);    // 7, 8
  EXPECT_EQ(c.Detractors(), 7);  // 0–6
}

TEST(ScoreCountsTest, AddingCountsAddsEveryScore) {
  ScoreCounts a = Counts(1, 2, 3);
  ScoreCounts b = Counts(10, 0, 1);
  b.Add(Score{8});
  a += b;
  EXPECT_EQ(a.Total(), 18);
  EXPECT_EQ(a.Promoters(), 11);
  EXPECT_EQ(a.Passives(), 3);
  EXPECT_EQ(a.Detractors(), 4);
  EXPECT_EQ(a.by_score[8], 1);
  EXPECT_EQ(a.by_score[7], 2);
}

TEST(EstimateNpsTest, NoAnswersGiveZeroWithTheWholeRange) {
  const NpsEstimate e = EstimateNps(ScoreCounts{});
  EXPECT_EQ(e.n, 0);
  EXPECT_EQ(e.nps, 0);
  EXPECT_EQ(e.ci_low, -100);
  EXPECT_EQ(e.ci_high, 100);
  EXPECT_EQ(e.margin, 100);
}

// 10 answers: 6 promoters, 2 passives, 2 detractors.
//   point: (6 − 2)/10 = 40
//   n' = 13, p_pro = 6.75/13 = 0.5192307692, p_det = 2.75/13 = 0.2115384615
//   nps' = 4/13 = 0.3076923077
//   var = (9.5/13 − (4/13)²)/13 = (0.7307692308 − 0.0946745562)/13 = 0.0489303596
//   sd = 0.2212020786, half = 1.959963985 × 0.2212020786 = 0.4335481074
//   interval = [0.3076923077 − 0.4335481074, 0.3076923077 + 0.4335481074]
//            = [−0.1258557997, 0.7412404151] → [−12.5855799688, 74.1240415073]
TEST(EstimateNpsTest, TenAnswersSixTwoTwo) {
  const NpsEstimate e = EstimateNps(Counts(6, 2, 2));
  EXPECT_EQ(e.n, 10);
  EXPECT_EQ(e.promoters, 6);
  EXPECT_EQ(e.passives, 2);
  EXPECT_EQ(e.detractors, 2);
  EXPECT_NEAR(e.nps, 40.0, kTol);
  EXPECT_NEAR(e.ci_low, -12.5855799688, kTol);
  EXPECT_NEAR(e.ci_high, 74.1240415073, kTol);
  EXPECT_NEAR(e.margin, 43.3548107380, kTol);
}

// 100 answers: 50 promoters, 30 passives, 20 detractors.
//   point: (50 − 20)/100 = 30
//   n' = 103, p_pro = 50.75/103 = 0.4927184466, p_det = 20.75/103 = 0.2014563107
//   nps' = 30/103 = 0.2912621359
//   var = (71.5/103 − 0.2912621359²)/103 = (0.6941747573 − 0.0848336318)/103 = 0.0059159333
//   sd = 0.0769151042, half = 0.1507508341
//   interval = [0.1405113018, 0.4420129701] → [14.0511301788, 44.2012970057]
TEST(EstimateNpsTest, HundredAnswersFiftyThirtyTwenty) {
  const NpsEstimate e = EstimateNps(Counts(50, 30, 20));
  EXPECT_EQ(e.n, 100);
  EXPECT_NEAR(e.nps, 30.0, kTol);
  EXPECT_NEAR(e.ci_low, 14.0511301788, kTol);
  EXPECT_NEAR(e.ci_high, 44.2012970057, kTol);
  EXPECT_NEAR(e.margin, 15.0750834135, kTol);
}

// 5 answers, all promoters.
//   point: 5/5 = 100
//   n' = 8, p_pro = 5.75/8 = 0.71875, p_det = 0.75/8 = 0.09375, nps' = 0.625
//   var = (0.8125 − 0.390625)/8 = 0.421875/8 = 0.052734375 (= 27/512)
//   sd = 0.2296396634, half = 0.4500854697
//   interval = [0.1749145303, 1.0750854697] → upper end clipped to 1 → [17.4914530342, 100]
TEST(EstimateNpsTest, AllPromotersClipsTheUpperEndAtHundred) {
  const NpsEstimate e = EstimateNps(Counts(5, 0, 0));
  EXPECT_NEAR(e.nps, 100.0, kTol);
  EXPECT_NEAR(e.ci_low, 17.4914530342, kTol);
  EXPECT_EQ(e.ci_high, 100.0);
}

// The mirror image: 5 detractors give nps' = −0.625 and [−1.0750854697, −0.1749145303], clipped
// at −1 → [−100, −17.4914530342].
TEST(EstimateNpsTest, AllDetractorsClipsTheLowerEndAtMinusHundred) {
  const NpsEstimate e = EstimateNps(Counts(0, 0, 5));
  EXPECT_NEAR(e.nps, -100.0, kTol);
  EXPECT_EQ(e.ci_low, -100.0);
  EXPECT_NEAR(e.ci_high, -17.4914530342, kTol);
}

// The point estimate is the plain NPS; the interval is centred on the adjusted one, so with one
// promoter the score is 100 while the interval is [−48.4986494203, 98.4986494203]
// (n' = 4, p_pro = 0.4375, p_det = 0.1875, nps' = 0.25, var = 0.140625, sd = 0.375).
TEST(EstimateNpsTest, PointEstimateIsPlainNpsNotTheAdjustedOne) {
  const NpsEstimate e = EstimateNps(Counts(1, 0, 0));
  EXPECT_NEAR(e.nps, 100.0, kTol);
  EXPECT_NEAR(e.ci_low, -48.4986494203, kTol);
  EXPECT_NEAR(e.ci_high, 98.4986494203, kTol);
}

TEST(EstimateNpsTest, ScoresWithinACategoryCountTheSame) {
  ScoreCounts c;
  c.Add(Score{9}, 6);
  c.Add(Score{8}, 2);
  c.Add(Score{6}, 1);
  c.Add(Score{3}, 1);
  const NpsEstimate e = EstimateNps(c);
  const NpsEstimate same = EstimateNps(Counts(6, 2, 2));
  EXPECT_EQ(e.nps, same.nps);
  EXPECT_EQ(e.ci_low, same.ci_low);
  EXPECT_EQ(e.ci_high, same.ci_high);
}

// Same proportions (60% promoters, 20% passives, 20% detractors), ten times the answers:
//   n = 10:  margin 43.3548107380 (see TenAnswersSixTwoTwo)
//   n = 100: n' = 103, p_pro = 60.75/103 = 0.5898058252, p_det = 0.2014563107,
//            nps' = 0.3883495146, var = 0.0062179300, half = 0.1545507103
//            → [23.3798804238, 54.2900224889], margin 15.4550710326
TEST(EstimateNpsTest, IntervalNarrowsAsAnswersGrow) {
  const NpsEstimate small = EstimateNps(Counts(6, 2, 2));
  const NpsEstimate large = EstimateNps(Counts(60, 20, 20));
  EXPECT_EQ(small.nps, large.nps);
  EXPECT_NEAR(large.ci_low, 23.3798804238, kTol);
  EXPECT_NEAR(large.ci_high, 54.2900224889, kTol);
  EXPECT_NEAR(large.margin, 15.4550710326, kTol);
  EXPECT_GT(small.ci_high - small.ci_low, large.ci_high - large.ci_low);
  EXPECT_GT(small.margin, large.margin);
}

// Worked by hand (see docs/STATISTICS.md): A = 50/30/20, B = 40/30/30 (promoters/passives/
// detractors, n = 100 each). n' = 103; A: p'ₚ = 50.75/103, p'd = 20.75/103, NPS' = 0.291262,
// Var = 0.0059159; B: p'ₚ = 40.75/103, p'd = 30.75/103, NPS' = 0.097087, Var = 0.0066480.
// Difference' = −0.194175, se = √0.0125639 = 0.112089, z = −1.73232, p = erfc(1.73232/√2) = 0.0832.
TEST(CompareNpsTest, HandWorkedDifferenceIsNotSignificant) {
  const NpsDifference d = CompareNps(Counts(50, 30, 20), Counts(40, 30, 30));
  EXPECT_NEAR(d.a.nps, 30.0, kTol);
  EXPECT_NEAR(d.b.nps, 10.0, kTol);
  EXPECT_NEAR(d.difference, -20.0, kTol);
  EXPECT_NEAR(d.z, -1.732324, 1e-5);
  EXPECT_NEAR(d.p_value, 0.083216, 1e-5);
  EXPECT_NEAR(d.ci_low, -41.38655, 1e-4);
  EXPECT_NEAR(d.ci_high, 2.55160, 1e-4);
  EXPECT_FALSE(d.significant);
}

TEST(CompareNpsTest, LargerDropIsSignificantAndIntervalExcludesZero) {
  const NpsDifference d = CompareNps(Counts(50, 30, 20), Counts(30, 30, 40));
  EXPECT_NEAR(d.difference, -40.0, kTol);
  EXPECT_NEAR(d.z, -3.464648, 1e-5);
  EXPECT_NEAR(d.p_value, 0.00053093, 1e-7);
  EXPECT_NEAR(d.ci_low, -60.80402, 1e-4);
  EXPECT_NEAR(d.ci_high, -16.86588, 1e-4);
  EXPECT_TRUE(d.significant);
}

TEST(CompareNpsTest, SignOfDifferenceFollowsBMinusA) {
  const NpsDifference d = CompareNps(Counts(0, 0, 10), Counts(10, 0, 0));
  EXPECT_NEAR(d.difference, 200.0, kTol);
  EXPECT_GT(d.z, 0);
  EXPECT_NEAR(d.ci_low, 112.24066, 1e-4);
  EXPECT_NEAR(d.ci_high, 195.45165, 1e-4);
  EXPECT_TRUE(d.significant);
  // Swapped, everything mirrors.
  const NpsDifference r = CompareNps(Counts(10, 0, 0), Counts(0, 0, 10));
  EXPECT_NEAR(r.difference, -200.0, kTol);
  EXPECT_NEAR(r.ci_low, -195.45165, 1e-4);
  EXPECT_NEAR(r.p_value, d.p_value, 1e-12);
}

TEST(CompareNpsTest, EqualGroupsAreNotSignificant) {
  const NpsDifference d = CompareNps(Counts(40, 40, 20), Counts(40, 40, 20));
  EXPECT_NEAR(d.difference, 0.0, kTol);
  EXPECT_NEAR(d.p_value, 1.0, kTol);
  EXPECT_LT(d.ci_low, 0);
  EXPECT_GT(d.ci_high, 0);
  EXPECT_FALSE(d.significant);
}

TEST(CompareNpsTest, AnEmptyGroupMakesNoClaim) {
  const NpsDifference d = CompareNps(ScoreCounts{}, Counts(10, 0, 0));
  EXPECT_EQ(d.a.n, 0);
  EXPECT_DOUBLE_EQ(d.p_value, 1.0);
  EXPECT_FALSE(d.significant);
  EXPECT_DOUBLE_EQ(d.ci_low, -200.0);
  EXPECT_DOUBLE_EQ(d.ci_high, 200.0);
}

TEST(CompareNpsTest, WithoutTakesASegmentOutOfTheShop) {
  const ScoreCounts rest = Without(Counts(50, 30, 20), Counts(10, 5, 15));
  EXPECT_EQ(rest.Promoters(), 40);
  EXPECT_EQ(rest.Passives(), 25);
  EXPECT_EQ(rest.Detractors(), 5);
}

}  // namespace
}  // namespace vouch::core
