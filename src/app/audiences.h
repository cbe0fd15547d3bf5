#pragma once
// Audiences (issue 16): a shop's groups of customers by what they bought in the surveyed order
// (its product category and value), their locale and whether they had bought before
// (store/records/audiences.h). They do three things:
// - limit activation: once a shop has a gated audience, a promoter whose surveyed order is in
//   none of its gated audiences gets the thank-you but no code (and is not drawn for the holdout);
// - give an offer: a promoter whose code is made while their surveyed order is in an audience
//   with an offer gets the first such audience's offer (friend's discount, promoter's reward) on
//   their code, everywhere an experiment variant's offer goes (the audience offer is read through
//   ExperimentReads::VariantOfPromoter; an experiment's variant takes precedence);
// - cut reports: /api/v1/nps, /api/v1/holdout, the experiment results, /api/v1/program,
//   /api/v1/referrals/tree, /api/v1/themes* and /api/v1/compare/channels take `audience=ID`.
// Thread-safe; every method blocks on the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr size_t kMaxAudiences = 50;       // per shop
inline constexpr size_t kMaxAudienceValues = 50;  // categories, locales

struct AudienceInput {
  std::string name;
  std::vector<std::string> categories;
  std::optional<int64_t> min_order_minor, max_order_minor;
  std::vector<std::string> locales;
  std::string repeat_buyer = "any";
  bool gate = false;
  std::optional<store::AudienceOffer> offer;
};

// What activation does with a new promoter: activate or not, and the audience whose offer their
// code gets (none: the shop's).
struct AudienceDecision {
  bool activate = true;
  std::optional<store::Audience> offer_from;
};

class Audiences {
 public:
  Audiences(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // kInvalidArgument naming "name", "categories", "categories[i]", "min_order_minor",
  // "max_order_minor", "locales", "locales[i]", "repeat_buyer" or "offer.<field>";
  // kFailedPrecondition "name" beyond kMaxAudiences.
  Result<store::Audience> Create(const store::Shop& shop, AudienceInput in);
  Result<std::vector<store::Audience>> List(store::Id shop);
  // kNotFound "id".
  Result<store::Audience> Get(store::Id shop, store::Id audience);
  Status Delete(store::Id shop, store::Id audience);

  // For a promoter made by `survey`'s answer who has no code yet. Part of the answer's
  // transaction; one read when the shop has no audiences.
  static Result<AudienceDecision> DecideInTx(store::Tx& tx, const store::Shop& shop, store::Id survey);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace vouch::app
