#pragma once
// Offer experiments (issue 16): a shop tries two to four offers (the friend's discount, the
// promoter's reward, the share text) on newly activated promoters. Each promoter whose code is
// made while an experiment runs is assigned a variant by core::AssignVariant (a hash of the
// experiment and customer ids), and the code carries that variant's offer wherever it is shown
// (the answer page, the activation mail and text) and in the rewards it earns. The results
// judge the variants with the mixture SPRT of core/experiments.h, evaluated at every UTC day's
// end since the start, so a shop may look daily (docs/STATISTICS.md, "Offer experiments").
// Thread-safe; every method blocks on the store.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/holdout.h"
#include "base/result.h"
#include "base/time.h"
#include "core/experiments.h"
#include "store/store.h"

namespace vouch::app {

class Shops;

inline constexpr size_t kMaxExperimentName = 200;  // bytes
inline constexpr size_t kMaxShareText = 2000;      // bytes
inline constexpr int kMaxVariants = 4;
inline constexpr double kExperimentAlpha = 0.05;
inline constexpr int64_t kMinPromotersPerArm = 10;

struct VariantInput {
  std::string name;
  std::string discount_kind = "percent";
  int64_t discount_value = 0;
  int64_t reward_minor = 0;
  std::string share_text;  // a share.txt template showing {{reward_disclosure}}; empty: the shop's
};

struct ExperimentInput {
  std::string name;
  std::string metric;         // "referred_orders" or "net_revenue"
  double minimum_effect = 0;  // δ per promoter: orders, or minor units of the shop's currency
  int64_t window_days = 14;   // 1…90: a promoter's outcome counts referrals this long after activation
  std::vector<VariantInput> variants;  // 2…4, the first the control
};

struct VariantFigures {
  store::ExperimentVariant variant;
  int64_t assigned = 0;  // promoters assigned so far
  int64_t complete = 0;  // of them, whose window is over: the ones the test counts
  double mean = 0;       // the metric per complete promoter
};

struct ExperimentResults {
  store::Experiment experiment;
  std::string unit;  // "orders" or "minor_units" (of currency)
  std::string currency;
  std::vector<VariantFigures> variants;
  core::SequentialResult test;
  std::optional<Instant> decided_at;        // the end of the day whose look decided
  Instant evaluated_until{};                // the last look
  std::optional<store::Audience> audience;  // the cut, if any
};

// The offer a variant makes, applied to a copy of the shop (discount and reward).
void ApplyVariantOffer(const store::ExperimentVariant& v, store::Shop& shop);
// The variant's share text as the share.txt override for `locale` (no text: unchanged).
void ApplyVariantShareText(const store::ExperimentVariant& v, const std::string& locale,
                           std::map<std::string, std::string>& overrides);

class Experiments {
 public:
  Experiments(store::Store& store, const Clock& clock, Shops& shops)
      : store_(store), clock_(clock), shops_(shops) {}

  // kInvalidArgument naming "name", "metric", "minimum_effect", "window_days", "variants" or
  // "variants[i].<field>"; kAlreadyExists "name" while another experiment runs.
  Result<store::Experiment> Create(const store::Shop& shop, const ExperimentInput& in);
  Result<std::vector<store::Experiment>> List(store::Id shop);
  // kNotFound "id". With `cut`: only promoters whose surveyed order is in the audience.
  Result<ExperimentResults> Results(const store::Shop& shop, store::Id experiment,
                                    const std::optional<store::AudienceCut>& cut = std::nullopt);
  // Stops a running experiment: no promoter is assigned after; the codes keep their offers.
  // kNotFound "id"; kFailedPrecondition "id" when it is not running.
  Result<store::Experiment> Stop(store::Id shop, store::Id experiment);
  // Makes a variant the shop's offer (discount, reward, and its share text the shop's share.txt
  // in the shop's language) and ends the experiment, in one transaction. Without `variant`: the
  // test's winner (kFailedPrecondition "variant" while there is none). kNotFound "id";
  // kInvalidArgument "variant"; kFailedPrecondition "id" for an experiment already adopted.
  Result<store::Experiment> Adopt(const store::Shop& shop, store::Id experiment, std::optional<int> variant);

  // The holdout report over promoters drawn in [from, to) (app/holdout.h), of an audience with `cut`.
  Result<HoldoutReport> Holdout(const store::Shop& shop, Instant from, Instant to,
                                const std::optional<store::AudienceCut>& cut = std::nullopt) {
    return HoldoutReportOf(store_, shop, from, to, cut);
  }

  // Assigns a promoter whose code was just made (`code.created_at`) to the shop's running
  // experiment, if any. Part of the activation's transaction.
  static Status AssignInTx(store::Tx& tx, store::Id shop, store::Id customer,
                           const store::ReferralCode& code);

 private:
  store::Store& store_;
  const Clock& clock_;
  Shops& shops_;
};

}  // namespace vouch::app
