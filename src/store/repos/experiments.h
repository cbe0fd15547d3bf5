#pragma once
// The experiments repository (issue 16): a shop's offer experiments, their variants and the
// promoters assigned to them. Scoped by shop. Obtained from a transaction
// (ReadTx::experiments(), Tx::experiments()); not thread-safe, valid only inside the function
// the transaction was handed to. Errors: kUnavailable for a database fault.
#include <functional>
#include <optional>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/records/audiences.h"
#include "store/records/experiments.h"

namespace vouch::store {

class ExperimentReads {
 public:
  virtual ~ExperimentReads() = default;
  // The shop's experiments, newest first, each with its variants.
  virtual Result<std::vector<Experiment>> List(Id shop) = 0;
  virtual Result<std::optional<Experiment>> Find(Id shop, Id experiment) = 0;
  // The shop's running experiment, if any (at most one runs).
  virtual Result<std::optional<Experiment>> Running(Id shop) = 0;
  // The offer the promoter's code carries: their experiment variant's (a promoter has one code,
  // assigned at most once), else their audience's (store/repos/audiences.h) as a variant numbered
  // -1 with the audience's name and no share text; none: the shop's offer.
  virtual Result<std::optional<ExperimentVariant>> VariantOfPromoter(Id shop, Id customer) = 0;
  // Every assigned promoter of the experiment, one call per qualified referral on their code
  // (or one call without a referral), in no particular order; with `cut`, only promoters whose
  // code's survey is in the audience.
  virtual Status EachOutcome(Id shop, Id experiment, const std::optional<AudienceCut>& cut,
                             const std::function<void(const ExperimentOutcomeRow&)>& row) = 0;
  // The holdout draw of a promoter, if they were drawn.
  virtual Result<std::optional<HoldoutDraw>> HoldoutOf(Id shop, Id customer) = 0;
  // Every promoter drawn in [from, to), one call per order of theirs placed after the draw and
  // not cancelled (or one call without an order), in no particular order; with `cut`, only
  // promoters whose drawing survey is in the audience.
  virtual Status EachHoldoutOutcome(Id shop, Instant from, Instant to, const std::optional<AudienceCut>& cut,
                                    const std::function<void(const HoldoutOutcomeRow&)>& row) = 0;
};

class Experiments : public ExperimentReads {
 public:
  // Inserts the experiment and its variants; kAlreadyExists when another experiment of the shop
  // is running.
  virtual Result<Id> Insert(const Experiment& e) = 0;
  // Records a promoter's variant; a promoter already assigned keeps their first.
  virtual Status Assign(const ExperimentAssignment& a) = 0;
  // Sets the status of an experiment not yet adopted ("stopped" or "adopted"), its stop time
  // (kept when it was stopped before) and, adopted, which variant; how many changed (0 or 1).
  virtual Result<int64_t> Finish(Id shop, Id experiment, const std::string& status, Instant at,
                                 std::optional<int> adopted_variant) = 0;
  // Records a promoter's holdout draw; a promoter drawn before keeps their first.
  virtual Status RecordHoldout(const HoldoutDraw& d) = 0;
};

}  // namespace vouch::store
