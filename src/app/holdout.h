#pragma once
// The holdout (issue 16): a shop's holdout_percent (0…50) of would-be promoters get the
// thank-you but no referral code and no share link, so the shop can see what activation itself
// does to its promoters' own buying.
//
// The draw: when an answer makes a customer a promoter and they have no code yet, a shop with a
// holdout draws them once: Links::KeyedDraw("holdout", shop, customer) (an HMAC under the
// server's link secret, so nobody can tell from the ids who will be held out) modulo 10000 below
// percent × 100 holds them out (core::HeldOut). The draw, held out or not, is stored
// (holdout_draws) with the answer's time: a later answer reads it and never draws again (even
// after the secret rotates or the percent changes), and the report finds both groups. A customer
// who had a code before the holdout was switched on is not drawn. A held-out promoter stays held
// out when the shop turns the holdout off.
//
// The report compares the promoters drawn in a range, activated against held out: the share who
// ordered again after the answer and the net revenue per promoter after it (orders not cancelled,
// refunds deducted, in the shop's currency; up to now), each with its interval, and the
// differences with 95% intervals and two-sided tests (core/holdout.h; docs/STATISTICS.md).
#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "core/acquisition.h"
#include "core/holdout.h"
#include "store/store.h"

namespace vouch::app {

class Links;

// Whether the promoter `customer` (just made one by `survey`'s answer at `now`) is held out;
// draws and stores the draw when needed. Part of the answer's transaction.
Result<bool> HeldOutInTx(store::Tx& tx, const Links& links, const store::Shop& shop, store::Id customer,
                         store::Id survey, Instant now);

struct HoldoutGroup {
  int64_t promoters = 0;
  int64_t repeat_buyers = 0;  // promoters with an order after the answer
  double repeat_share = 0;    // 0…1
  core::Bounds repeat_ci;     // Wilson
  int64_t orders = 0;
  int64_t revenue_minor = 0;                // net, after the answers
  core::MeanEstimate revenue_per_promoter;  // minor units, normal interval
};

struct HoldoutReport {
  Instant from{}, to{};
  std::optional<store::Audience> audience;  // the cut, if any
  int64_t holdout_percent = 0;              // the shop's setting now
  std::string currency;
  HoldoutGroup activated, held_out;
  core::ShareDifference repeat_difference;  // activated − held out
  core::MeanDifference revenue_difference;  // activated − held out, minor units per promoter
};

// The report over promoters drawn in [from, to); with `cut`, only the audience's.
Result<HoldoutReport> HoldoutReportOf(store::Store& store, const store::Shop& shop, Instant from, Instant to,
                                      const std::optional<store::AudienceCut>& cut);

}  // namespace vouch::app
