#pragma once
// Net Promoter Score: classification of 0–10 answers and the score with its 95% interval.
#include <array>
#include <cstdint>
#include <optional>

namespace vouch::core {

enum class NpsCategory { kDetractor, kPassive, kPromoter };

// A 0–10 answer. Construct through MakeScore to validate.
struct Score {
  int value = 0;
};
std::optional<Score> MakeScore(int value);

// 0–6 detractor, 7–8 passive, 9–10 promoter.
NpsCategory Classify(Score s);
const char* CategoryName(NpsCategory c);

// How many answers gave each score; NPS is a function of these eleven counters.
struct ScoreCounts {
  std::array<int64_t, 11> by_score{};

  void Add(Score s, int64_t n = 1) { by_score[static_cast<size_t>(s.value)] += n; }
  ScoreCounts& operator+=(const ScoreCounts& o);
  int64_t Total() const;
  int64_t Promoters() const;
  int64_t Passives() const;
  int64_t Detractors() const;
};

// NPS on the −100…100 scale with its 95% confidence interval.
//
// The interval is the adjusted Wald interval Rocks (2016) recommends for the NPS: add 3 pseudo-answers
// (¾ promoter, ¾ detractor, 1½ passive), so n' = n + 3, p'ₚ = (promoters + ¾)/n',
// p'd = (detractors + ¾)/n', NPS' = p'ₚ − p'd, Var = (p'ₚ + p'd − NPS'²)/n',
// interval = NPS' ± 1.96·√Var, clipped to [−1, 1] and scaled by 100. The point estimate reported is the
// plain NPS (promoters − detractors)/n; the interval is centred on the adjusted NPS'.
// With n = 0 the score is 0 and the interval spans [−100, 100].
struct NpsEstimate {
  int64_t n = 0;
  int64_t promoters = 0;
  int64_t passives = 0;
  int64_t detractors = 0;
  double nps = 0;        // −100…100
  double ci_low = -100;  // 95% interval, −100…100
  double ci_high = 100;
  double margin = 100;  // half-width of the (clipped) interval: the "±" to show beside it
};

NpsEstimate EstimateNps(const ScoreCounts& counts);

// Whether two NPS values differ: B − A with a 95% interval and a two-sided p-value.
//
// Each group is adjusted as EstimateNps adjusts it (3 pseudo-answers: ¾ promoter, ¾ detractor,
// 1½ passive), giving NPS'ᵢ and Varᵢ = (p'ₚ + p'd − NPS'ᵢ²)/n'ᵢ. The difference's standard error is
// √(Var_A + Var_B) (independent samples); the interval is (NPS'_B − NPS'_A) ± 1.96·se, clipped to
// [−200, 200]; z = (NPS'_B − NPS'_A)/se and p = erfc(|z|/√2). Test and interval agree: p < 0.05
// exactly when the interval excludes 0. `difference` is the plain B − A on the −200…200 scale.
// A group without answers makes the comparison undefined: p_value 1, not significant, and the
// interval spans [−200, 200].
struct NpsDifference {
  NpsEstimate a;
  NpsEstimate b;
  double difference = 0;  // b.nps − a.nps
  double ci_low = -200;
  double ci_high = 200;
  double z = 0;
  double p_value = 1;
  bool significant = false;  // p_value < 0.05
};

inline constexpr double kSignificanceLevel = 0.05;

NpsDifference CompareNps(const ScoreCounts& a, const ScoreCounts& b);

// `all` minus `part` (a segment's counts taken out of the shop's: "the rest of the shop").
ScoreCounts Without(const ScoreCounts& all, const ScoreCounts& part);

}  // namespace vouch::core
