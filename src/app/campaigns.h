#pragma once
// Campaigns and the channel comparison (issue 16, "micro against macro"): a shop records what it
// paid outside the referral program (an influencer, paid social) and the discount codes it handed
// out; the comparison sets the program beside each campaign over a range — cost, new customers,
// cost per new customer, revenue, the new customers' own NPS and repeat purchases, each rate
// with its interval, and the program-vs-campaign difference in cost per new customer with a
// bootstrap interval (core/acquisition.h, docs/STATISTICS.md). Thread-safe; every method blocks
// on the store.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "core/acquisition.h"
#include "core/nps.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr size_t kMaxCampaignName = 200;  // bytes
inline constexpr size_t kMaxCampaignCodes = 100;
inline constexpr size_t kMaxCampaignCode = 64;  // bytes

struct CampaignInput {
  std::string name;
  std::string kind;  // influencer, paid_social, other
  std::string cost;  // decimal in the shop's currency ("1500.00")
  std::vector<std::string> codes;
};

// One column of the comparison: the referral program, a campaign, or the new customers nothing
// brought ("organic": no cost).
struct ChannelFigures {
  std::string channel;  // "referral_program", "campaign" or "organic"
  std::optional<store::Campaign> campaign;
  int64_t cost_minor = 0;
  int64_t new_customers = 0;
  std::optional<double> cost_per_new_customer;  // minor units; none without new customers
  int64_t revenue_minor = 0;
  core::MeanEstimate revenue_per_new_customer;  // minor units
  core::NpsEstimate nps;                        // the new customers' own latest answers
  int64_t repeat_customers = 0;
  core::Bounds repeat_rate;                        // Wilson interval of repeat_customers/new_customers
  std::optional<core::CostDifference> vs_program;  // campaigns: program − campaign
};

struct ChannelComparison {
  Instant from{};
  Instant to{};
  std::string currency;
  std::optional<store::Audience> audience;  // the cut, if any
  std::vector<ChannelFigures> channels;     // program first, then campaigns oldest first, organic last
};

class Campaigns {
 public:
  Campaigns(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // kInvalidArgument naming "name", "kind", "cost" or "codes"; kAlreadyExists "codes" when a code
  // belongs to another campaign or is one of the shop's referral codes.
  Result<store::Campaign> Create(const store::Shop& shop, const CampaignInput& in);
  Result<std::vector<store::Campaign>> List(store::Id shop);
  // kNotFound "id" when the shop has no such campaign.
  Status Delete(store::Id shop, store::Id campaign);

  // kInvalidArgument "to" for an empty range. With `audience`: only the new customers whose first
  // order (its survey, the order, the customer) is in the audience; a campaign's cost is split by
  // the share of its new customers in the range who are in the audience (all of it when it
  // brought none).
  Result<ChannelComparison> Compare(const store::Shop& shop, Instant from, Instant to,
                                    const std::optional<store::AudienceCut>& audience = std::nullopt);

 private:
  store::Store& store_;
  const Clock& clock_;
};

}  // namespace vouch::app
