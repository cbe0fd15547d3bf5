#include "core/nps.h"

#include <algorithm>
#include <cmath>

namespace vouch::core {

std::optional<Score> MakeScore(int value) {
  if (value < 0 || value > 10) return std::nullopt;
  return Score{value};
}

NpsCategory Classify(Score s) {
  if (s.value >= 9) return NpsCategory::kPromoter;
  if (s.value >= 7) return NpsCategory::kPassive;
  return NpsCategory::kDetractor;
}

const char* CategoryName(NpsCategory c) {
  switch (c) {
    case NpsCategory::kDetractor: return "detractor";
    case NpsCategory::kPassive: return "passive";
    case NpsCategory::kPromoter: return "promoter";
  }
  return "detractor";
}

ScoreCounts& ScoreCounts::operator+=(const ScoreCounts& o) {
  for (size_t i = 0; i < by_score.size(); ++i) by_score[i] += o.by_score[i];
  return *this;
}

int64_t ScoreCounts::Total() const {
  int64_t t = 0;
  for (auto c : by_score) t += c;
  return t;
}
int64_t ScoreCounts::Promoters() const { return by_score[9] + by_score[10]; }
int64_t ScoreCounts::Passives() const { return by_score[7] + by_score[8]; }
int64_t ScoreCounts::Detractors() const { return Total() - Promoters() - Passives(); }

NpsEstimate EstimateNps(const ScoreCounts& counts) {
  constexpr double kZ = 1.959963984540054;  // two-sided 95% normal quantile
  NpsEstimate e;
  e.n = counts.Total();
  e.promoters = counts.Promoters();
  e.passives = counts.Passives();
  e.detractors = counts.Detractors();
  const double n = static_cast<double>(e.n);
  if (e.n > 0) e.nps = 100.0 * static_cast<double>(e.promoters - e.detractors) / n;
  const double n_adj = n + 3.0;
  const double p_pro = (static_cast<double>(e.promoters) + 0.75) / n_adj;
  const double p_det = (static_cast<double>(e.detractors) + 0.75) / n_adj;
  const double nps_adj = p_pro - p_det;
  const double var = (p_pro + p_det - nps_adj * nps_adj) / n_adj;
  const double half = kZ * std::sqrt(std::max(var, 0.0));
  if (e.n > 0) {
    e.ci_low = 100.0 * std::max(-1.0, nps_adj - half);
    e.ci_high = 100.0 * std::min(1.0, nps_adj + half);
    e.margin = (e.ci_high - e.ci_low) / 2.0;
  }
  return e;
}

}  // namespace vouch::core
