#include "core/experiments.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vouch::core {
namespace {

uint64_t Mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t HashPair(uint64_t salt, int64_t a, int64_t b) {
  return Mix(Mix(salt ^ static_cast<uint64_t>(a)) ^ static_cast<uint64_t>(b));
}

constexpr uint64_t kVariantSalt = 0x766f756368657870ULL;  // "vouchexp"

}  // namespace

int AssignVariant(int64_t experiment_id, int64_t customer_id, int variants) {
  if (variants < 1) return 0;
  return static_cast<int>(HashPair(kVariantSalt, experiment_id, customer_id) %
                          static_cast<uint64_t>(variants));
}

double ArmSummary::Variance() const {
  if (n < 2) return 0;
  const double m = Mean();
  const double v = (sum_sq - static_cast<double>(n) * m * m) / static_cast<double>(n - 1);
  return v > 0 ? v : 0;
}

ArmComparison CompareLook(const ArmSummary& control, const ArmSummary& challenger, double tau, double alpha) {
  ArmComparison c;
  c.difference = challenger.Mean() - control.Mean();
  double v = 0;
  if (control.n > 0 && challenger.n > 0) {
    v = control.Variance() / static_cast<double>(control.n) +
        challenger.Variance() / static_cast<double>(challenger.n);
  }
  const double t2 = tau * tau;
  if (!(v > 0) || !(t2 > 0)) {
    c.p_value = 1;
    c.ci_low = -std::numeric_limits<double>::infinity();
    c.ci_high = std::numeric_limits<double>::infinity();
    return c;
  }
  const double log_lambda =
      0.5 * std::log(v / (v + t2)) + t2 * c.difference * c.difference / (2 * v * (v + t2));
  c.p_value = std::min(1.0, std::exp(-log_lambda));
  const double half = std::sqrt(v * (v + t2) / t2 * (2 * std::log(1 / alpha) + std::log((v + t2) / v)));
  c.ci_low = c.difference - half;
  c.ci_high = c.difference + half;
  return c;
}

const char* ExperimentDecisionName(ExperimentDecision d) {
  switch (d) {
    case ExperimentDecision::kRunning: return "running";
    case ExperimentDecision::kWinner: return "winner";
    case ExperimentDecision::kFutility: return "futility";
  }
  return "running";
}

SequentialResult RunSequentialTest(const std::vector<std::vector<ArmSummary>>& looks,
                                   const SequentialParams& params) {
  SequentialResult out;
  if (looks.empty() || looks.front().size() < 2) return out;
  const size_t arms = looks.front().size();
  const double k = static_cast<double>(arms - 1);
  const double alpha = params.alpha / k;
  const double tau = params.tau.value_or(params.minimum_effect);
  std::vector<double> running_p(arms, 1.0);
  for (size_t i = 0; i < looks.size(); ++i) {
    const auto& look = looks[i];
    if (look.size() != arms) break;
    out.looks = static_cast<int>(i) + 1;
    out.comparisons.clear();
    bool enough = true;
    for (const auto& a : look) enough = enough && a.n >= params.min_per_arm;
    for (size_t v = 1; v < arms; ++v) {
      ArmComparison c = CompareLook(look[0], look[v], tau, alpha);
      c.variant = static_cast<int>(v);
      running_p[v] = std::min(running_p[v], c.p_value);
      c.p_value = running_p[v];
      out.comparisons.push_back(c);
    }
    if (!enough) continue;
    // A challenger significantly ahead: the one ahead by most.
    int best = -1;
    double best_diff = 0;
    bool all_behind = true;
    bool all_small = true;
    for (const auto& c : out.comparisons) {
      const bool significant = c.p_value <= alpha;
      if (significant && c.difference > 0 && (best < 0 || c.difference > best_diff)) {
        best = c.variant;
        best_diff = c.difference;
      }
      all_behind = all_behind && significant && c.difference < 0;
      all_small = all_small && c.ci_low > -params.minimum_effect && c.ci_high < params.minimum_effect;
    }
    if (best >= 0 || all_behind || all_small) {
      out.decision =
          all_small && best < 0 && !all_behind ? ExperimentDecision::kFutility : ExperimentDecision::kWinner;
      out.winner = out.decision == ExperimentDecision::kWinner ? std::max(best, 0) : -1;
      out.decided_at = static_cast<int>(i);
      return out;
    }
  }
  return out;
}

}  // namespace vouch::core
