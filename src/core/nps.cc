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

namespace {

constexpr double kZ = 1.959963984540054;  // two-sided 95% normal quantile

// A group's adjusted-Wald NPS' and its variance, on the −1…1 scale.
struct Adjusted {
  double nps = 0;
  double var = 0;
};

Adjusted Adjust(const ScoreCounts& counts) {
  const double n_adj = static_cast<double>(counts.Total()) + 3.0;
  const double p_pro = (static_cast<double>(counts.Promoters()) + 0.75) / n_adj;
  const double p_det = (static_cast<double>(counts.Detractors()) + 0.75) / n_adj;
  const double nps_adj = p_pro - p_det;
  return {nps_adj, std::max((p_pro + p_det - nps_adj * nps_adj) / n_adj, 0.0)};
}

}  // namespace

NpsEstimate EstimateNps(const ScoreCounts& counts) {
  NpsEstimate e;
  e.n = counts.Total();
  e.promoters = counts.Promoters();
  e.passives = counts.Passives();
  e.detractors = counts.Detractors();
  const double n = static_cast<double>(e.n);
  if (e.n > 0) e.nps = 100.0 * static_cast<double>(e.promoters - e.detractors) / n;
  const Adjusted adj = Adjust(counts);
  const double half = kZ * std::sqrt(adj.var);
  if (e.n > 0) {
    e.ci_low = 100.0 * std::max(-1.0, adj.nps - half);
    e.ci_high = 100.0 * std::min(1.0, adj.nps + half);
    e.margin = (e.ci_high - e.ci_low) / 2.0;
  }
  return e;
}

NpsDifference CompareNps(const ScoreCounts& a, const ScoreCounts& b) {
  NpsDifference d;
  d.a = EstimateNps(a);
  d.b = EstimateNps(b);
  d.difference = d.b.nps - d.a.nps;
  if (d.a.n == 0 || d.b.n == 0) return d;
  const Adjusted adj_a = Adjust(a);
  const Adjusted adj_b = Adjust(b);
  const double diff = adj_b.nps - adj_a.nps;
  const double se = std::sqrt(adj_a.var + adj_b.var);  // > 0: the pseudo-answers see to that
  d.ci_low = 100.0 * std::max(-2.0, diff - kZ * se);
  d.ci_high = 100.0 * std::min(2.0, diff + kZ * se);
  d.z = diff / se;
  d.p_value = std::erfc(std::abs(d.z) / std::sqrt(2.0));
  d.significant = d.p_value < kSignificanceLevel;
  return d;
}

ScoreCounts Without(const ScoreCounts& all, const ScoreCounts& part) {
  ScoreCounts rest;
  for (size_t i = 0; i < rest.by_score.size(); ++i) {
    rest.by_score[i] = std::max<int64_t>(all.by_score[i] - part.by_score[i], 0);
  }
  return rest;
}

}  // namespace vouch::core
