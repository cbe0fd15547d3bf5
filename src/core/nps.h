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

}  // namespace vouch::core
