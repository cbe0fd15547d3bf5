#pragma once
// Offer experiments (issue 16): a shop's experiments, their variants (offers) and which variant
// each promoter's code carries. Plain records; money in minor units, time as Instant (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "store/records/id.h"

namespace vouch::store {

// One offer: what a referred friend gets, what the promoter earns, and the share text (a
// share.txt template; empty: the shop's own).
struct ExperimentVariant {
  int variant = 0;  // 0 is the control
  std::string name;
  std::string discount_kind = "percent";  // "percent" or "amount"
  int64_t discount_value = 0;
  int64_t reward_minor = 0;
  std::string share_text;
};

struct Experiment {
  Id id = 0;
  Id shop_id = 0;
  std::string name;
  std::string metric;                // "referred_orders" or "net_revenue"
  int64_t minimum_effect_milli = 0;  // δ × 1000, in orders or minor units per promoter
  int64_t window_days = 14;
  std::string status = "running";  // "running", "stopped" or "adopted"
  Instant created_at{};
  std::optional<Instant> stopped_at;
  std::optional<int> adopted_variant;
  std::vector<ExperimentVariant> variants;  // by index
};

struct ExperimentAssignment {
  Id experiment_id = 0;
  Id customer_id = 0;
  Id shop_id = 0;
  int variant = 0;
  Id code_id = 0;
  Instant assigned_at{};
};

// A promoter of an experiment with one of the qualified referrals on their code (none: the
// referral fields are empty): what the results are computed from.
struct ExperimentOutcomeRow {
  Id customer_id = 0;
  int variant = 0;
  Instant assigned_at{};
  std::optional<Instant> referral_at;
  int64_t revenue_minor = 0;  // the referred order's net revenue
  int64_t reward_minor = 0;   // the promoter's standing reward for it (held or released)
};

// The holdout (issue 16): a promoter's draw, kept so a later answer does not draw again and the
// report finds both groups (held_out false: activated).
struct HoldoutDraw {
  Id shop_id = 0;
  Id customer_id = 0;
  Id survey_id = 0;
  bool held_out = false;
  int64_t percent = 0;  // the shop's holdout_percent at the draw
  Instant drawn_at{};
};

// A drawn promoter with one of their own orders placed after the draw (none: the order fields
// are empty): what the holdout report is computed from.
struct HoldoutOutcomeRow {
  Id customer_id = 0;
  bool held_out = false;
  Instant drawn_at{};
  std::optional<Instant> order_at;
  int64_t revenue_minor = 0;  // the order's net revenue (total less refunds)
  std::string currency;
};

}  // namespace vouch::store
